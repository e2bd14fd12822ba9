package gateway

import (
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// blockedSpec is pizzaSpec with policies that would let everything
// through and the given blocking conditions.
func blockedSpec(url string, conds ...BlockingCondition) *Spec {
	s := pizzaSpec(url, url)
	s.Policies = Policies{Subscription: []Policy{countPolicy("Silver", 1000, 1, "hour"), countPolicy(UnauthenticatedPolicy, 1000, 1, "hour")},
		Application: []Policy{countPolicy("Gold", 1000, 1, "hour")}}
	s.Blocking = conds
	return s
}

func TestBlockingEachType(t *testing.T) {
	be := echoBackend(t, "prod")
	key := rsaTestKey(t)
	cfg := secured(writePublicKey(t, key.Public()))
	cfg.Server.TrustedProxies = []string{"127.0.0.0/8"}
	tok := func(changes map[string]any) string {
		return "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(changes))
	}
	alice := tok(nil)
	bobApp := tok(map[string]any{"sub": "bob@carbon.super", "application": map[string]any{"id": 8, "name": "Other App", "tier": "Gold", "owner": "bob"}})
	type call struct {
		path, token, xff string
		blocked          bool
	}
	for name, tc := range map[string]struct {
		conds []BlockingCondition
		calls []call
	}{
		"api by versioned context": {[]BlockingCondition{{Type: BlockAPI, Value: "/pizzashack/1.0.0"}}, []call{
			{"/menu", alice, "", true}, {"/open", "", "", true}}},
		"api of another version": {[]BlockingCondition{{Type: BlockAPI, Value: "/pizzashack/2.0.0"}}, []call{
			{"/menu", alice, "", false}}},
		"application owner:name": {[]BlockingCondition{{Type: BlockApplication, Value: "bob:Other App"}}, []call{
			{"/menu", bobApp, "", true}, {"/menu", alice, "", false}, {"/open", "", "", false}}},
		"application of another owner": {[]BlockingCondition{{Type: BlockApplication, Value: "alice:Other App"}}, []call{
			{"/menu", bobApp, "", false}}},
		"user with and without tenant": {[]BlockingCondition{{Type: BlockUser, Value: "alice@carbon.super"}, {Type: BlockUser, Value: "bob"}}, []call{
			{"/menu", alice, "", true}, {"/menu", bobApp, "", true}, {"/open", "", "", false}}},
		"ip through trusted X-Forwarded-For": {[]BlockingCondition{{Type: BlockIP, IP: "10.1.2.3"}}, []call{
			{"/menu", alice, "10.1.2.3", true}, {"/open", "", "10.1.2.3", true}, {"/menu", alice, "10.1.2.4", false}, {"/menu", alice, "", false}}},
		"inverted ip": {[]BlockingCondition{{Type: BlockIP, IP: "10.1.2.3", Invert: true}}, []call{
			{"/menu", alice, "10.1.2.3", false}, {"/menu", alice, "10.1.2.4", true}, {"/menu", alice, "2001:db8::1", true}}},
		"ip range": {[]BlockingCondition{{Type: BlockIPRange, StartingIP: "10.0.0.10", EndingIP: "10.0.0.20"}}, []call{
			{"/menu", alice, "10.0.0.10", true}, {"/menu", alice, "10.0.0.20", true}, {"/menu", alice, "10.0.0.21", false}, {"/menu", alice, "10.0.0.9", false}}},
		"inverted ip range": {[]BlockingCondition{{Type: BlockIPRange, StartingIP: "10.0.0.10", EndingIP: "10.0.0.20", Invert: true}}, []call{
			{"/menu", alice, "10.0.0.15", false}, {"/menu", alice, "10.0.0.21", true}}},
		"ipv6 range": {[]BlockingCondition{{Type: BlockIPRange, StartingIP: "2001:db8::", EndingIP: "2001:db8::ffff"}}, []call{
			{"/menu", alice, "2001:db8::10", true}, {"/menu", alice, "10.0.0.1", false}}},
	} {
		t.Run(name, func(t *testing.T) {
			gw := start(t, blockedSpec(be.URL, tc.conds...), cfg)
			c := client()
			for _, cl := range tc.calls {
				var h []string
				if cl.token != "" {
					h = append(h, "Authorization", cl.token)
				}
				if cl.xff != "" {
					h = append(h, "X-Forwarded-For", cl.xff)
				}
				resp, body := do(t, c, "GET", gw.http+"/pizzashack/1.0.0"+cl.path, nil, h...)
				if cl.blocked {
					wantFault(t, resp, body, CodeBlocked)
				} else if resp.StatusCode != 200 {
					t.Errorf("%s from %q: %d %s, want 200", cl.path, cl.xff, resp.StatusCode, body)
				}
			}
		})
	}
}

// A blocked request is refused before throttling: it counts against no
// quota, with many callers at once, in memory and in Redis.
func TestBlockedRequestsCountNowhere(t *testing.T) {
	const limit, blocked, allowed = 40, 300, 200
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig()
			if store == "redis" {
				cfg = redisConfig(redistest.Start(t, "").URL())
				cfg.Throttling.RedisTimeout = 10 * time.Second
			}
			cfg.Server.TrustedProxies = []string{"127.0.0.0/8"}
			var hits atomic.Int64
			be := backend(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
			spec := throttleSpec(be.URL, Policies{Advanced: []Policy{countPolicy("APITier", limit, 1, "hour")}}, "APITier")
			spec.Blocking = []BlockingCondition{{Type: BlockIPRange, StartingIP: "10.9.0.0", EndingIP: "10.9.255.255"}}
			rg := start(t, spec, cfg)
			c := concurrentClient()
			got := map[string]map[int]int{"blocked": {}, "allowed": {}}
			var mu sync.Mutex
			var wg sync.WaitGroup
			gate := make(chan struct{})
			for i := 0; i < blocked+allowed; i++ {
				kind, ip := "allowed", "10.8.0.1"
				if i%5 < 3 {
					kind, ip = "blocked", "10.9.1.1"
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-gate
					req, _ := http.NewRequest("GET", rg.http+"/pizza/1.0.0/open", nil)
					req.Header.Set("X-Forwarded-For", ip)
					resp, err := c.Do(req)
					if err != nil {
						t.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					mu.Lock()
					got[kind][resp.StatusCode]++
					mu.Unlock()
				}()
			}
			close(gate)
			wg.Wait()
			if got["blocked"][403] != blocked || got["allowed"][200] != limit || got["allowed"][429] != allowed-limit || hits.Load() != limit {
				t.Fatalf("statuses %v, backend %d; want %d blocked, exactly %d of %d others passed", got, hits.Load(), blocked, limit, allowed)
			}
			_, page := do(t, client(), "GET", rg.http+"/metrics", nil)
			if v := metricValue(page, "mgw_blocked_requests_total"); v != blocked {
				t.Errorf("mgw_blocked_requests_total = %v, want %d", v, blocked)
			}
		})
	}
}

