package h1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// stFuzzSeeds returns valid and tricky requests.
func stFuzzSeeds() []string {
	return []string{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET /a?b=c HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a: 2\r\n\r\nHEAD /x HTTP/1.1\r\nHost: h\r\n\r\nGET /y HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
		"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /next HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n0\r\nX-T: v\r\n\r\nGET /n HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /s HTTP/1.1\r\nHost: h\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST /s HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n folded\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nx\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3 \r\nabc\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
		"GET http://example.com:8080/abs?q=1 HTTP/1.1\r\nHost: other\r\n\r\n",
		"GET / HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /2 HTTP/1.0\r\n\r\n",
		"GET / HTTP/1.1\nHost: h\n\n",
		"\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi",
		"GET / HTTP/1.1\r\nHost: h\r\nHost: i\r\n\r\n",
		"GET / HTTP/2.0\r\nHost: h\r\n\r\n",
		"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: +1\r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET /%zz HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 01\r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length:  1 \r\n\r\nx",
		"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1, 1\r\n\r\nx",
		"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: \r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
		"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
		"GET /\tHTTP/1.1\r\nHost: h\r\n\r\n",
		"GET http://user:pw@example.com/ HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n",
		"get / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\n: empty\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX: \x80\xff\r\n\r\n",
		"GET / http/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX : y\r\n\r\n",
		"GET /a/../b/%2e%2e/c HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET a HTTP/1.1\r\nHost: h\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"b\"\r\nx\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\n0\n\n",
		"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0x1\r\nx\r\n0\r\n\r\n",
		"POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx",
	}
}

// stFuzzSide is one server under fuzz with what its handler saw, per
// client address.
type stFuzzSide struct {
	addr string
	mu   sync.Mutex
	seen map[string][]*stSeen
}

func (s *stFuzzSide) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	snap := stSnap(r)
	s.mu.Lock()
	n := len(s.seen[r.RemoteAddr])
	s.seen[r.RemoteAddr] = append(s.seen[r.RemoteAddr], snap)
	s.mu.Unlock()
	w.Header().Set("X-Fuzz-Handled", strconv.Itoa(n))
	io.WriteString(w, "ok")
}

// take removes and returns what was seen from client.
func (s *stFuzzSide) take(client string) []*stSeen {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.seen[client]
	delete(s.seen, client)
	return v
}

// stFuzzStart serves a recording handler with k for the whole fuzz run.
func stFuzzStart(f *testing.F, k stKind) *stFuzzSide {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.Fatal(err)
	}
	side := &stFuzzSide{addr: ln.Addr().String(), seen: map[string][]*stSeen{}}
	srv := k.make(side, stOpts{ErrorLog: log.New(io.Discard, "", 0)})
	go func() {
		srv.Serve(ln)
		ln.Close() // a failed Serve must not leave clients hanging
	}()
	f.Cleanup(func() {
		srv.Close()
		ln.Close()
	})
	return side
}

// stFuzzResult is what one input produced on one server.
type stFuzzResult struct {
	seen    []*stSeen
	finals  []*http.Response // final (non-1xx) responses in order
	trailer []byte           // bytes left after the last parsed response
}

// exchange sends data on a fresh connection, half-closes it and reads
// every response.
func (s *stFuzzSide) exchange(t *testing.T, data []byte) stFuzzResult {
	c, err := net.Dial("tcp", s.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	client := c.LocalAddr().String()
	go func() {
		c.Write(data) // the server may close before reading it all
		c.(*net.TCPConn).CloseWrite()
	}()
	out, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: no end of the response within 2s for %q (got %q)", s.addr, data, clipRaw(string(out)))
	}
	res := stFuzzResult{seen: s.take(client)}
	br := bufio.NewReader(bytes.NewReader(out))
	for {
		if _, err := br.Peek(1); err != nil {
			break
		}
		method := "GET"
		if i := len(res.finals); i < len(res.seen) {
			method = res.seen[i].Method
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: method})
		if err != nil {
			rest, _ := io.ReadAll(br)
			res.trailer = rest
			t.Fatalf("%s: response %d to %q does not parse: %v (bytes %q)", s.addr, len(res.finals), data, err, clipRaw(string(rest)))
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			t.Fatalf("%s: response %d body to %q: %v", s.addr, len(res.finals), data, err)
		}
		if resp.StatusCode >= 200 {
			res.finals = append(res.finals, resp)
		}
	}
	return res
}

