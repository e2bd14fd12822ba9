package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

// TestSetupEveryVersion pulls the demo label from a simulated 2.6, 3.x and
// 4.x and expects the very same workspace files from each: the newer
// payloads map into the model 2.6 produces, so mgw build is unchanged.
func TestSetupEveryVersion(t *testing.T) {
	var want map[string]string
	for _, v := range []apim.Version{apim.V26, apim.V3, apim.V4} {
		t.Run(string(v), func(t *testing.T) {
			dir := t.TempDir()
			r := setup(t, dir, simServer(t, v, nil), "demo")
			if r.err != nil {
				t.Fatalf("setup: %v\n%s", r.err, r.stderr)
			}
			if !strings.Contains(r.stderr, "is an "+v.Product()) {
				t.Errorf("setup did not report the detected version %s:\n%s", v, r.stderr)
			}
			got := readTree(t, filepath.Join(dir, "labels"))
			if len(got) < 5 {
				t.Fatalf("labels/ holds %d files, want the demo APIs and policies.yaml", len(got))
			}
			for _, frag := range []string{"type: ipRange", "type: queryParameter", "invert: true", "type: bandwidth", "http://wso2.org/claims/applicationname",
				"blocking:", "startingIP: 203.0.113.0", "ip: 198.51.100.7", "blocked-user@carbon.super", "/draft/0.1.0"} {
				if !strings.Contains(got["demo/policies.yaml"], frag) {
					t.Errorf("policies.yaml lacks %q", frag)
				}
			}
			cfg, err := os.ReadFile(filepath.Join(dir, "mgw.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			for _, frag := range []string{"restVersion: " + v.RESTVersion(), "dcrVersion: " + v.DCRVersion()} {
				if !strings.Contains(string(cfg), frag) {
					t.Errorf("mgw.yaml lacks %q:\n%s", frag, cfg)
				}
			}
			if strings.Contains(string(cfg), "apimVersion") {
				t.Errorf("a detected version must not be pinned in mgw.yaml:\n%s", cfg)
			}
			if want == nil {
				want = got
				return
			}
			for name, data := range want {
				if got[name] != data {
					t.Errorf("%s differs from 2.6's:\n--- 2.6\n%s\n--- %s\n%s", name, data, v, got[name])
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d files, 2.6 gave %d", len(got), len(want))
			}
		})
	}
}

// TestSetupForcedVersion: --apim-version skips detection, is remembered in
// mgw.yaml and "auto" forgets it; a wrong one fails before logging in,
// naming the URL and what was expected, and writes nothing.
func TestSetupForcedVersion(t *testing.T) {
	url := simServer(t, apim.V3, nil)
	dir := t.TempDir()
	r := setup(t, dir, url, "demo", "--apim-version", "3.2.0")
	if r.err != nil {
		t.Fatalf("setup: %v\n%s", r.err, r.stderr)
	}
	if strings.Contains(r.stderr, "is an API Manager") {
		t.Errorf("a forced version was detected anyway:\n%s", r.stderr)
	}
	cfg, _ := os.ReadFile(filepath.Join(dir, "mgw.yaml"))
	if !strings.Contains(string(cfg), "apimVersion: 3.x") {
		t.Fatalf("mgw.yaml does not remember the forced version:\n%s", cfg)
	}
	// The remembered version is used without the flag.
	if r := setup(t, dir, url, "demo"); r.err != nil || strings.Contains(r.stderr, "is an API Manager") {
		t.Fatalf("second setup: %v\n%s", r.err, r.stderr)
	}
	if r := setup(t, dir, url, "demo", "--apim-version", "auto"); r.err != nil {
		t.Fatalf("setup --apim-version auto: %v\n%s", r.err, r.stderr)
	}
	cfg, _ = os.ReadFile(filepath.Join(dir, "mgw.yaml"))
	if strings.Contains(string(cfg), "apimVersion") {
		t.Errorf("auto did not forget the version:\n%s", cfg)
	}

	for _, tc := range []struct {
		server apim.Version
		forced string
		want   string
	}{
		{apim.V26, "4.x", "is not an API Manager 4.x"},
		{apim.V4, "3.x", "is not an API Manager 3.x"},
		{apim.V3, "2.6", "is not an API Manager 2.6"},
	} {
		url := simServer(t, tc.server, nil)
		dir := t.TempDir()
		r := setup(t, dir, url, "demo", "--apim-version", tc.forced)
		if r.err == nil {
			t.Fatalf("%s server, forced %s: setup succeeded", tc.server, tc.forced)
		}
		msg := r.err.Error()
		for _, frag := range []string{tc.want, url, "404"} {
			if !strings.Contains(msg, frag) {
				t.Errorf("%s server, forced %s: error lacks %q: %s", tc.server, tc.forced, frag, msg)
			}
		}
		if !errors.Is(r.err, apim.ErrNoAPIManager) {
			t.Errorf("error is not ErrNoAPIManager: %v", r.err)
		}
		assertNothingWritten(t, dir)
	}
	if r := setup(t, t.TempDir(), url, "demo", "--apim-version", "5"); r.err == nil || !strings.Contains(r.err.Error(), "use 2.6, 3.x or 4.x") {
		t.Errorf("--apim-version 5: %v", r.err)
	}
}

// assertNothingWritten fails when setup left a file in dir.
func assertNothingWritten(t *testing.T, dir string) {
	t.Helper()
	for _, name := range []string{"mgw.yaml", "labels", ".mgw/credentials.json"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("setup failed but wrote %s", name)
		}
	}
}

// TestSetupBadServers: an HTML page, a server that is no API Manager,
// truncated JSON and paging that never ends each give an error that says
// what was wrong, and nothing is written.
func TestSetupBadServers(t *testing.T) {
	const html = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>"
	isList := func(r *http.Request) bool {
		return strings.HasSuffix(r.URL.Path, "/apis") && r.Header.Get("Authorization") != ""
	}
	cases := []struct {
		name    string
		version apim.Version
		label   string
		wrap    func(http.Handler) http.Handler
		want    []string
	}{{
		name: "HTML page",
		wrap: func(http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				fmt.Fprint(w, html)
			})
		},
		want: []string{"HTML page", "/api/am/publisher/v4/apis", "401 and a JSON error"},
	}, {
		name: "not an API Manager",
		wrap: func(http.Handler) http.Handler { return http.NotFoundHandler() },
		want: []string{"is not an API Manager 2.6, 3.x or 4.x", "/api/am/publisher/v4/apis", "/api/am/publisher/v1/apis", "/api/am/publisher/v0.14/apis", "404"},
	}, {
		name:    "truncated JSON",
		version: apim.V4,
		wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !isList(r) {
					next.ServeHTTP(w, r)
					return
				}
				rec := httptest.NewRecorder()
				next.ServeHTTP(rec, r)
				body := rec.Body.Bytes()
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(body[:len(body)/2])
			})
		},
		want: []string{"malformed answer", "/api/am/publisher/v4/apis", "truncated", "API Manager 4.x"},
	}, {
		name:    "paging ignores the offset",
		version: apim.V3,
		label:   "big",
		wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if isList(r) {
					q := r.URL.Query()
					q.Set("offset", "0")
					r.URL.RawQuery = q.Encode()
				}
				next.ServeHTTP(w, r)
			})
		},
		want: []string{"repeats APIs already received", "/api/am/publisher/v1/apis"},
	}, {
		name:    "paging never ends",
		version: apim.V3,
		wrap: func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if !isList(r) {
					next.ServeHTTP(w, r)
					return
				}
				// Every page is new and announces more.
				off := r.URL.Query().Get("offset")
				list := apim.ModernAPIList{Pagination: &apim.ModernPagination{Total: 1 << 30, Next: "/apis?offset=more"}}
				for i := range 100 {
					list.List = append(list.List, apim.ModernAPIInfo{ID: fmt.Sprintf("%s-%d", off, i), Name: "Endless", Version: off + "." + fmt.Sprint(i), Context: "/e"})
				}
				list.Count = len(list.List)
				var buf bytes.Buffer
				_ = json.NewEncoder(&buf).Encode(list)
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write(buf.Bytes())
			})
		},
		want: []string{"kept sending pages after 1000 pages"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.version
			if v == "" {
				v = apim.V26
			}
			label := tc.label
			if label == "" {
				label = "demo"
			}
			dir := t.TempDir()
			url := simServer(t, v, tc.wrap)
			r := setup(t, dir, url, label)
			if r.err == nil {
				t.Fatalf("setup succeeded:\n%s", r.stderr)
			}
			msg := r.err.Error()
			for _, frag := range append(tc.want, url) {
				if !strings.Contains(msg, frag) {
					t.Errorf("error lacks %q:\n%s", frag, msg)
				}
			}
			assertNothingWritten(t, dir)
		})
	}
}

