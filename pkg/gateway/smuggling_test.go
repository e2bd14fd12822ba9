package gateway

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The request-smuggling suite writes raw bytes to a gateway with JWT
// security on, directly and behind nginx and haproxy, and checks that
// (1) no request reaches the backend without passing authentication (the
// smuggled request has no token and asks for /smuggled, which the
// backend must never see) and (2) client and gateway never fall out of
// step: the client reads one response per request it sent, in order, and
// the gateway either refuses and closes or forwards exactly what a strict
// RFC 9112 reading of the bytes says. The cases are in
// smuggling_cases_test.go, the front proxies in smuggling_proxies_test.go.

// smugSeen is a request the recording backend received.
type smugSeen struct {
	Method string
	URI    string
	Header http.Header
	Body   string
	Err    error // reading the body failed: the request never completed
}

// smugRecorder is a backend that records every request it receives and
// answers with the request's id (the last path segment) in X-Req-Id.
type smugRecorder struct {
	mu   sync.Mutex
	seen []smugSeen
}

func (b *smugRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	b.mu.Lock()
	b.seen = append(b.seen, smugSeen{Method: r.Method, URI: r.RequestURI, Header: r.Header.Clone(), Body: string(body), Err: err})
	b.mu.Unlock()
	if err != nil {
		return
	}
	w.Header().Set("X-Req-Id", path.Base(r.URL.Path))
	io.WriteString(w, "ok")
}

// take returns, and forgets, what was seen whose path holds prefix, and
// everything that mentions "smuggled" whatever its prefix.
func (b *smugRecorder) take(prefix string) []smugSeen {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out, keep []smugSeen
	for _, s := range b.seen {
		if strings.Contains(s.URI, prefix) || strings.Contains(s.URI, "smuggled") {
			out = append(out, s)
		} else {
			keep = append(keep, s)
		}
	}
	b.seen = keep
	return out
}

// smugPrefix is the gateway path of the test API's recorded resource;
// ids follow it.
const smugPrefix = "/pizzashack/1.0.0/r/"

// smugEnv is a gateway with JWT security in front of a recording backend,
// and the address clients of one topology connect to.
type smugEnv struct {
	addr  string // where the client connects: the gateway or a front proxy
	gw    string // the gateway's own host:port
	rec   *smugRecorder
	token string
}

// newSmugEnv starts the backend and the gateway.
func newSmugEnv(t *testing.T) *smugEnv {
	rec := &smugRecorder{}
	be := httptest.NewServer(rec)
	t.Cleanup(be.Close)
	key := rsaTestKey(t)
	cfg := secured(writePublicKey(t, key.Public()))
	spec := pizzaSpec(be.URL, be.URL)
	spec.APIs[0].Resources = []Resource{
		{Path: "/r/*", Method: "GET"}, {Path: "/r/*", Method: "POST"},
		{Path: "/smuggled", Method: "GET"}, {Path: "/smuggled", Method: "POST"},
	}
	gw := start(t, spec, cfg)
	addr := strings.TrimPrefix(gw.http, "http://")
	return &smugEnv{addr: addr, gw: addr, rec: rec, token: signJWT(t, "RS256", key, nil, apimClaims(nil))}
}

// smugResp is one final response the client read.
type smugResp struct {
	Status int
	ID     string // X-Req-Id: set only by the backend
}

func (r smugResp) String() string {
	if r.ID != "" {
		return fmt.Sprintf("%d:%s", r.Status, r.ID)
	}
	return strconv.Itoa(r.Status)
}

// smugResult is what one case produced.
type smugResult struct {
	backend  []smugSeen // requests the backend received for the case
	resps    []smugResp // final responses the client read, in order
	closed   bool       // the connection was closed by the other side
	timedOut bool       // fewer than the expected responses within the deadline
	rest     string     // bytes that did not parse as a response
}

