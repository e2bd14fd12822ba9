package h1

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// These helpers run the same behavioural test against net/http's server
// and h1.Server over real sockets on 127.0.0.1. Names start with "st" so
// they cannot clash with the server implementation in this package.

// testServer is what both servers offer the tests.
type testServer interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
}

// stOpts are the server settings a test may change.
type stOpts struct {
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
	ErrorLog          *log.Logger
}

// stKind builds one kind of server.
type stKind struct {
	name string
	make func(h http.Handler, o stOpts) testServer
}

// stKinds lists the servers every behavioural test runs against.
func stKinds() []stKind {
	return []stKind{
		{"nethttp", func(h http.Handler, o stOpts) testServer {
			if o.ErrorLog == nil {
				o.ErrorLog = log.New(io.Discard, "", 0)
			}
			return &http.Server{Handler: h, ReadHeaderTimeout: o.ReadHeaderTimeout,
				ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, IdleTimeout: o.IdleTimeout,
				MaxHeaderBytes: o.MaxHeaderBytes, ErrorLog: o.ErrorLog}
		}},
		{"h1", func(h http.Handler, o stOpts) testServer {
			return &Server{Handler: h, ReadHeaderTimeout: o.ReadHeaderTimeout,
				ReadTimeout: o.ReadTimeout, WriteTimeout: o.WriteTimeout, IdleTimeout: o.IdleTimeout,
				MaxHeaderBytes: o.MaxHeaderBytes, ErrorLog: o.ErrorLog}
		}},
	}
}

// stEach runs fn as one subtest per server kind.
func stEach(t *testing.T, fn func(t *testing.T, k stKind)) {
	t.Helper()
	for _, k := range stKinds() {
		t.Run(k.name, func(t *testing.T) { fn(t, k) })
	}
}

// stH1Only runs fn against h1.Server only, for behaviour where net/http
// intentionally differs (the caller says why).
func stH1Only(t *testing.T, fn func(t *testing.T, k stKind)) {
	t.Helper()
	for _, k := range stKinds() {
		if k.name == "h1" {
			t.Run(k.name, func(t *testing.T) { fn(t, k) })
		}
	}
}

// stLive is a running server.
type stLive struct {
	srv   testServer
	addr  string
	serve chan error // receives Serve's result once
}

// stStart serves h on a fresh 127.0.0.1 listener; the server is closed
// when the test ends.
func stStart(t *testing.T, k stKind, h http.Handler, o stOpts) *stLive {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &stLive{srv: k.make(h, o), addr: ln.Addr().String(), serve: make(chan error, 1)}
	go func() {
		err := l.srv.Serve(ln)
		// A Serve that fails must not leave clients waiting on a
		// listener nobody accepts from.
		ln.Close()
		l.serve <- err
	}()
	t.Cleanup(func() {
		l.srv.Close()
		ln.Close()
	})
	return l
}

// stConn is a raw client connection.
type stConn struct {
	t  *testing.T
	c  *net.TCPConn
	br *bufio.Reader
}

