package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestForwardedHeaders(t *testing.T) {
	be := echoBackend(t, "prod")
	spoof := []string{"X-Forwarded-For", "1.2.3.4", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example", "Forwarded", "for=1.2.3.4"}

	t.Run("untrusted peer: replaced", func(t *testing.T) {
		gw := start(t, petstore(be.URL), testConfig(), resourceHeader)
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil, spoof...)
		e := decodeEcho(t, body)
		host := strings.TrimPrefix(gw.http, "http://")
		if got := e.Header["X-Forwarded-For"]; len(got) != 1 || got[0] != "127.0.0.1" {
			t.Errorf("X-Forwarded-For = %q, want [127.0.0.1]", got)
		}
		if got := e.Header.Get("X-Forwarded-Proto"); got != "http" {
			t.Errorf("X-Forwarded-Proto = %q", got)
		}
		if got := e.Header.Get("X-Forwarded-Host"); got != host {
			t.Errorf("X-Forwarded-Host = %q, want %q", got, host)
		}
		if got := e.Header.Get("Forwarded"); got != "" {
			t.Errorf("Forwarded from an untrusted peer passed: %q", got)
		}
		if got := resp.Header.Get("X-Test-Client"); got != "127.0.0.1" {
			t.Errorf("client IP %q", got)
		}
		if e.Host != strings.TrimPrefix(be.URL, "http://") {
			t.Errorf("backend Host = %q, want the backend's own", e.Host)
		}
	})
	t.Run("trusted peer: kept and extended", func(t *testing.T) {
		cfg := testConfig()
		cfg.Server.TrustedProxies = []string{"127.0.0.0/8", "10.0.0.0/8"}
		gw := start(t, petstore(be.URL), cfg, resourceHeader)
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil,
			"X-Forwarded-For", "1.2.3.4, 10.1.1.1", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "api.example", "Forwarded", "for=1.2.3.4")
		e := decodeEcho(t, body)
		if got := e.Header.Get("X-Forwarded-For"); got != "1.2.3.4, 10.1.1.1, 127.0.0.1" {
			t.Errorf("X-Forwarded-For = %q", got)
		}
		if e.Header.Get("X-Forwarded-Proto") != "https" || e.Header.Get("X-Forwarded-Host") != "api.example" || e.Header.Get("Forwarded") != "for=1.2.3.4" {
			t.Errorf("trusted forwarding headers not kept: %v", e.Header)
		}
		// The client is the rightmost untrusted address.
		if got := resp.Header.Get("X-Test-Client"); got != "1.2.3.4" {
			t.Errorf("client IP %q, want 1.2.3.4", got)
		}
	})
}

func TestHopByHopHeaders(t *testing.T) {
	var seen http.Header
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		seen = r.Header.Clone()
		w.Header().Set("Connection", "X-Resp-Hop")
		w.Header().Set("X-Resp-Hop", "1")
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("Proxy-Authenticate", "Basic")
		w.Header().Set("X-Resp-End", "kept")
		fmt.Fprint(w, "ok")
	})
	gw := start(t, petstore(be.URL), testConfig())
	resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil,
		"Connection", "X-Custom-Hop, keep-alive", "X-Custom-Hop", "1", "Keep-Alive", "300",
		"Proxy-Authorization", "Basic eDp5", "Proxy-Connection", "keep-alive", "Upgrade", "websocket",
		"Te", "trailers, deflate", "X-End", "kept")
	for _, h := range []string{"X-Custom-Hop", "Keep-Alive", "Proxy-Authorization", "Proxy-Connection", "Upgrade"} {
		if v := seen.Get(h); v != "" {
			t.Errorf("backend received hop-by-hop %s: %q", h, v)
		}
	}
	if c := seen.Get("Connection"); strings.Contains(c, "X-Custom-Hop") {
		t.Errorf("client's Connection header forwarded: %q", c)
	}
	if te := seen.Get("Te"); te != "trailers" {
		t.Errorf("Te = %q, want only trailers", te)
	}
	if seen.Get("X-End") != "kept" {
		t.Error("end-to-end request header dropped")
	}
	for _, h := range []string{"X-Resp-Hop", "Keep-Alive", "Proxy-Authenticate"} {
		if v := resp.Header.Get(h); v != "" {
			t.Errorf("client received hop-by-hop %s: %q", h, v)
		}
	}
	if resp.Header.Get("X-Resp-End") != "kept" {
		t.Error("end-to-end response header dropped")
	}
}

