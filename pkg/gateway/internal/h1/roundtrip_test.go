package h1

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestKeepAliveReuse(t *testing.T) {
	s, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%s %s", r.Method, r.URL.RequestURI())
	})
	tr := newTransport()
	for i := range 5 {
		resp, body := get(t, tr, fmt.Sprintf("%s/a/%d?q=%d", s.URL, i, i))
		if want := fmt.Sprintf("GET /a/%d?q=%d", i, i); resp.StatusCode != 200 || body != want {
			t.Fatalf("got %d %q, want 200 %q", resp.StatusCode, body, want)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("5 sequential requests used %d connections, want 1", n)
	}
}

func TestConnectionCloseNotReused(t *testing.T) {
	s, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Connection", "close")
		fmt.Fprint(w, "bye")
	})
	tr := newTransport()
	for range 3 {
		if resp, body := get(t, tr, s.URL); body != "bye" || !resp.Close {
			t.Fatalf("got %q, Close=%v", body, resp.Close)
		}
	}
	if n := conns.Load(); n != 3 {
		t.Errorf("used %d connections for 3 requests answered with Connection: close, want 3", n)
	}
}

func TestUnreadBodyClosesConnection(t *testing.T) {
	big := strings.Repeat("x", 100<<10)
	s, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, big) })
	tr := newTransport()
	req, _ := http.NewRequest("GET", s.URL, nil)
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	io.ReadFull(resp.Body, buf)
	resp.Body.Close()
	if _, body := get(t, tr, s.URL); body != big {
		t.Fatalf("second response has %d bytes, want %d", len(body), len(big))
	}
	if n := conns.Load(); n != 2 {
		t.Errorf("used %d connections, want 2: a half-read body must not be reused", n)
	}
}

func TestChunkedResponseWithTrailers(t *testing.T) {
	s, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Trailer", "X-Sum")
		for i := range 3 {
			fmt.Fprintf(w, "part%d;", i)
			w.(http.Flusher).Flush()
		}
		w.Header().Set("X-Sum", "42")
	})
	tr := newTransport()
	resp, body := get(t, tr, s.URL)
	if body != "part0;part1;part2;" {
		t.Errorf("body %q", body)
	}
	if resp.ContentLength != -1 || len(resp.TransferEncoding) != 1 {
		t.Errorf("ContentLength %d, TransferEncoding %v; want -1 and chunked", resp.ContentLength, resp.TransferEncoding)
	}
	if got := resp.Trailer.Get("X-Sum"); got != "42" {
		t.Errorf("trailer X-Sum %q, want 42", got)
	}
	if resp.Header.Get("Trailer") != "" || resp.Header.Get("Transfer-Encoding") != "" {
		t.Errorf("framing headers left in the header: %v", resp.Header)
	}
}

func TestStreamingResponse(t *testing.T) {
	release := make(chan struct{})
	s, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "first")
		w.(http.Flusher).Flush()
		<-release
		io.WriteString(w, "second")
	})
	defer close(release)
	req, _ := http.NewRequest("GET", s.URL, nil)
	resp, err := newTransport().RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 5)
	done := make(chan error, 1)
	go func() { _, err := io.ReadFull(resp.Body, buf); done <- err }()
	select {
	case err := <-done:
		if err != nil || string(buf) != "first" {
			t.Fatalf("read %q, %v", buf, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first chunk did not arrive while the backend was still sending")
	}
}

func TestInterimResponsesSkipped(t *testing.T) {
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		io.WriteString(c, "HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok")
	})
	resp, body := get(t, newTransport(), url)
	if resp.StatusCode != 201 || body != "ok" || resp.Header.Get("Link") != "" {
		t.Errorf("got %d %q %v; want the final 201 only", resp.StatusCode, body, resp.Header)
	}
}

func TestLargeBodiesBothWays(t *testing.T) {
	s, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Chunked", fmt.Sprint(len(r.TransferEncoding) > 0))
		w.Write(b)
		w.Write(b)
	})
	tr := newTransport()
	payload := bytes.Repeat([]byte("0123456789abcdef"), 64<<10) // 1 MiB, far above the 4 KiB buffers
	for _, known := range []bool{true, false} {
		var rd io.Reader = bytes.NewReader(payload)
		if !known {
			rd = io.MultiReader(rd) // hides the length
		}
		req, _ := http.NewRequest("POST", s.URL, rd)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || !bytes.Equal(got, append(payload[:len(payload):len(payload)], payload...)) {
			t.Fatalf("length known=%v: got %d bytes, %v; want the 2 MiB echo", known, len(got), err)
		}
		if ch := resp.Header.Get("X-Chunked"); ch != fmt.Sprint(!known) {
			t.Errorf("length known=%v: backend saw chunked=%s", known, ch)
		}
	}
}

