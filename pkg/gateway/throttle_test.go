package gateway

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// minute0 is a fake "now" at the start of a minute (and of an hour, a
// day and a week... relative to the epoch it is 1_700_006_400 s).
const minute0 = int64(1_700_006_400_000)

func TestThrottleEachLevel(t *testing.T) {
	pols := Policies{
		Application:  []Policy{countPolicy("AppTier", 3, 1, "min")},
		Subscription: []Policy{countPolicy("Gold", 3, 1, "min"), countPolicy(UnauthenticatedPolicy, 3, 1, "min")},
		Advanced:     []Policy{countPolicy("APITier", 3, 1, "min"), countPolicy("ResTier", 3, 1, "min")},
	}
	for _, tc := range []struct {
		level   string
		apiTier string
		path    string
		code    int
		header  []string // the caller
		other   []string // a caller with its own counter
		reason  string
	}{
		{"api", "APITier", "/open", CodeAPIThrottled, nil, nil, "API_LIMIT_EXCEEDED"},
		{"resource", "", "/res", CodeResourceThrottled, nil, nil, "RESOURCE_LIMIT_EXCEEDED"},
		{"subscription", "", "/menu", CodeSubscriptionThrottled,
			[]string{"X-Test-App", "app1", "X-Test-User", "u", "X-Test-Sub", "Gold"},
			[]string{"X-Test-App", "app2", "X-Test-User", "u", "X-Test-Sub", "Gold"}, "SUBSCRIPTION_LIMIT_EXCEEDED"},
		{"application", "", "/menu", CodeApplicationThrottled,
			[]string{"X-Test-App", "app1", "X-Test-User", "alice", "X-Test-AppTier", "AppTier"},
			[]string{"X-Test-App", "app1", "X-Test-User", "bob", "X-Test-AppTier", "AppTier"}, "APPLICATION_LIMIT_EXCEEDED"},
		{"unauthenticated", "", "/open", CodeSubscriptionThrottled,
			[]string{"X-Test-IP", "198.51.100.7"}, []string{"X-Test-IP", "198.51.100.8"}, "SUBSCRIPTION_LIMIT_EXCEEDED"},
	} {
		t.Run(tc.level, func(t *testing.T) {
			u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, tc.apiTier), testConfig(), minute0+30_000)
			for i := 0; i < 3; i++ {
				if st, code, _ := u.send(t, "GET", tc.path, nil, tc.header...); st != 200 {
					t.Fatalf("request %d: status %d code %d", i+1, st, code)
				}
			}
			st, code, ra := u.send(t, "GET", tc.path, nil, tc.header...)
			if st != 429 || code != tc.code || ra != "30" {
				t.Fatalf("4th request: status %d code %d Retry-After %q; want 429, %d, 30", st, code, ra, tc.code)
			}
			if u.hits.Load() != 3 {
				t.Fatalf("backend saw %d requests, want 3", u.hits.Load())
			}
			if tc.other != nil {
				if st, _, _ := u.send(t, "GET", tc.path, nil, tc.other...); st != 200 {
					t.Fatalf("another caller shares the counter: status %d", st)
				}
			}
			u.clock.set(minute0 + 60_000) // next window
			if st, _, _ := u.send(t, "GET", tc.path, nil, tc.header...); st != 200 {
				t.Fatalf("next window: status %d", st)
			}
		})
	}
}

// TestThrottleRefusedRequestsCountNowhere: an application hammering past
// its own quota must not use up the API-level quota it shares with every
// other caller (the original counted only requests it let through).
func TestThrottleRefusedRequestsCountNowhere(t *testing.T) {
	pols := Policies{
		Application: []Policy{countPolicy("AppTier", 2, 1, "min")},
		Advanced:    []Policy{countPolicy("APITier", 5, 1, "min")},
	}
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig()
			if store == "redis" {
				cfg = redisConfig(redistest.Start(t, "").URL())
			}
			testRefusalsCountNowhere(t, newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), cfg, minute0))
		})
	}
}

func testRefusalsCountNowhere(t *testing.T, u *unitTest) {
	hammer := []string{"X-Test-App", "app1", "X-Test-User", "alice", "X-Test-AppTier", "AppTier"}
	got := map[int]int{}
	for range 20 {
		st, code, _ := u.send(t, "GET", "/menu", nil, hammer...)
		got[code]++
		if st == 429 && code != CodeApplicationThrottled {
			t.Fatalf("app1 refused with %d; want its application quota (%d)", code, CodeApplicationThrottled)
		}
	}
	if got[0] != 2 || got[CodeApplicationThrottled] != 18 {
		t.Fatalf("app1: %v; want 2 through, 18 refused by its application quota", got)
	}
	// Three more callers fit in the API quota of 5 (2 used by app1).
	for _, app := range []string{"app2", "app3", "app4"} {
		if st, code, _ := u.send(t, "GET", "/menu", nil, "X-Test-App", app, "X-Test-User", "bob", "X-Test-AppTier", "AppTier"); st != 200 {
			t.Fatalf("%s after app1's refused requests: status %d code %d; app1's refusals used up the API quota", app, st, code)
		}
	}
	if st, code, _ := u.send(t, "GET", "/menu", nil, "X-Test-App", "app5", "X-Test-User", "bob", "X-Test-AppTier", "AppTier"); st != 429 || code != CodeAPIThrottled {
		t.Fatalf("6th request in the API's window: status %d code %d; want 429 %d", st, code, CodeAPIThrottled)
	}
}