func TestStreamingResponse(t *testing.T) {
	release := make(chan struct{})
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "first chunk;")
		w.(http.Flusher).Flush()
		<-release
		fmt.Fprint(w, "second chunk")
	})
	defer close(release)
	gw := start(t, petstore(be.URL), testConfig())
	resp, err := client().Get(gw.http + "/petstore/v1/pet/1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, len("first chunk;"))
	got := make(chan error, 1)
	go func() { _, err := io.ReadFull(resp.Body, buf); got <- err }()
	select {
	case err := <-got:
		if err != nil || string(buf) != "first chunk;" {
			t.Fatalf("read %q, %v", buf, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first chunk did not arrive while the backend was still sending")
	}
}

func TestStreamingRequest(t *testing.T) {
	gotFirst := make(chan string, 1)
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 5)
		if _, err := io.ReadFull(r.Body, buf); err != nil {
			t.Errorf("backend read: %v", err)
		}
		gotFirst <- string(buf)
		rest, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s%s", buf, rest)
	})
	gw := start(t, petstore(be.URL), testConfig())
	pr, pw := io.Pipe()
	done := make(chan string, 1)
	go func() {
		_, body := do(t, client(), "POST", gw.http+"/petstore/v1/pet", pr)
		done <- body
	}()
	if _, err := pw.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	select {
	case s := <-gotFirst:
		if s != "hello" {
			t.Fatalf("backend got %q", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the backend did not get the first part while the client was still sending")
	}
	fmt.Fprint(pw, " world")
	pw.Close()
	if body := <-done; body != "hello world" {
		t.Errorf("echoed %q", body)
	}
}

// rawRequest writes req on a new connection to addr and returns a reader
// of the answer.
func rawConn(t *testing.T, addr string) (net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn, bufio.NewReader(conn)
}

func TestExpectContinue(t *testing.T) {
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Reject") != "" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, "no")
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "got %s", b)
	})
	gw := start(t, petstore(be.URL), testConfig())
	addr := gw.ls.HTTP.Addr().String()

	t.Run("accepted", func(t *testing.T) {
		conn, br := rawConn(t, addr)
		fmt.Fprint(conn, "POST /petstore/v1/pet HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
		line, err := br.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100 ") {
			t.Fatalf("first line %q, %v; want 100 Continue before the body is sent", line, err)
		}
		if blank, _ := br.ReadString('\n'); blank != "\r\n" {
			t.Fatalf("interim response not terminated: %q", blank)
		}
		fmt.Fprint(conn, "hello")
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, resp); resp.StatusCode != 200 || body != "got hello" {
			t.Errorf("final response %d %q", resp.StatusCode, body)
		}
	})
	t.Run("rejected before the body", func(t *testing.T) {
		conn, br := rawConn(t, addr)
		fmt.Fprint(conn, "POST /petstore/v1/pet HTTP/1.1\r\nHost: gw\r\nContent-Length: 5\r\nExpect: 100-continue\r\nX-Reject: 1\r\n\r\n")
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, resp); resp.StatusCode != 401 || body != "no" {
			t.Errorf("got %d %q, want the backend's 401 without a 100 first", resp.StatusCode, body)
		}
	})
}

func TestLoadBalanceRoundRobin(t *testing.T) {
	var urls []string
	for _, n := range []string{"a", "b", "c"} {
		urls = append(urls, echoBackend(t, n).URL)
	}
	spec := petstore("")
	spec.APIs[0].Production = &Endpoint{Type: EndpointLoadBalance, URLs: urls}
	gw := start(t, spec, testConfig())
	c := client()
	var got []string
	for range 6 {
		resp, _ := do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil)
		got = append(got, resp.Header.Get("X-Backend"))
	}
	if s := strings.Join(got, ""); s != "abcabc" {
		t.Errorf("backends in order %q, want abcabc", s)
	}
}

func TestLoadBalanceSkipsDeadMember(t *testing.T) {
	spec := petstore("")
	spec.APIs[0].Production = &Endpoint{Type: EndpointLoadBalance, URLs: []string{echoBackend(t, "a").URL, deadURL(t)}}
	gw := start(t, spec, testConfig())
	for i := range 4 {
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
	}
}