// stDial connects to l with a generous overall deadline so a broken
// server fails the test instead of hanging it.
func stDial(t *testing.T, l *stLive) *stConn {
	t.Helper()
	c, err := net.DialTimeout("tcp", l.addr, 5*time.Second)
	if err != nil {
		t.Fatalf("dial %s: %v", l.addr, err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(10 * time.Second))
	return &stConn{t: t, c: c.(*net.TCPConn), br: bufio.NewReader(c)}
}

// send writes raw request bytes.
func (s *stConn) send(raw string) {
	s.t.Helper()
	if _, err := io.WriteString(s.c, raw); err != nil {
		s.t.Fatalf("writing %q: %v", clipRaw(raw), err)
	}
}

// sendAsync is send for use off the test goroutine: it reports a failed
// write with Errorf.
func (s *stConn) sendAsync(raw string) {
	if _, err := io.WriteString(s.c, raw); err != nil {
		s.t.Errorf("writing %q: %v", clipRaw(raw), err)
	}
}

// stResp is a response read in full.
type stResp struct {
	*http.Response
	body    []byte
	bodyErr error
}

// read reads one response (interim 1xx responses included) and its body.
func (s *stConn) read(method string) *stResp {
	s.t.Helper()
	r, err := s.tryRead(method)
	if err != nil {
		s.t.Fatalf("reading a response: %v", err)
	}
	return r
}

// tryRead is read that returns the error instead of failing.
func (s *stConn) tryRead(method string) (*stResp, error) {
	resp, err := http.ReadResponse(s.br, &http.Request{Method: method})
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return &stResp{Response: resp, body: b, bodyErr: err}, nil
}

// roundTrip sends raw and reads the final response, skipping 1xx.
func (s *stConn) roundTrip(raw string) *stResp {
	s.t.Helper()
	s.send(raw)
	method, _, _ := strings.Cut(raw, " ")
	for {
		r := s.read(method)
		if r.StatusCode >= 200 {
			return r
		}
	}
}

// expectClosed checks the server closes the connection with no further
// bytes within the connection's deadline.
func (s *stConn) expectClosed() {
	s.t.Helper()
	b, err := io.ReadAll(s.br)
	if len(b) > 0 {
		s.t.Fatalf("expected the connection to close, got more bytes: %q", clipRaw(string(b)))
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		s.t.Fatalf("expected the connection to close; it stayed open")
	}
}

// expectOpen checks the server has not closed the connection and sent
// nothing within d.
func (s *stConn) expectOpen(d time.Duration) {
	s.t.Helper()
	s.c.SetReadDeadline(time.Now().Add(d))
	defer s.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	b, err := s.br.Peek(1)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		s.t.Fatalf("expected the connection to stay open and quiet, got %q, %v", b, err)
	}
}

// stSeen is a snapshot of what a handler saw.
type stSeen struct {
	Method        string
	Path, RawPath string
	RawQuery      string
	RequestURI    string
	Host          string
	RemoteAddr    string
	Proto         string
	Major, Minor  int
	Header        http.Header
	ContentLength int64
	NoBody        bool
	NilBody       bool
	TLS           bool
	Close         bool
	Ctx           bool
	Body          []byte
	BodyErr       error
	TE            []string
}

// stSnap records r, reading its body.
func stSnap(r *http.Request) *stSeen {
	s := &stSeen{Method: r.Method, RequestURI: r.RequestURI, Host: r.Host, RemoteAddr: r.RemoteAddr,
		Proto: r.Proto, Major: r.ProtoMajor, Minor: r.ProtoMinor, Header: r.Header.Clone(),
		ContentLength: r.ContentLength, NoBody: r.Body == http.NoBody, NilBody: r.Body == nil,
		TLS: r.TLS != nil, Close: r.Close, Ctx: r.Context() != nil, TE: r.TransferEncoding}
	if r.URL != nil {
		s.Path, s.RawPath, s.RawQuery = r.URL.Path, r.URL.RawPath, r.URL.RawQuery
	}
	if r.Body != nil {
		s.Body, s.BodyErr = io.ReadAll(r.Body)
	}
	return s
}

// stRecorder is a handler that snapshots each request and answers
// 200 "ok".
type stRecorder struct {
	mu   sync.Mutex
	seen []*stSeen
}

func (rec *stRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := stSnap(r)
	rec.mu.Lock()
	rec.seen = append(rec.seen, s)
	rec.mu.Unlock()
	io.WriteString(w, "ok")
}

// all returns the snapshots so far.
func (rec *stRecorder) all() []*stSeen {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*stSeen(nil), rec.seen...)
}

// stLogBuf is a goroutine-safe log destination.
type stLogBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *stLogBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *stLogBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// clipRaw shortens s for messages.
func clipRaw(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// stWait waits for ch or fails after d.
func stWait[T any](t *testing.T, ch <-chan T, d time.Duration, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(d):
		t.Fatalf("timed out after %v waiting for %s", d, what)
		var zero T
		return zero
	}
}