func TestBlockingConditionsCheckedAtStart(t *testing.T) {
	for _, c := range []BlockingCondition{
		{Type: "IPRANGE", StartingIP: "1.1.1.1", EndingIP: "1.1.1.2"},
		{Type: BlockIP, IP: "localhost"},
		{Type: BlockIPRange, StartingIP: "10.0.0.9", EndingIP: "10.0.0.1"},
		{Type: BlockIPRange, StartingIP: "10.0.0.1", EndingIP: "2001:db8::1"},
		{Type: BlockApplication, Value: "NoOwner"},
		{Type: BlockUser, Value: "bob", Invert: true},
	} {
		spec := blockedSpec("http://127.0.0.1:1", c)
		err := spec.Validate()
		if err == nil || !strings.Contains(err.Error(), "blocking condition 1") {
			t.Errorf("%+v: Validate = %v, want an error naming the condition", c, err)
		}
		if _, err := New(spec, testConfig(), slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("%+v: New accepted it", c)
		}
	}
}

func BenchmarkBlockingCheck(b *testing.B) {
	spec := blockedSpec("http://127.0.0.1:1")
	for i := 0; i < 50; i++ {
		ip := netip.AddrFrom4([4]byte{10, 1, byte(i), 1})
		spec.Blocking = append(spec.Blocking,
			BlockingCondition{Type: BlockIP, IP: ip.String()},
			BlockingCondition{Type: BlockIPRange, StartingIP: netip.AddrFrom4([4]byte{10, 2, byte(i), 0}).String(), EndingIP: netip.AddrFrom4([4]byte{10, 2, byte(i), 255}).String()},
			BlockingCondition{Type: BlockUser, Value: "user" + itoa(i) + "@carbon.super"},
			BlockingCondition{Type: BlockApplication, Value: "owner" + itoa(i) + ":App"},
		)
	}
	bl, problems := compileBlocking(spec, slog.New(slog.DiscardHandler))
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	info := &RequestInfo{API: &spec.APIs[0], ClientIP: netip.MustParseAddr("192.0.2.1"),
		Auth: AuthContext{Authenticated: true, Username: "alice@carbon.super", ApplicationOwner: "alice", ApplicationName: "App"}}
	b.ReportAllocs()
	for b.Loop() {
		if bl.isBlocked(info) {
			b.Fatal("blocked")
		}
	}
}

// The merged, binary-searched ranges answer as testing each range would.
func TestInRangesMatchesLinearScan(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	addr := func() netip.Addr {
		if rnd.IntN(4) == 0 {
			return netip.AddrFrom16([16]byte{0x20, 0x01, 15: byte(rnd.IntN(64))})
		}
		return netip.AddrFrom4([4]byte{10, 0, 0, byte(rnd.IntN(64))})
	}
	for round := 0; round < 200; round++ {
		var rs []ipBlock
		for i := rnd.IntN(8); i > 0; i-- {
			lo := addr()
			hi := lo
			for k := rnd.IntN(6); k > 0; k-- {
				hi = hi.Next()
			}
			rs = append(rs, ipBlock{lo: lo, hi: hi})
		}
		orig := slices.Clone(rs)
		merged := mergeRanges(rs)
		for k := 0; k < 50; k++ {
			ip := addr()
			want := false
			for i := range orig {
				want = want || orig[i].matches(ip)
			}
			if got := inRanges(merged, ip); got != want {
				t.Fatalf("ranges %v, ip %s: got %v, want %v", orig, ip, got, want)
			}
		}
	}
}