// counting is a backend that counts its requests.
func counting(t *testing.T, name string, h http.HandlerFunc) (*atomic.Int32, string) {
	var n atomic.Int32
	s := backend(t, func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("X-Backend", name)
		if h != nil {
			h(w, r)
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%s:%s", name, b)
	})
	return &n, s.URL
}

func TestFailover(t *testing.T) {
	slow := make(chan struct{})
	t.Cleanup(func() { close(slow) })
	hang := func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-slow:
		case <-r.Context().Done():
		}
	}
	cases := []struct {
		name       string
		primary    func(t *testing.T) (*atomic.Int32, string)
		method     string
		body       string
		status     int
		from       string // backend that answered
		secondHits int32
	}{
		{"refused connection, GET", func(t *testing.T) (*atomic.Int32, string) { return new(atomic.Int32), deadURL(t) }, "GET", "", 200, "secondary", 1},
		{"refused connection, POST with body", func(t *testing.T) (*atomic.Int32, string) { return new(atomic.Int32), deadURL(t) }, "POST", "payload", 200, "secondary", 1},
		{"timeout, GET", func(t *testing.T) (*atomic.Int32, string) { return counting(t, "primary", hang) }, "GET", "", 200, "secondary", 1},
		{"timeout, POST whose body was sent", func(t *testing.T) (*atomic.Int32, string) { return counting(t, "primary", hang) }, "POST", "payload", 504, "", 0},
		{"primary fine", func(t *testing.T) (*atomic.Int32, string) { return counting(t, "primary", nil) }, "POST", "payload", 200, "primary", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			primaryHits, primary := tc.primary(t)
			secondHits, secondary := counting(t, "secondary", nil)
			spec := petstore("")
			spec.APIs[0].Production = &Endpoint{Type: EndpointFailover, URLs: []string{primary, secondary}, TimeoutMillis: 300}
			gw := start(t, spec, testConfig())
			path := "/petstore/v1/pet/1"
			if tc.method == "POST" {
				path = "/petstore/v1/pet"
			}
			resp, body := do(t, client(), tc.method, gw.http+path, strings.NewReader(tc.body))
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			if tc.status == 200 {
				if want := tc.from + ":" + tc.body; body != want {
					t.Errorf("body %q, want %q", body, want)
				}
			}
			if tc.status == 504 && body != `{"fault":{"code":101504,"message":"Runtime Error","description":"Connection timed out"}}` {
				t.Errorf("timeout body %s", body)
			}
			if got := secondHits.Load(); got != tc.secondHits {
				t.Errorf("secondary got %d requests, want %d", got, tc.secondHits)
			}
			_ = primaryHits
		})
	}
}

