package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// echo is what the echo backend reports about the request it received.
type echo struct {
	Method     string
	RequestURI string
	Host       string
	Header     http.Header
	Body       string
	Backend    string
	Chunked    bool
	Length     int64
}

// echoBackend starts a backend on 127.0.0.1 that answers with an echo of
// the request as JSON, tagged with name.
func echoBackend(t testing.TB, name string) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", name)
		_ = json.NewEncoder(w).Encode(echo{
			Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, Header: r.Header, Body: string(body), Backend: name,
			Chunked: len(r.TransferEncoding) > 0, Length: r.ContentLength,
		})
	}))
	t.Cleanup(s.Close)
	return s
}

// backend starts a backend on 127.0.0.1 with a custom handler.
func backend(t testing.TB, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// deadURL returns an http URL on 127.0.0.1 where nothing listens.
func deadURL(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// petstore returns a spec with one default-version API whose production
// endpoint is url (plus a path prefix to check joining).
func petstore(url string) *Spec {
	return &Spec{
		Label:      "test",
		MgwVersion: "v0.0.0-test",
		APIs: []API{{
			Name:             "PetStore",
			Version:          "1.0.0",
			Context:          "/petstore",
			BasePath:         "/petstore/v1",
			IsDefaultVersion: true,
			Production:       &Endpoint{Type: EndpointHTTP, URLs: []string{url + "/api"}},
			Resources: []Resource{
				{Path: "/", Method: "GET"},
				{Path: "/admin", Method: "GET"},
				{Path: "/files/{name}", Method: "GET"},
				{Path: "/pet", Method: "POST"},
				{Path: "/pet", Method: "PUT"},
				{Path: "/pet/findByStatus", Method: "GET"},
				{Path: "/pet/{petId}", Method: "GET"},
				{Path: "/pet/{petId}", Method: "DELETE"},
				{Path: "/x/*", Method: "GET"},
				{Path: "/{name}", Method: "GET", AuthType: "None"},
			},
		}},
	}
}

// testConfig is a config listening on 127.0.0.1 with a free port.
func testConfig() Config {
	c := DefaultConfig()
	c.HTTP.Host = "127.0.0.1"
	c.HTTP.Port = 0
	c.HTTPS.Host = "127.0.0.1"
	c.HTTPS.Port = 0
	c.Log.Access = false
	c.Server.ShutdownGrace = 5 * time.Second
	c.Security.Enabled = false // security_test.go turns it on
	return c
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// running is a gateway serving on 127.0.0.1 for a test.
type running struct {
	g     *Gateway
	ls    Listeners
	http  string // base URL of the HTTP listener
	https string // base URL of the HTTPS listener, if any
	logs  *syncBuffer
	stop  func() error
}

// start builds and serves a gateway; mws are installed with Use.
func start(t testing.TB, spec *Spec, cfg Config, mws ...Middleware) *running {
	t.Helper()
	logs := &syncBuffer{}
	g, err := New(spec, cfg, slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	g.Use(mws...)
	ls, err := g.Listen()
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- g.Serve(ctx, ls) }()
	r := &running{g: g, ls: ls, logs: logs}
	if ls.HTTP != nil {
		r.http = "http://" + ls.HTTP.Addr().String()
	}
	if ls.HTTPS != nil {
		r.https = "https://" + ls.HTTPS.Addr().String()
	}
	var once sync.Once
	var stopErr error
	r.stop = func() error {
		once.Do(func() {
			cancel()
			stopErr = <-done
		})
		return stopErr
	}
	t.Cleanup(func() { _ = r.stop() })
	// Serve marks the gateway ready once its servers run.
	deadline := time.Now().Add(5 * time.Second)
	for !g.ready.Load() {
		if time.Now().After(deadline) {
			t.Fatal("gateway did not become ready")
		}
		time.Sleep(time.Millisecond)
	}
	return r
}

// client is an HTTP client that does not follow redirects or share
// connections between tests.
func client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{DisableCompression: true},
		Timeout:   10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// do sends a request and returns the response with its body read.
func do(t testing.TB, c *http.Client, method, url string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, url, err)
	}
	return resp, string(b)
}

// decodeEcho parses an echo backend's answer.
func decodeEcho(t testing.TB, body string) echo {
	t.Helper()
	var e echo
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatalf("backend answer %q is not an echo: %v", body, err)
	}
	return e
}

// faultBody renders the exact fault JSON the gateway must send.
func faultBody(code int, message, description string) string {
	var b strings.Builder
	b.WriteString(`{"fault":{"code":`)
	b.WriteString(itoa(code))
	b.WriteString(`,"message":`)
	m, _ := json.Marshal(message)
	b.Write(m)
	b.WriteString(`,"description":`)
	d, _ := json.Marshal(description)
	b.Write(d)
	b.WriteString("}}")
	return b.String()
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// resourceHeader is a middleware that reports the matched resource and
// client IP in response headers, and lets a request ask for the sandbox.
func resourceHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		w.Header().Set("X-Test-Resource", info.Resource.Method+" "+info.Resource.Path)
		w.Header().Set("X-Test-Client", info.ClientIP.String())
		w.Header().Set("X-Test-Backend-Path", info.BackendPath)
		if r.Header.Get("X-Test-Sandbox") != "" {
			info.KeyType = KeyTypeSandbox
		}
		next.ServeHTTP(w, r)
	})
}

const (
	notFoundFault = `{"fault":{"code":900906,"message":"No matching resource found in the API for the given request","description":"No matching resource found in the API for the given request. Check the API documentation and add a proper REST resource path to the invocation URL"}}`
	badPathFault  = `{"fault":{"code":101400,"message":"Bad Request","description":"The request path is malformed or leaves the API"}}`
)