// smugExchange writes raw to a new connection to addr and reads final
// responses: until the connection closes, or for a short grace after
// the expected number of responses to catch any extra one.
func smugExchange(t *testing.T, addr string, raw []byte, expect int) (resps []smugResp, closed, timedOut bool, rest string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go c.Write(raw) // the server may stop reading early; the read below ends the case
	deadline := time.Now().Add(3 * time.Second)
	c.SetReadDeadline(deadline)
	br := bufio.NewReader(c)
	for {
		_, err := br.Peek(1) // a clean close between responses is no parse error
		var resp *http.Response
		if err == nil {
			resp, err = http.ReadResponse(br, nil)
		}
		if err != nil {
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				timedOut = len(resps) < expect
			case errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) || isReset(err):
				closed = true
			default:
				b, _ := io.ReadAll(io.LimitReader(br, 200))
				rest = fmt.Sprintf("%v: %q", err, b)
				closed = true
			}
			return resps, closed, timedOut, rest
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 200 {
			resps = append(resps, smugResp{Status: resp.StatusCode, ID: resp.Header.Get("X-Req-Id")})
			if len(resps) >= expect {
				c.SetReadDeadline(time.Now().Add(150 * time.Millisecond))
			}
		}
		if err != nil {
			closed = true
			return resps, closed, timedOut, rest
		}
	}
}

func isReset(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "connection reset") || strings.Contains(err.Error(), "broken pipe"))
}

// run sends one case (its placeholders expanded for case id cid) and
// returns what the backend saw, what the client read and whether the
// connection closed.
func (e *smugEnv) run(t *testing.T, c smugCase, cid string) smugResult {
	t.Helper()
	raw := smugExpand(c.raw, cid, e.token)
	resps, closed, timedOut, rest := smugExchange(t, e.addr, []byte(raw), len(c.want))
	// The gateway may still be finishing a backend exchange the client
	// no longer waits for; give it a moment to show up at the backend.
	time.Sleep(20 * time.Millisecond)
	return smugResult{backend: e.rec.take("/r/" + cid + "-"), resps: resps, closed: closed, timedOut: timedOut, rest: rest}
}

// victim sends an honest request on a new connection; behind a front
// proxy that reuses its gateway connections it must get its own answer,
// not one left over from the case before.
func (e *smugEnv) victim(t *testing.T, cid string) {
	t.Helper()
	raw := smugExpand("GET {P}v HTTP/1.1\r\nHost: gw\r\n{A}\r\n", cid, e.token)
	resps, _, timedOut, rest := smugExchange(t, e.addr, []byte(raw), 1)
	e.rec.take("/r/" + cid + "-v")
	if len(resps) == 0 || resps[0].Status != 200 || resps[0].ID != cid+"-v" || timedOut || rest != "" {
		t.Errorf("victim request after the case got %v (timed out %v, rest %s): desynchronised", resps, timedOut, rest)
	}
}

// rejectStatus is what a strict front door answers a request it refuses.
func rejectStatus(s int) bool {
	switch s {
	case 400, 413, 417, 431, 501, 505:
		return true
	}
	return false
}

// proxyRejectStatus adds what nginx and haproxy answer for requests they
// refuse themselves (411 length required, 414 URI too long, 494 header
// too large, 502 when the gateway refused and closed mid-request).
func proxyRejectStatus(s int) bool {
	switch s {
	case 411, 414, 494, 502:
		return true
	}
	return rejectStatus(s)
}

