package apim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// versionServer answers 401 with a JSON error on the Publisher list of one REST
// version and 404 elsewhere, as an API Manager of that version does.
func versionServer(t *testing.T, rest string, answer http.HandlerFunc) string {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/am/publisher/"+rest+"/apis" {
			answer(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}

func unauthenticated(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	fmt.Fprint(w, `{"code":900902,"message":"Missing Credentials","description":"Invalid Credentials. Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN' or 'Authorization : Basic ACCESS_TOKEN' or 'apikey: API_KEY'","moreInfo":"","error":[]}`)
}

func TestDetectNewestFirst(t *testing.T) {
	for _, v := range []Version{V26, V3, V4} {
		got, err := Detect(context.Background(), Config{ServerURL: versionServer(t, v.RESTVersion(), unauthenticated), Retries: -1})
		if err != nil || got != v {
			t.Errorf("server of %s: detected %q, %v", v, got, err)
		}
	}
	// An open server (200 with a list) counts too.
	url := versionServer(t, "v1", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `{"count":0,"list":[],"pagination":{"offset":0,"limit":1,"total":0}}`)
	})
	if got, err := Detect(context.Background(), Config{ServerURL: url}); err != nil || got != V3 {
		t.Errorf("open 3.x server: %q, %v", got, err)
	}
}

func TestDetectRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		answer http.HandlerFunc
		want   string
	}{
		"HTML login page": {func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, "<html><body>login</body></html>")
		}, "401 Unauthorized with an HTML page"},
		"not JSON": {func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, "denied")
		}, "a body that is not JSON"},
		"200 that is no list": {func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, `{"count":1,"list":[{"nam`)
		}, "200 OK with a body that is not an API list"},
		"teapot": {func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusTeapot)
		}, "418"},
	} {
		url := versionServer(t, "v4", tc.answer)
		_, err := Detect(context.Background(), Config{ServerURL: url, Retries: -1})
		if err == nil || !errors.Is(err, ErrNoAPIManager) || !strings.Contains(err.Error(), tc.want) ||
			!strings.Contains(err.Error(), url+"/api/am/publisher/v4/apis") {
			t.Errorf("%s: %v", name, err)
		}
	}
	_, err := Detect(context.Background(), Config{ServerURL: versionServer(t, "v9", unauthenticated), Retries: -1})
	if err == nil || !strings.Contains(err.Error(), "not an API Manager 2.6, 3.x or 4.x") {
		t.Errorf("no known version: %v", err)
	}
	// A forced version that the server lacks.
	c, err := New(Config{ServerURL: versionServer(t, "v0.14", unauthenticated), Version: V4, Retries: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Probe(context.Background()); err == nil || !strings.Contains(err.Error(), "is not an API Manager 4.x") || !strings.Contains(err.Error(), "404") {
		t.Errorf("forced 4.x on a 2.6 server: %v", err)
	}
	if _, err := New(Config{ServerURL: "https://apim:9443", Version: "5.0"}); err == nil {
		t.Error("New accepted version 5.0")
	}
}
