package apim

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// blacklistBody is a list as API Manager 2.6 answers it: a plain IP (the
// definition's example) and the JSON text 2.x stores for IP and IPRANGE.
const blacklistBody = `{"count":5,"list":[
 {"conditionId":"b513eb68-69e8-4c32-92cf-852c101363cf","conditionType":"IP","conditionValue":"10.100.7.77"},
 {"conditionId":"c1","conditionType":"IPRANGE","conditionValue":"{\"startingIp\":\"10.0.0.1\",\"endingIp\":\"10.0.0.9\",\"invert\":false}"},
 {"conditionId":"c2","conditionType":"API","conditionValue":"/pizzashack/1.0.0"},
 {"conditionId":"c3","conditionType":"APPLICATION","conditionValue":"admin:DefaultApplication"},
 {"conditionId":"c4","conditionType":"USER","conditionValue":"bob@carbon.super"}]}`

func TestBlockingConditions(t *testing.T) {
	f := newFakeAPIM(t)
	var auth string
	f.handle("/api/am/admin/v0.14/throttling/blacklist", func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Get("Authorization")
		writeJSON(w, http.StatusOK, blacklistBody)
	})
	c := f.client(t, nil)
	login(t, c)
	got, err := c.BlockingConditions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 || got[0].ConditionValue != "10.100.7.77" || got[1].ConditionType != BlockIPRange ||
		!strings.Contains(got[1].ConditionValue, `"endingIp":"10.0.0.9"`) || got[3].ConditionValue != "admin:DefaultApplication" {
		t.Errorf("conditions = %+v", got)
	}
	if !strings.HasPrefix(auth, "Bearer ") {
		t.Errorf("Authorization = %q, want a bearer token", auth)
	}
}

func TestBlockingConditionsErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		status int
		body   string
		want   error
		text   string
	}{
		"count differs": {200, `{"count":2,"list":[{"conditionType":"IP","conditionValue":"1.2.3.4"}]}`, ErrMalformed, "count is 2 but the list holds 1"},
		"no value":      {200, `{"count":1,"list":[{"conditionId":"x9","conditionType":"IP"}]}`, ErrMalformed, "conditionId x9"},
		"not json":      {200, `<html>`, ErrMalformed, "expected a JSON object"},
		"forbidden":     {403, `{"code":900910,"message":"The access token does not allow you to access the requested resource"}`, ErrScope, ScopeBlacklistView},
	} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPIM(t)
			f.handle("/api/am/admin/v0.14/throttling/blacklist", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tc.status, tc.body)
			})
			c := f.client(t, nil)
			login(t, c)
			_, err := c.BlockingConditions(context.Background())
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Errorf("err = %v, want %v containing %q", err, tc.want, tc.text)
			}
		})
	}
}

func FuzzDecodeBlockingConditionList(f *testing.F) {
	f.Add([]byte(blacklistBody))
	f.Add([]byte(`{"count":0,"list":[]}`))
	f.Add([]byte(`{"count":1,"list":[{"conditionType":"USER","conditionValue":"a"}],"extra":1}`))
	f.Add([]byte(`{"count":-1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodeBlockingConditionList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		for _, b := range list.List {
			if b.ConditionType == "" || b.ConditionValue == "" {
				t.Fatalf("accepted a condition without type or value: %+v", b)
			}
		}
		again, err := DecodeBlockingConditionList(mustJSON(t, list))
		if err != nil {
			t.Fatalf("re-decoding an accepted list: %v", err)
		}
		if string(mustJSON(t, list)) != string(mustJSON(t, again)) {
			t.Fatalf("list changed on a round trip")
		}
	})
}
