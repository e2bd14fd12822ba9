package gateway

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a settable clock for window arithmetic.
type fakeClock struct{ ms atomic.Int64 }

func newFakeClock(ms int64) *fakeClock { c := &fakeClock{}; c.ms.Store(ms); return c }
func (c *fakeClock) now() time.Time    { return time.UnixMilli(c.ms.Load()) }
func (c *fakeClock) set(ms int64)      { c.ms.Store(ms) }

// countPolicy is a request-count policy of n per unitTime × unit.
func countPolicy(name string, n, unitTime int64, unit string) Policy {
	return Policy{Name: name, LimitType: LimitRequestCount, RequestCount: n, UnitTime: unitTime, TimeUnit: unit, StopOnQuotaReach: true}
}

// throttleSpec is a label with one API: apiTier is its API-level
// policy; /menu is secured, /open, /open2 and /res are not, and /res
// has the resource policy ResTier when pols defines it.
func throttleSpec(url string, pols Policies, apiTier string) *Spec {
	resTier := ""
	for _, p := range pols.Advanced {
		if p.Name == "ResTier" {
			resTier = p.Name
		}
	}
	return &Spec{
		Label:      "throttle",
		MgwVersion: "v0.0.0-test",
		Policies:   pols,
		APIs: []API{{
			Name:           "Pizza",
			Version:        "1.0.0",
			Context:        "/pizza",
			BasePath:       "/pizza/1.0.0",
			Production:     &Endpoint{Type: EndpointHTTP, URLs: []string{url}},
			ThrottlingTier: apiTier,
			Resources: []Resource{
				{Path: "/menu", Method: "GET"},
				{Path: "/open", Method: "GET", AuthType: "None"},
				{Path: "/open", Method: "POST", AuthType: "None"},
				{Path: "/open2", Method: "GET", AuthType: "None"},
				{Path: "/res", Method: "GET", AuthType: "None", ThrottlingTier: resTier},
			},
		}},
	}
}

// unitTest is a throttler driven directly: a fake authentication step
// fills RequestInfo from X-Test-* headers, then the throttling
// middleware, then a backend that counts what reached it.
type unitTest struct {
	t      *throttler
	clock  *fakeClock
	url    string
	hits   atomic.Int64
	mu     sync.Mutex
	infos  []RequestInfo // what the backend saw
	respSz int           // response body size
}

// newUnitTest serves spec's throttler on 127.0.0.1.
func newUnitTest(tb testing.TB, spec *Spec, cfg Config, startMs int64) *unitTest {
	tb.Helper()
	u := &unitTest{clock: newFakeClock(startMs)}
	th, problems := newThrottler(spec, cfg, slog.New(slog.DiscardHandler), u.clock.now)
	if len(problems) > 0 {
		tb.Fatalf("newThrottler: %v", problems)
	}
	u.t = th
	backendH := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		u.hits.Add(1)
		u.mu.Lock()
		u.infos = append(u.infos, *InfoFrom(r.Context()))
		sz := u.respSz
		u.mu.Unlock()
		_, _ = w.Write([]byte(strings.Repeat("x", sz)))
	})
	h := fakeAuth(spec, th.middleware(backendH))
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	u.url = srv.URL
	return u
}

// fakeAuth routes by path to spec's first API and fills the request info
// as security would: X-Test-App, X-Test-User, X-Test-Sub (subscription
// tier), X-Test-AppTier and X-Test-IP.
func fakeAuth(spec *Spec, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := &spec.APIs[0]
		ex := &exchange{}
		ex.info.API = a
		for i := range a.Resources {
			if a.BasePath+a.Resources[i].Path == r.URL.Path && a.Resources[i].Method == r.Method {
				ex.info.Resource = &a.Resources[i]
			}
		}
		if ex.info.Resource == nil {
			http.NotFound(w, r)
			return
		}
		ex.info.ClientIP = netip.MustParseAddr("192.0.2.1")
		if ip := r.Header.Get("X-Test-IP"); ip != "" {
			ex.info.ClientIP = netip.MustParseAddr(ip)
		}
		if app := r.Header.Get("X-Test-App"); app != "" {
			ex.info.Auth = AuthContext{
				Authenticated:    true,
				ApplicationID:    app,
				Username:         r.Header.Get("X-Test-User"),
				SubscriptionTier: r.Header.Get("X-Test-Sub"),
				ApplicationTier:  r.Header.Get("X-Test-AppTier"),
			}
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, ex)))
	})
}

// get sends a request with header pairs and returns status, fault code
// and Retry-After.
func (u *unitTest) send(tb testing.TB, method, path string, body io.Reader, header ...string) (int, int, string) {
	tb.Helper()
	resp, b := do(tb, http.DefaultClient, method, u.url+"/pizza/1.0.0"+path, body, header...)
	return resp.StatusCode, faultCode(b), resp.Header.Get("Retry-After")
}

// faultCode extracts the fault code of a body, or 0.
func faultCode(body string) int {
	const p = `{"fault":{"code":`
	if !strings.HasPrefix(body, p) {
		return 0
	}
	rest := body[len(p):]
	end := strings.IndexByte(rest, ',')
	if end < 0 {
		return 0
	}
	n, _ := strconv.Atoi(rest[:end])
	return n
}

// metricValue reads one sample from a /metrics page, or -1.
func metricValue(page, sample string) float64 {
	for _, line := range strings.Split(page, "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}