func TestThrottleEachTimeUnit(t *testing.T) {
	for unit, size := range map[string]int64{
		"sec": 1_000, "min": 60_000, "hour": 3_600_000, "day": 86_400_000,
		"week": 7 * 86_400_000, "month": 30 * 86_400_000, "year": 365 * 86_400_000,
	} {
		t.Run(unit, func(t *testing.T) {
			pols := Policies{Advanced: []Policy{countPolicy("APITier", 2, 2, unit)}}
			window := 2 * size
			start := (minute0 / window) * window // aligned to the epoch
			at := start + window/2 + 250         // mid-window, off a second
			u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), at)
			u.send(t, "GET", "/open", nil)
			u.send(t, "GET", "/open", nil)
			st, code, ra := u.send(t, "GET", "/open", nil)
			wantRA := strconv.FormatInt((start+window-at+999)/1000, 10)
			if st != 429 || code != CodeAPIThrottled || ra != wantRA {
				t.Fatalf("3rd: status %d code %d Retry-After %s; want 429 %d %s", st, code, ra, CodeAPIThrottled, wantRA)
			}
			u.clock.set(start + window - 1)
			if st, _, _ := u.send(t, "GET", "/open", nil); st != 429 {
				t.Fatalf("last ms of the window: status %d", st)
			}
			u.clock.set(start + window)
			if st, _, _ := u.send(t, "GET", "/open", nil); st != 200 {
				t.Fatalf("window end: status %d", st)
			}
		})
	}
}

func TestThrottleRetryAfterAtWindowEdges(t *testing.T) {
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1, 1, "min")}}
	for _, tc := range []struct {
		offset int64 // ms into the minute of the refused request
		want   string
	}{{0, "60"}, {1, "60"}, {58_999, "2"}, {59_000, "1"}, {59_001, "1"}, {59_999, "1"}} {
		u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
		u.send(t, "GET", "/open", nil)
		u.clock.set(minute0 + tc.offset)
		st, _, ra := u.send(t, "GET", "/open", nil)
		if st != 429 || ra != tc.want {
			t.Errorf("at +%dms: status %d Retry-After %q, want 429 %q", tc.offset, st, ra, tc.want)
		}
	}
}

func TestThrottleBandwidth(t *testing.T) {
	pols := Policies{Advanced: []Policy{{Name: "APITier", LimitType: LimitBandwidth, DataAmount: 1, DataUnit: "KB", UnitTime: 1, TimeUnit: "min", StopOnQuotaReach: true}}}
	t.Run("response bytes", func(t *testing.T) {
		u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
		u.respSz = 600
		for i, want := range []int{200, 200, 429} { // 0, 600, then 1200 ≥ 1024 bytes
			if st, code, _ := u.send(t, "GET", "/open", nil); st != want {
				t.Fatalf("request %d: status %d (code %d), want %d", i+1, st, code, want)
			}
		}
	})
	t.Run("request bytes", func(t *testing.T) {
		u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
		if st, _, _ := u.send(t, "POST", "/open", strings.NewReader(strings.Repeat("a", 1000))); st != 200 {
			t.Fatalf("1000 bytes: %d", st)
		}
		if st, _, _ := u.send(t, "POST", "/open", strings.NewReader(strings.Repeat("b", 100))); st != 200 {
			t.Fatalf("1000 bytes before, 1100 after: %d", st)
		}
		if st, code, _ := u.send(t, "GET", "/open", nil); st != 429 || code != CodeAPIThrottled {
			t.Fatalf("over 1024 bytes: %d %d", st, code)
		}
	})
	t.Run("chunked request bytes", func(t *testing.T) {
		u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
		body := io.MultiReader(strings.NewReader(strings.Repeat("a", 700)), strings.NewReader(strings.Repeat("b", 400)))
		if st, _, _ := u.send(t, "POST", "/open", io.NopCloser(body)); st != 200 {
			t.Fatalf("chunked: %d", st)
		}
		if st, _, _ := u.send(t, "GET", "/open", nil); st != 429 {
			t.Fatalf("after 1100 chunked bytes: %d", st)
		}
	})
}