func TestHeadAndBodilessStatuses(t *testing.T) {
	s, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/204":
			w.WriteHeader(204)
		case "/304":
			w.WriteHeader(304)
		default:
			w.Header().Set("Content-Length", "1000")
			if r.Method != "HEAD" {
				w.Write(make([]byte, 1000))
			}
		}
	})
	tr := newTransport()
	for _, tc := range []struct {
		method, path string
		status       int
	}{{"HEAD", "/", 200}, {"GET", "/204", 204}, {"GET", "/304", 304}, {"GET", "/", 200}} {
		req, _ := http.NewRequest(tc.method, s.URL+tc.path, nil)
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		want := 0
		if tc.method == "GET" && tc.status == 200 {
			want = 1000
		}
		if err != nil || resp.StatusCode != tc.status || len(b) != want {
			t.Errorf("%s %s: %d with %d bytes, %v; want %d with %d", tc.method, tc.path, resp.StatusCode, len(b), err, tc.status, want)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("used %d connections, want 1: bodiless responses keep the connection", n)
	}
}

func TestBackendClosesMidBody(t *testing.T) {
	for name, resp := range map[string]string{
		"content-length": "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial",
		"chunked":        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\npartial\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
				readRequestHead(br)
				io.WriteString(c, resp)
			})
			req, _ := http.NewRequest("GET", url, nil)
			r, err := newTransport().RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r.Body)
			if err == nil || string(b) != "partial" {
				t.Errorf("read %q, %v; want the partial body and an error", b, err)
			}
		})
	}
}

func TestReadUntilClose(t *testing.T) {
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		io.WriteString(c, "HTTP/1.0 200 OK\r\n\r\nall of it")
	})
	resp, body := get(t, newTransport(), url)
	if body != "all of it" || !resp.Close || resp.ContentLength != -1 {
		t.Errorf("got %q Close=%v length=%d", body, resp.Close, resp.ContentLength)
	}
}

func TestStaleIdleConnectionRetried(t *testing.T) {
	// The backend answers one request per connection, then closes it
	// while it sits in the pool, as a backend with a short idle timeout.
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
	})
	tr := newTransport()
	get(t, tr, url)
	time.Sleep(50 * time.Millisecond) // let the close arrive
	if resp, body := get(t, tr, url); resp.StatusCode != 200 || body != "ok" {
		t.Errorf("got %d %q after the pooled connection was closed", resp.StatusCode, body)
	}
}

func TestResponseTimeout(t *testing.T) {
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		time.Sleep(2 * time.Second)
	})
	tr := newTransport()
	tr.ResponseHeaderTimeout = 100 * time.Millisecond
	req, _ := http.NewRequest("GET", url, nil)
	t0 := time.Now()
	_, err := tr.RoundTrip(req)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("got %v, want a timeout net.Error", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("took %v for a 100ms timeout", d)
	}
}

func TestDialError(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
	_, err := newTransport().RoundTrip(req)
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "dial" {
		t.Errorf("got %v, want a dial *net.OpError", err)
	}
}

func TestCancelWhileWaiting(t *testing.T) {
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		time.Sleep(3 * time.Second)
	})
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	time.AfterFunc(100*time.Millisecond, cancel)
	t0 := time.Now()
	_, err := newTransport().RoundTrip(req)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("cancel took %v", d)
	}
}

func TestExpectContinue(t *testing.T) {
	s, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Reject") != "" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "got %s", b)
	})
	tr := newTransport()
	for _, reject := range []bool{false, true} {
		body := &spyBody{r: strings.NewReader("hello")}
		req, _ := http.NewRequest("POST", s.URL, body)
		req.ContentLength = 5
		req.Header.Set("Expect", "100-continue")
		if reject {
			req.Header.Set("X-Reject", "1")
		}
		resp, err := tr.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case reject && (resp.StatusCode != 401 || body.read):
			t.Errorf("rejected: got %d, body read %v; want 401 without reading the body", resp.StatusCode, body.read)
		case !reject && string(b) != "got hello":
			t.Errorf("accepted: got %d %q", resp.StatusCode, b)
		}
	}
}

// spyBody records whether it was read.
type spyBody struct {
	r    io.Reader
	read bool
}

func (b *spyBody) Read(p []byte) (int, error) { b.read = true; return b.r.Read(p) }
func (b *spyBody) Close() error               { return nil }

func TestRequestHeadersWritten(t *testing.T) {
	heads := make(chan string, 1)
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		h, _ := readRequestHead(br)
		heads <- h
		io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
	})
	req, _ := http.NewRequest("PUT", url+"/p?x=1", nil)
	req.Header["User-Agent"] = []string{""}
	req.Header.Set("X-A", "1")
	req.Header.Set("Content-Length", "99") // framing is the transport's
	if _, err := newTransport().RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	h := <-heads
	for _, want := range []string{"PUT /p?x=1 HTTP/1.1\r\n", "X-A: 1\r\n", "Content-Length: 0\r\n"} {
		if !strings.Contains(h, want) {
			t.Errorf("request head %q lacks %q", h, want)
		}
	}
	if strings.Contains(h, "User-Agent") || strings.Contains(h, "Content-Length: 99") {
		t.Errorf("request head %q has an empty User-Agent or the caller's Content-Length", h)
	}
}

