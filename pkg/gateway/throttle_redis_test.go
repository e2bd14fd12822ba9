package gateway

import (
	"crypto/tls"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// concurrentClient allows many parallel connections.
func concurrentClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxConnsPerHost: 256, MaxIdleConnsPerHost: 256},
		Timeout:   30 * time.Second,
	}
}

// burst sends n concurrent GETs to each of urls in turn and counts
// statuses; a transport error fails the test.
func burst(t *testing.T, c *http.Client, n int, urls ...string) map[int]int {
	t.Helper()
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := c.Get(urls[i%len(urls)])
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			mu.Lock()
			got[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func redisConfig(url string) Config {
	cfg := testConfig()
	cfg.Redis.URL = Secret(url)
	cfg.Throttling.RedisCheckInterval = 20 * time.Millisecond
	cfg.Throttling.RedisTimeout = 500 * time.Millisecond
	return cfg
}

func TestThrottleExactUnderConcurrency(t *testing.T) {
	const limit, requests = 100, 1000
	pols := Policies{Advanced: []Policy{countPolicy("APITier", limit, 1, "hour")}}
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig()
			if store == "redis" {
				cfg = redisConfig(redistest.Start(t, "").URL())
				// A burst of 1000 under the race detector can take longer
				// than the default; a timeout would count locally.
				cfg.Throttling.RedisTimeout = 10 * time.Second
			}
			var hits atomic.Int64
			be := backend(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
			rg := start(t, throttleSpec(be.URL, pols, "APITier"), cfg)
			got := burst(t, concurrentClient(), requests, rg.http+"/pizza/1.0.0/open")
			_, page := do(t, client(), "GET", rg.http+"/metrics", nil)
			fallbacks := metricValue(page, "mgw_throttle_redis_fallback_total")
			if got[200] != limit || got[429] != requests-limit || hits.Load() != limit {
				t.Fatalf("statuses %v, backend %d (Redis fallbacks %v); want exactly %d passed", got, hits.Load(), fallbacks, limit)
			}
			if store == "redis" && fallbacks != 0 {
				t.Fatalf("%v counts were not made in Redis", fallbacks)
			}
		})
	}
}

func TestThrottleTwoGatewaysShareRedis(t *testing.T) {
	srv := redistest.Start(t, "s3cret")
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 50, 1, "hour")}}
	cfg := redisConfig(srv.URL())
	// As in TestThrottleExactUnderConcurrency: on a loaded machine a Redis
	// timeout would count locally and let more requests through.
	cfg.Throttling.RedisTimeout = 10 * time.Second
	g1 := start(t, throttleSpec(be.URL, pols, "APITier"), cfg)
	g2 := start(t, throttleSpec(be.URL, pols, "APITier"), cfg)
	got := burst(t, concurrentClient(), 400, g1.http+"/pizza/1.0.0/open", g2.http+"/pizza/1.0.0/open")
	if got[200] != 50 || got[429] != 350 {
		t.Fatalf("statuses %v; want one shared quota of 50", got)
	}
	for _, rg := range []*running{g1, g2} {
		if strings.Contains(rg.logs.String(), "s3cret") {
			t.Fatal("the Redis password is in the logs")
		}
	}
}

func TestThrottleRedisOutage(t *testing.T) {
	srv := redistest.Start(t, "")
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	// /open has a quota nobody reaches; /open2 (resource policy below)
	// shows shared counting after Redis is back.
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1_000_000, 1, "hour"), countPolicy("Small", 4, 1, "hour")}}
	spec := func() *Spec {
		s := throttleSpec(be.URL, pols, "APITier")
		s.APIs[0].Resources[3].ThrottlingTier = "Small"
		return s
	}
	g1 := start(t, spec(), redisConfig(srv.URL()))
	g2 := start(t, spec(), redisConfig(srv.URL()))
	c := concurrentClient()
	open := []string{g1.http + "/pizza/1.0.0/open", g2.http + "/pizza/1.0.0/open"}

	var failed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := c.Get(open[n%2])
				if err != nil {
					t.Error(err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Add(1)
				}
			}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	srv.Stop()
	waitMetric(t, g1, "mgw_throttle_redis_up", 0)
	waitMetric(t, g2, "mgw_throttle_redis_up", 0)
	time.Sleep(300 * time.Millisecond) // keep serving while Redis is down
	srv.Restart()
	waitMetric(t, g1, "mgw_throttle_redis_up", 1)
	waitMetric(t, g2, "mgw_throttle_redis_up", 1)
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	if failed.Load() != 0 {
		t.Fatalf("%d requests failed during the outage", failed.Load())
	}
	for i, rg := range []*running{g1, g2} {
		_, page := do(t, client(), "GET", rg.http+"/metrics", nil)
		if v := metricValue(page, "mgw_throttle_redis_fallback_total"); v < 1 {
			t.Errorf("gateway %d: fallback_total = %v, want the outage counted", i+1, v)
		}
		if v := metricValue(page, "mgw_throttle_redis_outages_total"); v != 1 {
			t.Errorf("gateway %d: outages_total = %v, want 1", i+1, v)
		}
		logs := rg.logs.String()
		if n := strings.Count(logs, "Redis for throttling is unreachable"); n != 1 {
			t.Errorf("gateway %d logged the outage %d times, want once", i+1, n)
		}
		if !strings.Contains(logs, "reachable again") {
			t.Errorf("gateway %d did not log the recovery", i+1)
		}
	}
	// Shared counting resumed: 4 per hour over both gateways.
	got := burst(t, c, 12, g1.http+"/pizza/1.0.0/open2", g2.http+"/pizza/1.0.0/open2")
	if got[200] != 4 || got[429] != 8 {
		t.Fatalf("after the outage: %v, want 4 of 12 passed across both gateways", got)
	}
}