// check applies the assertions to one case's result. strict is true for
// the direct topology, where the gateway's answers must be exactly the
// case's; behind a proxy the proxy may refuse first.
func (c smugCase) check(t *testing.T, cid string, r smugResult, strict bool) {
	t.Helper()
	var fwd []string // ids a strict gateway forwards, in order
	for _, w := range c.want {
		if id, ok := strings.CutPrefix(w, "200:"); ok {
			fwd = append(fwd, id)
		}
	}
	var seen []string
	for _, s := range r.backend {
		if strings.Contains(s.URI, "smuggled") {
			t.Errorf("the backend received a smuggled request: %s %s", s.Method, s.URI)
			continue
		}
		if s.Err != nil {
			continue // an aborted body: the backend never acts on it
		}
		id := strings.TrimPrefix(path.Base(s.URI), cid+"-")
		seen = append(seen, id)
		if s.Header.Get("Authorization") != "" {
			t.Errorf("request %s reached the backend with its Authorization header", id)
		}
		if b, ok := c.bodies[id]; ok && s.Body != smugExpand(b, cid, "") {
			t.Errorf("backend got body %q for %s; a strict reading gives %q", s.Body, id, smugExpand(b, cid, ""))
		}
	}
	var got []string
	for _, r := range r.resps {
		got = append(got, strings.Replace(r.String(), ":"+cid+"-", ":", 1))
	}
	report := func(format string, args ...any) {
		t.Errorf("%s\n  backend saw %v, client read %v, closed %v, timed out %v %s\n  strict reading: %v",
			fmt.Sprintf(format, args...), seen, got, r.closed, r.timedOut, r.rest, c.want)
	}
	if r.rest != "" {
		report("a response did not parse")
	}
	if r.timedOut {
		report("responses missing: the client waited in vain")
	}
	// The backend-answered responses must be the backend's requests, 1:1.
	var answered []string
	for _, g := range got {
		if id, ok := strings.CutPrefix(g, "200:"); ok {
			answered = append(answered, id)
		}
	}
	if strings.Join(answered, " ") != strings.Join(seen, " ") {
		report("responses out of step with what the backend received")
	}
	if strict {
		if len(got) > len(c.want) {
			report("more responses than requests sent: a request was smuggled")
			return
		}
		if strings.Join(seen, " ") != strings.Join(fwd, " ") {
			report("the backend did not get what a strict reading forwards")
		}
		for i, w := range c.want {
			switch {
			case i >= len(got):
				report("response %d missing", i)
			case w == "rej":
				s, _ := strconv.Atoi(got[i])
				if !rejectStatus(s) || !r.closed || i != len(got)-1 {
					report("response %d: want a refusal (400/413/417/431/501/505) and a close", i)
				}
			case got[i] != w:
				report("response %d is %s, want %s", i, got[i], w)
			}
		}
		return
	}
	// Behind a proxy the proxy reads the bytes first and may refuse, or
	// repair (unfold, normalise line ends, drop a Content-Length beside
	// Transfer-Encoding) and forward what it read, as RFC 9112 lets it.
	// What the gateway must still never do is answer something the proxy
	// did not send it: the backend gets only the case's requests, answers
	// stay 1:1 and no further 2xx appears; the victim request then checks
	// the proxy's reused gateway connection.
	ids := smugIDs(c.raw)
	for _, id := range seen {
		if !slices.Contains(ids, id) {
			report("the backend got request %s, which the client never sent", id)
		}
	}
	for i, g := range got {
		switch {
		case i < len(c.want) && g == c.want[i]:
		case !strings.HasPrefix(g, "200:"):
			// refused by the proxy, or by the gateway or security after it
		case i < len(c.want) && c.want[i] == "rej" && i < len(ids) && g == "200:"+ids[i]:
			// the proxy repaired the request and forwarded it
		default:
			report("response %d is %s: the strict reading has %v", i, g, c.want)
		}
	}
}

// smugIDs returns the ids of a case's requests in the order sent.
func smugIDs(raw string) []string {
	var ids []string
	for _, m := range regexp.MustCompile(`\{P\}(\w+)`).FindAllStringSubmatch(raw, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// smugTopology is a way for clients to reach the gateway.
type smugTopology struct {
	name  string
	front func(t *testing.T, gw string) string // starts a front proxy to gw, returns its address; nil: direct
}

// TestSmuggling runs every case in every topology.
func TestSmuggling(t *testing.T) {
	tops := []smugTopology{
		{name: "direct"},
		{name: "nginx", front: startNginx},
		{name: "haproxy", front: startHAProxy},
	}
	cases := smuggleCases()
	for _, top := range tops {
		t.Run(top.name, func(t *testing.T) {
			t.Parallel()
			e := newSmugEnv(t)
			if top.front != nil {
				e.addr = top.front(t, e.gw)
			}
			for i, c := range cases {
				cid := fmt.Sprintf("c%03d", i)
				t.Run(c.name, func(t *testing.T) {
					r := e.run(t, c, cid)
					c.check(t, cid, r, top.front == nil)
					if top.front != nil {
						e.victim(t, cid)
					}
				})
			}
			// Requests whose body a refused case cut off may be recorded
			// late, after their case; they never completed.
			for _, s := range e.rec.take("") {
				if s.Err == nil || strings.Contains(s.URI, "smuggled") {
					t.Errorf("the backend received a request no case accounts for: %s %s", s.Method, s.URI)
				}
			}
		})
	}
}