// stFirstHeadHas reports whether the first request head in data has
// header fields named a and b (case-insensitive).
func stFirstHeadHas(data []byte, a, b string) bool {
	s := string(data)
	end := len(s)
	for _, sep := range []string{"\n\r\n", "\n\n"} {
		if i := strings.Index(s, sep); i >= 0 && i < end {
			end = i
		}
	}
	var hasA, hasB bool
	for _, line := range strings.Split(s[:end], "\n") {
		name, _, ok := strings.Cut(strings.TrimRight(line, "\r"), ":")
		hasA = hasA || ok && strings.EqualFold(name, a)
		hasB = hasB || ok && strings.EqualFold(name, b)
	}
	return hasA && hasB
}

// FuzzServerRequest sends arbitrary bytes to h1.Server (and net/http's
// server for comparison). The server must answer or close within 2s,
// every response must parse, responses must match handled requests in
// order with at most one server-made error response at the end, and no
// request with both Content-Length and Transfer-Encoding may reach the
// handler. Where both servers accept the first request, they must agree
// on what it was.
func FuzzServerRequest(f *testing.F) {
	for _, s := range stFuzzSeeds() {
		f.Add([]byte(s))
	}
	var h1Side, netSide *stFuzzSide
	for _, k := range stKinds() {
		side := stFuzzStart(f, k)
		if k.name == "h1" {
			h1Side = side
		} else {
			netSide = side
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got := h1Side.exchange(t, data)
		for i, r := range got.finals {
			handled := r.Header.Get("X-Fuzz-Handled")
			switch {
			case handled == strconv.Itoa(i):
			case handled == "" && i == len(got.finals)-1 && i == len(got.seen) && r.StatusCode >= 400:
				// the server's own error response ends the connection
			default:
				t.Fatalf("input %q: response %d (status %d, handled %q) out of step with %d handled requests",
					data, i, r.StatusCode, handled, len(got.seen))
			}
		}
		if len(got.finals) < len(got.seen)-1 {
			t.Fatalf("input %q: %d requests handled but only %d answered", data, len(got.seen), len(got.finals))
		}
		for i, s := range got.seen {
			if len(s.Header["Content-Length"]) > 0 && (len(s.TE) > 0 || len(s.Header["Transfer-Encoding"]) > 0) {
				t.Fatalf("input %q: request %d reached the handler with both Content-Length and Transfer-Encoding", data, i)
			}
		}
		if len(got.seen) > 0 && stFirstHeadHas(data, "Content-Length", "Transfer-Encoding") {
			t.Fatalf("input %q: a request with both Content-Length and Transfer-Encoding was handled: %+v", data, got.seen[0])
		}

		ref := netSide.exchange(t, data)
		if len(got.seen) == 0 || len(ref.seen) == 0 {
			if len(got.seen) != len(ref.seen) {
				t.Logf("input %q: h1 handled %d requests, net/http %d", data, len(got.seen), len(ref.seen))
			}
			return
		}
		a, b := got.seen[0], ref.seen[0]
		if a.Method != b.Method || a.RequestURI != b.RequestURI || a.Proto != b.Proto || a.Host != b.Host {
			t.Fatalf("input %q: h1 saw %s %s %s host %q; net/http %s %s %s host %q",
				data, a.Method, a.RequestURI, a.Proto, a.Host, b.Method, b.RequestURI, b.Proto, b.Host)
		}
		// net/http folds repeated equal Content-Length fields into one;
		// h1 keeps them as sent. The declared length must agree.
		ha, hb := a.Header.Clone(), b.Header.Clone()
		delete(ha, "Content-Length")
		delete(hb, "Content-Length")
		if !reflect.DeepEqual(ha, hb) || a.ContentLength != b.ContentLength {
			t.Fatalf("input %q: h1 saw header %q length %d, net/http %q length %d",
				data, a.Header, a.ContentLength, b.Header, b.ContentLength)
		}
		if a.BodyErr == nil && b.BodyErr == nil && !bytes.Equal(a.Body, b.Body) {
			t.Fatalf("input %q: h1 read body %q, net/http %q", data, a.Body, b.Body)
		}
	})
}
