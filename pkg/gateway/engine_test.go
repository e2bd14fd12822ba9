package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Behaviour of the plain-HTTP backend client (backend.engine h1) seen
// through the whole gateway; proxy_test.go covers the rest with it too.

func TestBackendClosesIdleConnection(t *testing.T) {
	// A backend that answers one request per connection and then closes
	// it without saying so, like one with a short keep-alive timeout: the
	// gateway must notice the dead pooled connection and redial.
	url := rawListener(t, func(c net.Conn) {
		if _, err := http.ReadRequest(bufio.NewReader(c)); err != nil {
			return
		}
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	gw := start(t, petstore(url), testConfig())
	for i := range 3 {
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		if resp.StatusCode != 200 || body != "ok" {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
		time.Sleep(20 * time.Millisecond) // the backend's close arrives
	}
}

func TestBodilessResponsesKeepConnection(t *testing.T) {
	var newConns atomic.Int32
	be := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == "HEAD":
			w.Header().Set("Content-Length", "500")
		case strings.HasSuffix(r.URL.Path, "/204"):
			w.WriteHeader(204)
		case strings.HasSuffix(r.URL.Path, "/304"):
			w.WriteHeader(304)
		default:
			fmt.Fprint(w, "body")
		}
	}))
	be.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			newConns.Add(1)
		}
	}
	be.Start()
	t.Cleanup(be.Close)
	spec := petstore(be.URL)
	spec.APIs[0].Resources = append(spec.APIs[0].Resources, Resource{Path: "/pet/{petId}", Method: "HEAD"})
	gw := start(t, spec, testConfig())
	for _, tc := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"HEAD", "/pet/1", 200, ""},
		{"GET", "/pet/204", 204, ""},
		{"GET", "/pet/304", 304, ""},
		{"GET", "/pet/1", 200, "body"},
	} {
		resp, body := do(t, client(), tc.method, gw.http+"/petstore/v1"+tc.path, nil)
		if resp.StatusCode != tc.status || body != tc.body {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
		if tc.method == "HEAD" && resp.ContentLength != 500 {
			t.Errorf("HEAD: Content-Length %d, want the backend's 500", resp.ContentLength)
		}
	}
	if n := newConns.Load(); n != 1 {
		t.Errorf("the backend saw %d connections for 4 sequential requests, want 1", n)
	}
}

func TestChunkedUpload(t *testing.T) {
	be := echoBackend(t, "prod")
	gw := start(t, petstore(be.URL), testConfig())
	body := strings.Repeat("0123456789", 10_000) // 100 kB, several buffers
	// io.MultiReader hides the length: the client sends it chunked.
	_, got := do(t, client(), "POST", gw.http+"/petstore/v1/pet", io.MultiReader(strings.NewReader(body)))
	e := decodeEcho(t, got)
	if e.Body != body || !e.Chunked {
		t.Errorf("backend got %d bytes, chunked=%v; want %d bytes chunked", len(e.Body), e.Chunked, len(body))
	}
}

func TestBackendEngines(t *testing.T) {
	cfg := testConfig()
	cfg.Backend.Engine = "fasthttp"
	if _, err := New(petstore("http://127.0.0.1:1"), cfg, nil); err == nil || !strings.Contains(err.Error(), "backend.engine") {
		t.Errorf("unknown engine: %v", err)
	}
	be := echoBackend(t, "prod")
	for _, engine := range []string{EngineH1, EngineNetHTTP} {
		cfg := testConfig()
		cfg.Backend.Engine = engine
		gw := start(t, petstore(be.URL), cfg)
		_, body := do(t, client(), "POST", gw.http+"/petstore/v1/pet?a=1", strings.NewReader("hi"), "X-Custom", "v")
		e := decodeEcho(t, body)
		if e.RequestURI != "/api/pet?a=1" || e.Body != "hi" || e.Header.Get("X-Custom") != "v" || e.Header.Get("X-Request-Id") == "" {
			t.Errorf("%s: backend got %+v", engine, e)
		}
	}
}

// BenchmarkProxyEngines compares the plain-HTTP backend clients in the
// BenchmarkProxy harness (handler level, real backend socket).
func BenchmarkProxyEngines(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) })
	for _, engine := range []string{EngineH1, EngineNetHTTP} {
		b.Run(engine, func(b *testing.B) {
			cfg := testConfig()
			cfg.Backend.Engine = engine
			g, err := New(petstore(be.URL), cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			benchServe(b, g.Handler(), "http://gw/petstore/v1/pet/42", nil)
		})
	}
}

// TestServerEngines serves the same requests with both engines of the
// plain-HTTP listener: a proxied upload, a fault and the health check.
func TestServerEngines(t *testing.T) {
	be := echoBackend(t, "prod")
	for _, engine := range []string{EngineH1, EngineNetHTTP} {
		t.Run(engine, func(t *testing.T) {
			cfg := testConfig()
			cfg.Server.Engine = engine
			gw := start(t, petstore(be.URL), cfg)
			c := client()
			resp, body := do(t, c, "POST", gw.http+"/petstore/v1/pet?a=1", strings.NewReader("hi"), "X-Custom", "v")
			e := decodeEcho(t, body)
			if resp.StatusCode != 200 || e.RequestURI != "/api/pet?a=1" || e.Body != "hi" || e.Header.Get("X-Custom") != "v" {
				t.Errorf("proxied upload: status %d, backend got %+v", resp.StatusCode, e)
			}
			if resp.Header.Get("X-Request-Id") == "" || resp.Header.Get("Date") == "" {
				t.Errorf("response header %v lacks X-Request-Id or Date", resp.Header)
			}
			resp, body = do(t, c, "GET", gw.http+"/no-such-api/v1/pet", nil)
			if resp.StatusCode != 404 || !strings.Contains(body, "900906") || resp.ContentLength != int64(len(body)) {
				t.Errorf("fault: status %d, length %d, body %q", resp.StatusCode, resp.ContentLength, body)
			}
			resp, body = do(t, c, "GET", gw.http+"/health", nil)
			if resp.StatusCode != 200 || body != `{"status":"healthy"}` {
				t.Errorf("health: %d %q", resp.StatusCode, body)
			}
		})
	}
}
