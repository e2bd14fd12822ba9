package apimsim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

const (
	publisherBase = "/api/am/publisher/v0.14"
	adminBase     = "/api/am/admin/v0.14"
)

// sim is a started simulator and a client that trusts it.
type sim struct {
	t    *testing.T
	srv  *Server
	base string
	hc   *http.Client
}

// startSim starts a server with opts on 127.0.0.1 over TLS.
func startSim(t *testing.T, opts Options) *sim {
	t.Helper()
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	base, err := srv.Start(t.Context())
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &sim{t: t, srv: srv, base: base, hc: srv.Client()}
}

// do sends a request and returns the response and its body.
func (s *sim) do(req *http.Request) (*http.Response, []byte) {
	s.t.Helper()
	resp, err := s.hc.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatalf("read body of %s %s: %v", req.Method, req.URL, err)
	}
	return resp, body
}

// register performs DCR as the original CLI does.
func (s *sim) register(user, password string) (*http.Response, []byte) {
	s.t.Helper()
	body := `{"callbackUrl":"https://wso2.org","clientName":"Micro Gateway Cli","owner":"` + user +
		`","grantType":"password","saasApp":true,"tokenScope":"PRODUCTION"}`
	req, _ := http.NewRequest(http.MethodPost, s.base+"/client-registration/"+s.dcrVersion()+"/register", strings.NewReader(body))
	req.SetBasicAuth(user, password)
	req.Header.Set("Content-Type", "application/json")
	return s.do(req)
}

// dcrVersion is the client registration version the simulator serves
// (v0.14 for a sim without a Server value, which is 2.6).
func (s *sim) dcrVersion() string {
	if s.srv == nil {
		return apim.V26.DCRVersion()
	}
	return s.srv.opts.Version.DCRVersion()
}

// mustRegister registers and decodes the application.
func (s *sim) mustRegister(user, password string) apim.DCRResponse {
	s.t.Helper()
	resp, body := s.register(user, password)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("register %s: status %d: %s", user, resp.StatusCode, body)
	}
	var app apim.DCRResponse
	decode(s.t, body, &app)
	return app
}

// tokenRequest posts a raw form body to the token endpoint.
func (s *sim) tokenRequest(clientID, secret, form string) (*http.Response, []byte) {
	s.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.base+"/oauth2/token", strings.NewReader(form))
	if clientID != "" {
		req.SetBasicAuth(clientID, secret)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

// login registers and gets a token for user with the given scopes, sending
// the body unencoded like the original CLI.
func (s *sim) login(user, password, scopes string) apim.TokenResponse {
	s.t.Helper()
	app := s.mustRegister(user, password)
	resp, body := s.tokenRequest(app.ClientID, app.ClientSecret,
		"grant_type=password&username="+user+"&password="+password+"&scope="+scopes)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("token for %s: status %d: %s", user, resp.StatusCode, body)
	}
	var tok apim.TokenResponse
	decode(s.t, body, &tok)
	return tok
}

// adminToken returns a token with both scopes setup needs.
func (s *sim) adminToken() string {
	return s.login("admin", "admin", "apim:api_view apim:tier_view").AccessToken
}

// get sends GET path (relative to the base URL) with a bearer token.
func (s *sim) get(path, token string) (*http.Response, []byte) {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.base+path, nil)
	if err != nil {
		s.t.Fatalf("new request %s: %v", path, err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return s.do(req)
}

// list gets a page of APIs for a search query.
func (s *sim) list(token, query string, extra url.Values) apiListAny {
	s.t.Helper()
	v := url.Values{"query": {query}}
	for k, vs := range extra {
		v[k] = vs
	}
	resp, body := s.get(publisherBase+"/apis?"+v.Encode(), token)
	if resp.StatusCode != http.StatusOK {
		s.t.Fatalf("list %q: status %d: %s", query, resp.StatusCode, body)
	}
	var l apiListAny
	decode(s.t, body, &l)
	return l
}

// apiListAny is an APIList whose items are decoded as full API DTOs.
type apiListAny struct {
	Count      int             `json:"count"`
	Next       string          `json:"next"`
	Previous   string          `json:"previous"`
	List       []apim.API      `json:"list"`
	Pagination apim.Pagination `json:"pagination"`
}

func decode(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

// wantStatus fails unless resp has the status.
func wantStatus(t *testing.T, resp *http.Response, body []byte, status int) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d; body: %s", resp.Request.Method, resp.Request.URL.Path, resp.StatusCode, status, body)
	}
}

// names returns the names of APIs.
func names(apis []apim.API) []string {
	var n []string
	for _, a := range apis {
		n = append(n, a.Name+" "+a.Version)
	}
	return n
}
