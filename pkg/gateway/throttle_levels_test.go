package gateway

import (
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// TestThrottleFaultsUnderConcurrency sends 200 concurrent requests with an
// API Manager JWT (subscription tier Silver, application tier Gold) through
// the whole gateway, in memory and through a real redis-server: exactly
// the limit passes at each level and the rest get 429 with the original's
// code for that level (900800 API, 900802 resource, 900804 subscription,
// 900803 application).
func TestThrottleFaultsUnderConcurrency(t *testing.T) {
	const limit, requests = 40, 200
	key := rsaTestKey(t)
	token := "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(nil))
	high := func(name string) Policy { return countPolicy(name, 100000, 1, "hour") }
	low := func(name string) Policy { return countPolicy(name, limit, 1, "hour") }
	for _, tc := range []struct {
		level    string
		path     string
		apiTier  string
		resTier  string
		pols     Policies
		wantCode int
	}{
		{"api", "/menu", "APITier", "", Policies{Advanced: []Policy{low("APITier")}, Subscription: []Policy{high("Silver")}, Application: []Policy{high("Gold")}}, CodeAPIThrottled},
		{"resource", "/menu", "", "ResTier", Policies{Advanced: []Policy{low("ResTier")}, Subscription: []Policy{high("Silver")}, Application: []Policy{high("Gold")}}, CodeResourceThrottled},
		{"subscription", "/menu", "", "", Policies{Subscription: []Policy{low("Silver")}, Application: []Policy{high("Gold")}}, CodeSubscriptionThrottled},
		{"application", "/menu", "", "", Policies{Subscription: []Policy{high("Silver")}, Application: []Policy{low("Gold")}}, CodeApplicationThrottled},
	} {
		for _, store := range []string{"memory", "redis"} {
			t.Run(tc.level+"/"+store, func(t *testing.T) {
				cfg := secured(writePublicKey(t, key.Public()))
				if store == "redis" {
					rc := redisConfig(redistest.Start(t, "").URL())
					cfg.Redis, cfg.Throttling = rc.Redis, rc.Throttling
					cfg.Throttling.RedisTimeout = 10 * time.Second
				}
				var hits atomic.Int64
				be := backend(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
				spec := pizzaSpec(be.URL, be.URL)
				spec.Policies = tc.pols
				spec.APIs[0].ThrottlingTier = tc.apiTier
				for i := range spec.APIs[0].Resources {
					if r := &spec.APIs[0].Resources[i]; r.Path == tc.path {
						r.ThrottlingTier = tc.resTier
					}
				}
				rg := start(t, spec, cfg)
				codes := concurrentCodes(t, requests, rg.http+"/pizzashack/1.0.0"+tc.path, "Authorization", token)
				if codes[0] != limit || codes[tc.wantCode] != requests-limit || hits.Load() != limit {
					t.Fatalf("fault codes %v (0 = passed), backend %d; want %d passed and %d × %d", codes, hits.Load(), limit, requests-limit, tc.wantCode)
				}
			})
		}
	}
}

// concurrentCodes sends n GETs at once and counts the answers by fault
// code (0 for a 200 without a fault); a 429 without the right body or
// Retry-After fails the test.
func concurrentCodes(t *testing.T, n int, url string, header ...string) map[int]int {
	t.Helper()
	c := concurrentClient()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	gate := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			req, _ := http.NewRequest("GET", url, nil)
			for j := 0; j+1 < len(header); j += 2 {
				req.Header.Set(header[j], header[j+1])
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			code := faultCode(string(body))
			if resp.StatusCode == 429 && (resp.Header.Get("Retry-After") == "" || FaultFor(code).Status != 429 ||
				string(body) != faultBody(code, FaultFor(code).Message, FaultFor(code).Description)) {
				t.Errorf("429 with body %s, Retry-After %q", body, resp.Header.Get("Retry-After"))
			}
			if resp.StatusCode != 200 && resp.StatusCode != 429 {
				t.Errorf("status %d: %s", resp.StatusCode, body)
			}
			mu.Lock()
			got[code]++
			mu.Unlock()
		}()
	}
	close(gate)
	wg.Wait()
	return got
}