func TestInvalidRequestRefused(t *testing.T) {
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {})
	for name, mod := range map[string]func(*http.Request){
		"header value": func(r *http.Request) { r.Header["X-A"] = []string{"a\r\nX-Injected: 1"} },
		"header name":  func(r *http.Request) { r.Header["X A"] = []string{"1"} },
		"target":       func(r *http.Request) { r.URL.Opaque = "/a b" },
	} {
		req, _ := http.NewRequest("GET", url, nil)
		mod(req)
		if _, err := newTransport().RoundTrip(req); err == nil {
			t.Errorf("%s: request sent, want an error", name)
		}
	}
}

func TestMalformedResponses(t *testing.T) {
	for name, raw := range map[string]string{
		"bad status line":      "HTTP/1.1 OK\r\n\r\n",
		"http/2 status":        "HTTP/2.0 200 OK\r\n\r\n",
		"conflicting lengths":  "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok",
		"bad length":           "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
		"folded header":        "HTTP/1.1 200 OK\r\nX-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n",
		"bad header name":      "HTTP/1.1 200 OK\r\nX A: 1\r\nContent-Length: 0\r\n\r\n",
		"unknown te":           "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		"switching protocols":  "HTTP/1.1 101 Switching Protocols\r\n\r\n",
		"oversized head":       "HTTP/1.1 200 OK\r\nX-A: " + strings.Repeat("a", 2<<20) + "\r\n\r\n",
		"closed before a head": "",
	} {
		t.Run(name, func(t *testing.T) {
			url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
				readRequestHead(br)
				io.WriteString(c, raw)
			})
			req, _ := http.NewRequest("GET", url, nil)
			if resp, err := newTransport().RoundTrip(req); err == nil {
				t.Errorf("got %d, want an error", resp.StatusCode)
			}
		})
	}
	t.Run("bad chunk size", func(t *testing.T) {
		url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
			readRequestHead(br)
			io.WriteString(c, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")
		})
		req, _ := http.NewRequest("GET", url, nil)
		resp, err := newTransport().RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(resp.Body); err == nil {
			t.Error("a malformed chunk size was read without error")
		}
	})
}

func TestStalePostNotRetriedAfterWrite(t *testing.T) {
	// The pooled connection dies after the request was written: a GET is
	// sent again, a POST is not (the backend may have processed it).
	var posts atomic.Int32
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		for i := 0; ; i++ {
			h, err := readRequestHead(br)
			if err != nil {
				return
			}
			if strings.HasPrefix(h, "POST") {
				posts.Add(1)
			}
			if i == 1 {
				return // close without answering the second request
			}
			io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
		}
	})
	for _, tc := range []struct {
		method string
		retry  bool
	}{{"GET", true}, {"POST", false}} {
		tr := newTransport()
		get(t, tr, url)
		req, _ := http.NewRequest(tc.method, url, nil)
		resp, err := tr.RoundTrip(req)
		if tc.retry && (err != nil || resp.StatusCode != 200) {
			t.Errorf("%s: %v; want it sent again on a new connection", tc.method, err)
		}
		if !tc.retry && err == nil {
			t.Errorf("%s: got %d; want an error, not a second delivery", tc.method, resp.StatusCode)
		}
		if resp != nil {
			resp.Body.Close()
		}
	}
	if n := posts.Load(); n != 1 {
		t.Errorf("the backend got %d POSTs, want 1", n)
	}
}

func TestIdleConnectionsExpire(t *testing.T) {
	s, conns := countingServer(t, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	tr := newTransport()
	tr.IdleConnTimeout = 50 * time.Millisecond
	get(t, tr, s.URL)
	time.Sleep(100 * time.Millisecond)
	get(t, tr, s.URL)
	if n := conns.Load(); n != 2 {
		t.Errorf("used %d connections, want 2: the idle one had expired", n)
	}
	get(t, tr, s.URL)
	if n := conns.Load(); n != 2 {
		t.Errorf("used %d connections, want 2: a fresh idle one is reused", n)
	}
}

func TestExpectContinueTimeoutSendsBody(t *testing.T) {
	// A backend that ignores Expect and waits for the body.
	url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
		readRequestHead(br)
		buf := make([]byte, 5)
		if _, err := io.ReadFull(br, buf); err != nil {
			return
		}
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n%s", buf)
	})
	tr := newTransport()
	tr.ExpectContinueTimeout = 100 * time.Millisecond
	req, _ := http.NewRequest("PUT", url, strings.NewReader("hello"))
	req.Header.Set("Expect", "100-continue")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != "hello" {
		t.Errorf("got %q, want the body sent after the wait", b)
	}
}