// TestSetupOneAPIEveryVersion pulls one API by name and version: on 4.x the
// revision deployed to the environment the label names.
func TestSetupOneAPIEveryVersion(t *testing.T) {
	for _, v := range []apim.Version{apim.V3, apim.V4} {
		url := simServer(t, v, nil)
		dir := t.TempDir()
		r := setup(t, dir, url, "demo", "-a", "PizzaShackAPI", "--api-version", "1.0.0")
		if r.err != nil {
			t.Fatalf("%s: setup: %v\n%s", v, r.err, r.stderr)
		}
		files := readTree(t, filepath.Join(dir, "labels", "demo", "apis"))
		if len(files) != 1 || files["PizzaShackAPI-1.0.0.yaml"] == "" {
			t.Errorf("%s: files %v, want only PizzaShackAPI-1.0.0.yaml", v, len(files))
		}
		r = setup(t, t.TempDir(), url, "demo", "-a", "PizzaShackAPI", "--api-version", "9.9.9")
		if r.err == nil || !strings.Contains(r.err.Error(), `no API named "PizzaShackAPI" with version "9.9.9"`) {
			t.Errorf("%s: missing API: %v", v, r.err)
		}
	}
	// 4.x: an API not deployed to the environment is not found there.
	r := setup(t, t.TempDir(), simServer(t, apim.V4, nil), "elsewhere", "-a", "PizzaShackAPI", "--api-version", "1.0.0")
	if r.err == nil || !strings.Contains(r.err.Error(), `deployed to gateway environment "elsewhere"`) {
		t.Errorf("4.x, other environment: %v", r.err)
	}
}