func TestBackendFaults(t *testing.T) {
	t.Run("unreachable", func(t *testing.T) {
		gw := start(t, petstore(deadURL(t)), testConfig())
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		want := `{"fault":{"code":101503,"message":"Runtime Error","description":"Error connecting to the back end"}}`
		if resp.StatusCode != 502 || body != want || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		release := make(chan struct{})
		be := backend(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		spec := petstore(be.URL)
		spec.APIs[0].Production.TimeoutMillis = 200
		gw := start(t, spec, testConfig())
		t0 := time.Now()
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		want := `{"fault":{"code":101504,"message":"Runtime Error","description":"Connection timed out"}}`
		if resp.StatusCode != 504 || body != want {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
		if d := time.Since(t0); d > 3*time.Second {
			t.Errorf("took %v for a 200ms timeout", d)
		}
	})
	t.Run("default response timeout from config", func(t *testing.T) {
		release := make(chan struct{})
		be := backend(t, func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		cfg := testConfig()
		cfg.Backend.ResponseTimeout = 200 * time.Millisecond
		gw := start(t, petstore(be.URL), cfg)
		if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != 504 {
			t.Errorf("status %d, want 504", resp.StatusCode)
		}
	})
	t.Run("backend breaks off mid-body", func(t *testing.T) {
		be := backend(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			fmt.Fprint(w, "partial")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		})
		gw := start(t, petstore(be.URL), testConfig())
		resp, err := client().Get(gw.http + "/petstore/v1/pet/1")
		if err != nil {
			t.Fatal(err)
		}
		if b, err := io.ReadAll(resp.Body); err == nil || resp.StatusCode != 200 || string(b) != "partial" {
			t.Errorf("got %d %q, %v; want the partial body and an error", resp.StatusCode, b, err)
		}
		resp.Body.Close()
	})
}

func TestSandboxSelection(t *testing.T) {
	prod, sand := echoBackend(t, "prod"), echoBackend(t, "sand")
	t.Run("sandbox key uses the sandbox endpoint", func(t *testing.T) {
		spec := petstore(prod.URL)
		spec.APIs[0].Sandbox = &Endpoint{Type: EndpointHTTP, URLs: []string{sand.URL}}
		gw := start(t, spec, testConfig(), resourceHeader)
		resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil, "X-Test-Sandbox", "1")
		if resp.Header.Get("X-Backend") != "sand" {
			t.Errorf("answered by %q", resp.Header.Get("X-Backend"))
		}
		resp, _ = do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		if resp.Header.Get("X-Backend") != "prod" {
			t.Errorf("default key type answered by %q", resp.Header.Get("X-Backend"))
		}
	})
	t.Run("missing sandbox endpoint", func(t *testing.T) {
		gw := start(t, petstore(prod.URL), testConfig(), resourceHeader)
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil, "X-Test-Sandbox", "1")
		want := `{"ERROR_CODE":"900901","ERROR_MESSAGE":"Sandbox key offered to the API with no sandbox endpoint"}`
		if resp.StatusCode != 403 || body != want || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("missing production endpoint", func(t *testing.T) {
		spec := petstore(prod.URL)
		spec.APIs[0].Production, spec.APIs[0].Sandbox = nil, &Endpoint{URLs: []string{sand.URL}}
		gw := start(t, spec, testConfig())
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		want := `{"ERROR_CODE":"900901","ERROR_MESSAGE":"Production key offered to the API with no production endpoint"}`
		if resp.StatusCode != 403 || body != want {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("resource endpoint overrides the API's", func(t *testing.T) {
		spec := petstore(prod.URL)
		spec.APIs[0].Resources[1].Production = &Endpoint{URLs: []string{sand.URL + "/special"}} // GET /admin
		gw := start(t, spec, testConfig())
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/admin", nil)
		if e := decodeEcho(t, body); resp.Header.Get("X-Backend") != "sand" || e.RequestURI != "/special/admin" {
			t.Errorf("answered by %q at %q", resp.Header.Get("X-Backend"), e.RequestURI)
		}
		resp, _ = do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		if resp.Header.Get("X-Backend") != "prod" {
			t.Errorf("other resources answered by %q", resp.Header.Get("X-Backend"))
		}
	})
}

func TestBodyLimit(t *testing.T) {
	hits, url := counting(t, "b", nil)
	cfg := testConfig()
	cfg.Server.MaxBodyBytes = 10
	gw := start(t, petstore(url), cfg)
	want := `{"fault":{"code":101413,"message":"Request Entity Too Large","description":"The request body exceeds the gateway's limit"}}`
	resp, body := do(t, client(), "POST", gw.http+"/petstore/v1/pet", strings.NewReader(strings.Repeat("x", 11)))
	if resp.StatusCode != 413 || body != want {
		t.Errorf("declared length: %d %s", resp.StatusCode, body)
	}
	if hits.Load() != 0 {
		t.Error("an oversized body with Content-Length reached the backend")
	}
	// Chunked: the limit trips while streaming.
	resp, body = do(t, client(), "POST", gw.http+"/petstore/v1/pet", io.MultiReader(strings.NewReader(strings.Repeat("y", 64<<10))))
	if resp.StatusCode != 413 || body != want {
		t.Errorf("chunked: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, client(), "POST", gw.http+"/petstore/v1/pet", strings.NewReader("0123456789"))
	if resp.StatusCode != 200 || body != "b:0123456789" {
		t.Errorf("at the limit: %d %s", resp.StatusCode, body)
	}
}

// TestBackendRefusesUpload: a backend that answers an upload before
// reading it (and closes) has its answer passed to the client, with both
// server engines, instead of a 502.
func TestBackendRefusesUpload(t *testing.T) {
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		http.Error(w, "quota exceeded", http.StatusRequestEntityTooLarge)
	})
	for _, engine := range []string{EngineH1, EngineNetHTTP} {
		t.Run(engine, func(t *testing.T) {
			cfg := testConfig()
			cfg.Server.Engine = engine
			gw := start(t, petstore(be.URL), cfg)
			resp, body := do(t, client(), "POST", gw.http+"/petstore/v1/pet", strings.NewReader(strings.Repeat("x", 8<<20)))
			if resp.StatusCode != 413 || body != "quota exceeded\n" {
				t.Errorf("got %d %q; want the backend's 413", resp.StatusCode, body)
			}
		})
	}
}

var (
	uuidRE        = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	traceparentRE = regexp.MustCompile(`^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$`)
)

func TestRequestIDAndTraceContext(t *testing.T) {
	be := echoBackend(t, "prod")
	gw := start(t, petstore(be.URL), testConfig())
	c := client()

	resp, body := do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil)
	e := decodeEcho(t, body)
	id := e.Header.Get("X-Request-Id")
	if !uuidRE.MatchString(id) || resp.Header.Get("X-Request-Id") != id {
		t.Errorf("generated id %q, response header %q", id, resp.Header.Get("X-Request-Id"))
	}
	if tp := e.Header.Get("Traceparent"); !traceparentRE.MatchString(tp) || !validTraceparent(tp) {
		t.Errorf("started traceparent %q", tp)
	}
	_, body2 := do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil)
	if decodeEcho(t, body2).Header.Get("X-Request-Id") == id {
		t.Error("two requests got the same id")
	}

	const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
	_, body = do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil, "X-Request-ID", "client-id-1", "Traceparent", tp, "Tracestate", "k=v")
	e = decodeEcho(t, body)
	if e.Header.Get("X-Request-Id") != "client-id-1" || e.Header.Get("Traceparent") != tp || e.Header.Get("Tracestate") != "k=v" {
		t.Errorf("client ids not passed through: %v", e.Header)
	}

	_, body = do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil, "X-Request-ID", "bad id\twith spaces", "Traceparent", "00-zz-bad", "Tracestate", "k=v")
	e = decodeEcho(t, body)
	if got := e.Header.Get("X-Request-Id"); !uuidRE.MatchString(got) {
		t.Errorf("malformed client id kept: %q", got)
	}
	if got := e.Header.Get("Traceparent"); !traceparentRE.MatchString(got) || e.Header.Get("Tracestate") != "" {
		t.Errorf("malformed traceparent handled as %q (tracestate %q)", got, e.Header.Get("Tracestate"))
	}
}

func TestBackendBasicAuth(t *testing.T) {
	be := echoBackend(t, "prod")
	spec := petstore(be.URL)
	spec.APIs[0].Production.BasicAuthUsername = "svc"
	t.Run("password required", func(t *testing.T) {
		_, err := New(spec, testConfig(), nil)
		if err == nil || !strings.Contains(err.Error(), "MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD") {
			t.Fatalf("missing password: %v", err)
		}
	})
	t.Run("credentials sent, client's replaced", func(t *testing.T) {
		cfg, err := LoadConfig(spec, "", []string{"MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD=s3cret", "MGW_HTTP_PORT=0", "MGW_SECURITY_ENABLED=false"})
		if err != nil {
			t.Fatal(err)
		}
		cfg.HTTP.Host = "127.0.0.1"
		gw := start(t, spec, cfg)
		_, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil, "Authorization", "Bearer client-token")
		if got := decodeEcho(t, body).Header.Get("Authorization"); got != "Basic c3ZjOnMzY3JldA==" {
			t.Errorf("backend Authorization = %q", got)
		}
		if strings.Contains(gw.logs.String(), "s3cret") {
			t.Error("the backend password appears in the logs")
		}
	})
}

func TestTrailersAndUserAgent(t *testing.T) {
	var ua []string
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		ua = r.Header.Values("User-Agent")
		w.Header().Set("Trailer", "X-Checksum")
		fmt.Fprint(w, "body")
		w.Header().Set("X-Checksum", "abc")
	})
	gw := start(t, petstore(be.URL), testConfig())
	req, _ := http.NewRequest("GET", gw.http+"/petstore/v1/pet/1", nil)
	req.Header["User-Agent"] = []string{""} // send none
	resp, err := client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if body != "body" || resp.Trailer.Get("X-Checksum") != "abc" {
		t.Errorf("body %q, trailer %q", body, resp.Trailer.Get("X-Checksum"))
	}
	if len(ua) != 0 {
		t.Errorf("backend got User-Agent %q; the client sent none", ua)
	}
	_, _ = do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil, "User-Agent", "curl/8")
	if len(ua) != 1 || ua[0] != "curl/8" {
		t.Errorf("client User-Agent not passed: %q", ua)
	}
}