func TestThrottleStopOnQuotaReach(t *testing.T) {
	for _, stop := range []bool{true, false} {
		t.Run(strconv.FormatBool(stop), func(t *testing.T) {
			p := countPolicy("Gold", 2, 1, "min")
			p.StopOnQuotaReach = stop
			u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", Policies{Subscription: []Policy{p}}, ""), testConfig(), minute0)
			h := []string{"X-Test-App", "a", "X-Test-Sub", "Gold"}
			var statuses []int
			for i := 0; i < 4; i++ {
				st, _, _ := u.send(t, "GET", "/menu", nil, h...)
				statuses = append(statuses, st)
			}
			if stop {
				if statuses[2] != 429 || statuses[3] != 429 || u.hits.Load() != 2 {
					t.Fatalf("statuses %v, backend %d; want the 3rd and 4th refused", statuses, u.hits.Load())
				}
				return
			}
			if u.hits.Load() != 4 {
				t.Fatalf("statuses %v: backend saw %d, want all 4", statuses, u.hits.Load())
			}
			u.mu.Lock()
			defer u.mu.Unlock()
			for i, info := range u.infos {
				out := i >= 2
				if info.ThrottledOut != out || info.Throttled != out || (out && info.ThrottleReason != "SUBSCRIPTION_LIMIT_EXCEEDED") {
					t.Errorf("request %d: throttled %v out %v reason %q", i+1, info.Throttled, info.ThrottledOut, info.ThrottleReason)
				}
			}
		})
	}
}

func TestThrottleSpikeArrest(t *testing.T) {
	p := countPolicy("Gold", 100, 1, "min")
	p.RateLimitCount, p.RateLimitTimeUnit = 2, "sec"
	u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", Policies{Subscription: []Policy{p}}, ""), testConfig(), minute0+10_200)
	h := []string{"X-Test-App", "a", "X-Test-Sub", "Gold"}
	u.send(t, "GET", "/menu", nil, h...)
	u.send(t, "GET", "/menu", nil, h...)
	st, code, ra := u.send(t, "GET", "/menu", nil, h...)
	if st != 429 || code != CodeSubscriptionThrottled || ra != "1" {
		t.Fatalf("3rd in one second: %d %d %q", st, code, ra)
	}
	u.clock.set(minute0 + 11_000)
	if st, _, _ := u.send(t, "GET", "/menu", nil, h...); st != 200 {
		t.Fatalf("next second: %d", st)
	}
}

func TestThrottleUnlimitedIsNeverCounted(t *testing.T) {
	pols := Policies{
		Subscription: []Policy{{Name: "Unlimited", Unlimited: true}},
		Application:  []Policy{{Name: "Unlimited", Unlimited: true}},
		Advanced:     []Policy{{Name: "Unlimited", Unlimited: true}},
	}
	spec := throttleSpec("http://127.0.0.1:1", pols, "Unlimited")
	spec.APIs[0].Resources[4].ThrottlingTier = "Unlimited"
	u := newUnitTest(t, spec, testConfig(), minute0)
	for i := 0; i < 5; i++ {
		for _, p := range []string{"/menu", "/res", "/open"} {
			if st, _, _ := u.send(t, "GET", p, nil, "X-Test-App", "a", "X-Test-User", "u", "X-Test-Sub", "Unlimited", "X-Test-AppTier", "Unlimited"); st != 200 {
				t.Fatalf("%s: %d", p, st)
			}
		}
	}
	if n := u.t.mem.Len(); n != 0 {
		t.Fatalf("%d counters for Unlimited policies", n)
	}
}

func TestThrottleUnknownTierIs900809(t *testing.T) {
	u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", Policies{Subscription: []Policy{countPolicy("Gold", 5, 1, "min")}}, ""), testConfig(), minute0)
	st, code, _ := u.send(t, "GET", "/menu", nil, "X-Test-App", "a", "X-Test-Sub", "Platinum")
	if st != 500 || code != CodePolicyNotFound || u.hits.Load() != 0 {
		t.Fatalf("unknown tier: %d %d, backend %d", st, code, u.hits.Load())
	}
}

func TestThrottleUnknownAdvancedPolicyStopsNew(t *testing.T) {
	spec := throttleSpec("http://127.0.0.1:1", Policies{Advanced: []Policy{countPolicy("ResTier", 5, 1, "min")}}, "Bronze")
	_, err := New(spec, testConfig(), nil)
	if err == nil {
		t.Fatal("New accepted an API naming a missing policy")
	}
	if msg := err.Error(); !strings.Contains(msg, "Pizza 1.0.0") || !strings.Contains(msg, `"Bronze"`) {
		t.Fatalf("error does not name the API and the policy: %v", err)
	}
	bad := throttleSpec("http://127.0.0.1:1", Policies{Advanced: []Policy{{Name: "ResTier", LimitType: LimitRequestCount, RequestCount: 5, UnitTime: 1, TimeUnit: "fortnight"}}}, "")
	if _, err := New(bad, testConfig(), nil); err == nil || !strings.Contains(err.Error(), `"ResTier"`) || !strings.Contains(err.Error(), "fortnight") {
		t.Fatalf("bad time unit: %v", err)
	}
}

