package gateway

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// TestThrottleRedisSentinel counts through the master a Sentinel names,
// across two gateways, then through the replica it promotes.
func TestThrottleRedisSentinel(t *testing.T) {
	st := redistest.StartSentinel(t, "sentinel-s3cret")
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	// /open has a quota nobody reaches; POST /open and /open2 have their
	// own, before and after the failover.
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1_000_000, 1, "hour"), countPolicy("Before", 10, 1, "hour"), countPolicy("Small", 4, 1, "hour")}}
	spec := func() *Spec {
		s := throttleSpec(be.URL, pols, "APITier")
		s.APIs[0].Resources[2].ThrottlingTier = "Before"
		s.APIs[0].Resources[3].ThrottlingTier = "Small"
		return s
	}
	cfg := redisConfig(st.URL())
	cfg.Throttling.RedisTimeout = 5 * time.Second
	g1, g2 := start(t, spec(), cfg), start(t, spec(), cfg)
	c := concurrentClient()
	got := burstPost(t, c, 30, g1.http+"/pizza/1.0.0/open", g2.http+"/pizza/1.0.0/open")
	if got[200] != 10 || got[429] != 20 {
		t.Fatalf("through the Sentinel's master: %v, want one shared quota of 10", got)
	}
	if keys := st.Master.Cli("KEYS", "mgw:throttle:*"); !strings.Contains(keys, "mgw:throttle:") {
		t.Fatalf("the master holds no counter: %q", keys)
	}

	st.Failover()
	// Every request is answered while the gateways move to the new master.
	deadline := time.Now().Add(15 * time.Second)
	for {
		before := metricValue(metricsPage(t, g1), "mgw_throttle_redis_fallback_total") + metricValue(metricsPage(t, g2), "mgw_throttle_redis_fallback_total")
		got := burst(t, c, 4, g1.http+"/pizza/1.0.0/open", g2.http+"/pizza/1.0.0/open")
		if got[200]+got[429] != 4 {
			t.Fatalf("during the failover: %v", got)
		}
		after := metricValue(metricsPage(t, g1), "mgw_throttle_redis_fallback_total") + metricValue(metricsPage(t, g2), "mgw_throttle_redis_fallback_total")
		// The old master may take writes until the Sentinel turns it into
		// a replica; only then do both gateways have to be on the new one.
		demoted := strings.HasPrefix(st.Master.Cli("ROLE"), "slave")
		if demoted && after == before && metricValue(metricsPage(t, g1), "mgw_throttle_redis_up") == 1 && metricValue(metricsPage(t, g2), "mgw_throttle_redis_up") == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the gateways did not count in Redis again after the failover")
		}
		time.Sleep(100 * time.Millisecond)
	}
	got = burst(t, c, 12, g1.http+"/pizza/1.0.0/open2", g2.http+"/pizza/1.0.0/open2")
	if got[200] != 4 || got[429] != 8 {
		t.Fatalf("after the failover: %v, want 4 of 12 passed across both gateways", got)
	}
	if keys := st.Replica.Cli("KEYS", "mgw:throttle:*Small*"); !strings.Contains(keys, "Small") {
		t.Fatalf("the promoted replica holds no counter of the new policy: %q", keys)
	}
	for _, rg := range []*running{g1, g2} {
		if strings.Contains(rg.logs.String(), "sentinel-s3cret") {
			t.Fatal("the Redis password is in the logs")
		}
	}
}

// TestThrottleRedisCluster shares one quota between two gateways over a
// three-node Redis Cluster.
func TestThrottleRedisCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {})
	// /open2 counts on an API-level and a resource-level key.
	pols := Policies{Advanced: []Policy{countPolicy("APITier", 1_000_000, 1, "hour"), countPolicy("Small", 50, 1, "hour")}}
	spec := func() *Spec {
		s := throttleSpec(be.URL, pols, "APITier")
		s.APIs[0].Resources[3].ThrottlingTier = "Small"
		return s
	}
	cfg := redisConfig(cl.URL())
	cfg.Throttling.RedisTimeout = 10 * time.Second
	g1, g2 := start(t, spec(), cfg), start(t, spec(), cfg)
	c := concurrentClient()
	got := burst(t, c, 300, g1.http+"/pizza/1.0.0/open2", g2.http+"/pizza/1.0.0/open2")
	if got[200] != 50 || got[429] != 250 {
		t.Fatalf("over the cluster: %v, want one shared quota of 50", got)
	}
	for _, rg := range []*running{g1, g2} {
		if v := metricValue(metricsPage(t, rg), "mgw_throttle_redis_fallback_total"); v != 0 {
			t.Fatalf("%v counts were not made in the cluster", v)
		}
	}
}

// TestCheckRedis: --check refuses a bad URL and a Redis nobody answers,
// without showing the password.
func TestCheckRedis(t *testing.T) {
	srv := redistest.Start(t, "")
	dead := strconv.Itoa(redistest.FreePort(t))
	for url, want := range map[string]string{
		"redis://" + srv.Addr(): "",
		"redis+sentinel://:chk-s3cret@127.0.0.1:" + dead + "/mymaster": "sentinel master mymaster via",
		"redis://:chk-s3cret@127.0.0.1:" + dead:                        "does not answer",
		"redis+sentinel://:chk-s3cret@127.0.0.1:" + dead:               "no master name",
		"redis+cluster://:chk-s3cret@127.0.0.1:" + dead:                "does not answer",
	} {
		cfg := redisConfig(url)
		var out, errOut bytes.Buffer
		code := runCheck(throttleSpec("http://127.0.0.1:1", Policies{}, ""), cfg, nil, &out, &errOut)
		if want == "" {
			if code != exitOK {
				t.Errorf("%s: --check failed: %s", url, errOut.String())
			}
			continue
		}
		if code == exitOK || !strings.Contains(errOut.String(), want) || !strings.Contains(errOut.String(), "redis") {
			t.Errorf("%s: --check = %d %q, want a problem saying %q", url, code, errOut.String(), want)
		}
		if strings.Contains(errOut.String(), "chk-s3cret") {
			t.Errorf("%s: --check shows the password: %s", url, errOut.String())
		}
	}
}

// burstPost is burst with POSTs.
func burstPost(t *testing.T, c *http.Client, n int, urls ...string) map[int]int {
	t.Helper()
	got := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := c.Post(urls[i%len(urls)], "text/plain", nil)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			mu.Lock()
			got[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return got
}

func metricsPage(t *testing.T, rg *running) string {
	t.Helper()
	_, page := do(t, client(), "GET", rg.http+"/metrics", nil)
	return page
}