func TestThrottleRedisRejectMode(t *testing.T) {
	srv := redistest.Start(t, "")
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	cfg := redisConfig(srv.URL())
	cfg.Throttling.RedisFallback = redisFallbackReject
	rg := start(t, throttleSpec(be.URL, Policies{Advanced: []Policy{countPolicy("APITier", 100, 1, "hour")}}, "APITier"), cfg)
	c := client()
	if resp, _ := do(t, c, "GET", rg.http+"/pizza/1.0.0/open", nil); resp.StatusCode != 200 {
		t.Fatalf("with Redis: %d", resp.StatusCode)
	}
	srv.Stop()
	resp, body := do(t, c, "GET", rg.http+"/pizza/1.0.0/open", nil)
	if resp.StatusCode != 500 || faultCode(body) != CodeThrottleInternal {
		t.Fatalf("Redis down in reject mode: %d %s", resp.StatusCode, body)
	}
	srv.Restart()
	waitMetric(t, rg, "mgw_throttle_redis_up", 1)
	if resp, _ := do(t, c, "GET", rg.http+"/pizza/1.0.0/open", nil); resp.StatusCode != 200 {
		t.Fatalf("Redis back: %d", resp.StatusCode)
	}
}

// waitMetric polls /metrics until sample has value want.
func waitMetric(t *testing.T, rg *running, sample string, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, page := do(t, client(), "GET", rg.http+"/metrics", nil)
		if metricValue(page, sample) == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not become %v", sample, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestThrottleRedisTLSWithCAFile(t *testing.T) {
	p := newPKI(t)
	srv := redistest.StartTLS(t, "tls-secret", p.certFile, p.keyFile, &tls.Config{RootCAs: p.pool})
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	cfg := redisConfig(srv.URL())
	cfg.Throttling.RedisCAFile = p.caFile
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 2, 1, "hour")}}
	rg := start(t, throttleSpec(be.URL, pols, "APITier"), cfg)
	c := client()
	var statuses []int
	for i := 0; i < 3; i++ {
		resp, _ := do(t, c, "GET", rg.http+"/pizza/1.0.0/open", nil)
		statuses = append(statuses, resp.StatusCode)
	}
	_, page := do(t, c, "GET", rg.http+"/metrics", nil)
	if statuses[0] != 200 || statuses[1] != 200 || statuses[2] != 429 || metricValue(page, "mgw_throttle_redis_up") != 1 {
		t.Fatalf("statuses %v, redis_up %v; want counting in Redis over TLS", statuses, metricValue(page, "mgw_throttle_redis_up"))
	}
	bad := cfg
	bad.Throttling.RedisCAFile = p.keyFile
	if _, err := New(throttleSpec(be.URL, pols, "APITier"), bad, nil); err == nil || !strings.Contains(err.Error(), "throttling.redis_ca_file") {
		t.Fatalf("a key as CA file: %v", err)
	}
}

// BenchmarkThrottleCheckRedis is BenchmarkThrottleCheck counting in a
// real redis-server: two policies, so two Redis round trips a check.
func BenchmarkThrottleCheckRedis(b *testing.B) {
	srv := redistest.Start(b, "")
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1<<60, 1, "hour"), countPolicy("ResTier", 1<<60, 1, "hour")}}
	spec := throttleSpec("http://127.0.0.1:1", pols, "APITier")
	th, problems := newThrottler(spec, redisConfig(srv.URL()), nil, nil)
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	defer th.shared.client.Close()
	benchThrottle(b, th, spec, &spec.APIs[0].Resources[4], AuthContext{})
	if n := th.shared.fallbacks.Load(); n != 0 {
		b.Fatalf("%d counts fell back to memory", n)
	}
}