func TestThrottlingConfig(t *testing.T) {
	spec := throttleSpec("http://127.0.0.1:1", Policies{}, "")
	cfg, err := LoadConfig(spec, "", []string{"MGW_THROTTLING_REDIS_FALLBACK=drop"})
	if err == nil || !strings.Contains(err.Error(), "MGW_THROTTLING_REDIS_FALLBACK (throttling.redis_fallback)") || !strings.Contains(err.Error(), "local") {
		t.Fatalf("bad fallback: %v", err)
	}
	_, err = LoadConfig(spec, "", []string{"MGW_REDIS_URL=http://:hunter2@h"})
	if err == nil || strings.Contains(err.Error(), "hunter2") || !strings.Contains(err.Error(), "redis://") {
		t.Fatalf("bad URL: %v", err)
	}
	file := writeFile(t, "gw.yaml", "throttling:\n  redis_timeout: 0s\n  redis_pool_size: 0\n")
	_, err = LoadConfig(spec, file, nil)
	if err == nil || !strings.Contains(err.Error(), "gw.yaml:2: throttling.redis_timeout") || !strings.Contains(err.Error(), "redis_pool_size") {
		t.Fatalf("bad values: %v", err)
	}
	cfg, err = LoadConfig(spec, "", []string{"MGW_THROTTLING_ENABLED=false"})
	if err != nil || cfg.Throttling.Enabled {
		t.Fatalf("disable: %v %v", cfg.Throttling.Enabled, err)
	}
}

func TestThrottleDisabledLetsAllThrough(t *testing.T) {
	be := echoBackend(t, "b")
	cfg := testConfig()
	cfg.Throttling.Enabled = false
	rg := start(t, throttleSpec(be.URL, Policies{Advanced: []Policy{countPolicy("APITier", 1, 1, "hour")}}, "APITier"), cfg)
	c := client()
	for i := 0; i < 3; i++ {
		if resp, _ := do(t, c, "GET", rg.http+"/pizza/1.0.0/open", nil); resp.StatusCode != 200 {
			t.Fatalf("disabled throttling refused: %d", resp.StatusCode)
		}
	}
}

// BenchmarkThrottleCheck is the in-memory check of one request against an
// API-level and a resource-level policy, without the HTTP server.
func BenchmarkThrottleCheck(b *testing.B) {
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1<<60, 1, "hour"), countPolicy("ResTier", 1<<60, 1, "hour")}}
	spec := throttleSpec("http://127.0.0.1:1", pols, "APITier")
	th, problems := newThrottler(spec, testConfig(), nil, nil)
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	benchThrottle(b, th, spec, &spec.APIs[0].Resources[4], AuthContext{})
}

// BenchmarkThrottleCheckSubscriber adds subscription and application
// policies, whose keys are built per request.
func BenchmarkThrottleCheckSubscriber(b *testing.B) {
	pols := Policies{
		Application:  []Policy{countPolicy("AppTier", 1<<60, 1, "hour")},
		Subscription: []Policy{countPolicy("Gold", 1<<60, 1, "hour")},
		Advanced:     []Policy{countPolicy("APITier", 1<<60, 1, "hour")},
	}
	spec := throttleSpec("http://127.0.0.1:1", pols, "APITier")
	th, problems := newThrottler(spec, testConfig(), nil, nil)
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	auth := AuthContext{Authenticated: true, ApplicationID: "42", Username: "alice", SubscriptionTier: "Gold", ApplicationTier: "AppTier"}
	benchThrottle(b, th, spec, &spec.APIs[0].Resources[0], auth)
}

func benchThrottle(b *testing.B, th *throttler, spec *Spec, res *Resource, auth AuthContext) {
	ex := &exchange{}
	ex.info.API, ex.info.Resource, ex.info.Auth = &spec.APIs[0], res, auth
	ex.info.Start = time.Now()
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	h := th.middleware(next)
	req := httptest.NewRequest("GET", "/pizza/1.0.0/menu", nil)
	req = req.WithContext(context.WithValue(req.Context(), exchangeKey{}, ex))
	w := httptest.NewRecorder()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.ServeHTTP(w, req)
	}
	if w.Code != 200 {
		b.Fatalf("status %d", w.Code)
	}
}
