package gateway

import (
	"archive/zip"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/usage"
)

// analyticsConfig is testConfig with analytics on, writing to a temporary
// folder, without uploads.
func analyticsConfig(t testing.TB) Config {
	c := testConfig()
	c.Analytics.Enabled = true
	c.Analytics.Dir = t.TempDir()
	c.Analytics.Upload = false
	return c
}

// usageLines returns the decoded lines of every rotated file in dir.
func usageLines(t testing.TB, dir string) []usage.Line {
	t.Helper()
	names, err := usage.ListZips(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []usage.Line
	for _, n := range names {
		zr, err := zip.OpenReader(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			for _, s := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
				l, err := usage.ParseLine(s)
				if err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				out = append(out, l)
			}
		}
		zr.Close()
	}
	return out
}

// byStream groups lines by stream id.
func byStream(lines []usage.Line) map[string][]usage.Line {
	m := map[string][]usage.Line{}
	for _, l := range lines {
		m[l.StreamID] = append(m[l.StreamID], l)
	}
	return m
}

func TestAnalyticsRequestEvents(t *testing.T) {
	be := echoBackend(t, "pets")
	cfg := analyticsConfig(t)
	gw := start(t, petstore(be.URL), cfg, rejectSecured)
	const n = 25
	for i := range n {
		resp, body := do(t, client(), "GET", gw.http+fmt.Sprintf("/petstore/v1/dog%d", i), nil,
			"X-Request-ID", fmt.Sprintf("req-%d", i), "User-Agent", "analytics-test/1.0")
		if resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
	}
	// A secured resource without credentials fails authentication: not
	// recorded, as in the original.
	if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("secured resource without a token: %d", resp.StatusCode)
	}
	if err := gw.stop(); err != nil {
		t.Fatal(err)
	}
	lines := usageLines(t, cfg.Analytics.Dir)
	if len(lines) != n {
		t.Fatalf("%d events for %d requests: %+v", len(lines), n, lines)
	}
	for i, l := range lines {
		if l.StreamID != usage.StreamRequest {
			t.Fatalf("line %d on stream %s", i, l.StreamID)
		}
		want := fmt.Sprintf(`{"clientType":"PRODUCTION","correlationID":"req-%d"}`, i)
		if l.Metadata != want {
			t.Errorf("metadata %s, want %s", l.Metadata, want)
		}
		p := l.Payload
		fields := map[int]string{
			0: "anonymous", 1: "anonymous", 2: "anonymous", 3: "anonymous",
			4: "/petstore/v1", 5: "PetStore", 6: "1.0.0", 7: fmt.Sprintf("/dog%d", i), 8: "/{name}", 9: "GET",
			11: "carbon.super", 12: "Unauthenticated", 13: "127.0.0.1", 14: "anonymous", 15: "anonymous",
			16: "127.0.0.1", 17: "analytics-test/1.0", 19: "false", 23: "false", 25: "http", 26: "200",
			27: be.URL + "/api", 28: "0", 29: "0", 34: "MICRO", 35: "test",
		}
		for idx, w := range fields {
			if p[idx] != w {
				t.Errorf("line %d field %d = %q, want %q", i, idx+1, p[idx], w)
			}
		}
		reqTS, respTime, svc, backend := atoi(t, p[18]), atoi(t, p[20]), atoi(t, p[21]), atoi(t, p[22])
		if reqTS > l.Timestamp || l.Timestamp-reqTS > 10_000 || respTime != svc+backend || respTime < 0 {
			t.Errorf("times: request %d, event %d, response %d = service %d + backend %d?", reqTS, l.Timestamp, respTime, svc, backend)
		}
		if size := atoi(t, p[24]); size < 50 {
			t.Errorf("response size %d for an echo answer", size)
		}
	}
}

// rejectSecured plays security for credentials that are never valid: a
// secured resource gets 401.
func rejectSecured(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		if info.API.Secured(info.Resource) {
			WriteFault(w, FaultFor(CodeMissingCredentials))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func atoi(t testing.TB, s string) int64 {
	t.Helper()
	var v int64
	if _, err := fmt.Sscan(s, &v); err != nil {
		t.Fatalf("%q is not a number", s)
	}
	return v
}

// authAs plays security for unsecured test resources: it fills
// RequestInfo.Auth as a JWT caller.
func authAs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		info.Auth = AuthContext{Authenticated: true, Scheme: "jwt", Username: "alice@example.com", ConsumerKey: "ck-1",
			ApplicationID: "12", ApplicationName: "shop", ApplicationOwner: "bob", SubscriptionTier: "Gold", APIPublisher: "carol"}
		info.KeyType = KeyTypeSandbox
		next.ServeHTTP(w, r)
	})
}

// throttleAs plays throttling: ?throttle=reject answers 429 as the
// throttling middleware does, ?throttle=pass lets the request through
// marked throttled out (stopOnQuotaReach false).
func throttleAs(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		switch r.URL.Query().Get("throttle") {
		case "reject":
			info.Throttled, info.ThrottleReason = true, "SUBSCRIPTION_LIMIT_EXCEEDED"
			WriteFault(w, FaultFor(CodeSubscriptionThrottled))
			return
		case "pass":
			info.Throttled, info.ThrottledOut, info.ThrottleReason = true, true, "SUBSCRIPTION_LIMIT_EXCEEDED"
		}
		next.ServeHTTP(w, r)
	})
}

func TestAnalyticsThrottleAndAuthenticatedEvents(t *testing.T) {
	be := echoBackend(t, "pets")
	spec := petstore(be.URL)
	spec.APIs[0].Sandbox = &Endpoint{Type: EndpointHTTP, URLs: []string{be.URL + "/sandbox"}}
	cfg := analyticsConfig(t)
	cfg.Analytics.Hostname = "dc-1"
	gw := start(t, spec, cfg, authAs, throttleAs)
	if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/cat?throttle=reject", nil, "X-Request-ID", "t-1"); resp.StatusCode != 429 {
		t.Fatalf("rejected request: %d", resp.StatusCode)
	}
	if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/cat?throttle=pass", nil, "X-Request-ID", "t-2"); resp.StatusCode != 200 {
		t.Fatalf("throttled-out request: %d", resp.StatusCode)
	}
	_ = gw.stop()
	streams := byStream(usageLines(t, cfg.Analytics.Dir))
	th, req := streams[usage.StreamThrottle], streams[usage.StreamRequest]
	if len(th) != 1 || len(req) != 1 || len(streams) != 2 {
		t.Fatalf("streams %v", streams)
	}
	wantThrottle := "alice@example.com|example.com|PetStore|1.0.0|/petstore/v1|carol|carbon.super|12|shop|bob|SUBSCRIPTION_LIMIT_EXCEEDED|MICRO|" +
		th[0].Payload[12] + "|dc-1"
	if got := strings.Join(th[0].Payload, "|"); got != wantThrottle {
		t.Errorf("throttle payload\n got %s\nwant %s", got, wantThrottle)
	}
	if th[0].Metadata != `{"clientType":"SANDBOX","correlationID":"t-1"}` {
		t.Errorf("throttle metadata %s", th[0].Metadata)
	}
	p := req[0].Payload
	got := strings.Join([]string{p[0], p[1], p[2], p[3], p[10], p[12], p[13], p[14], p[15], p[19], p[27]}, "|")
	if want := "ck-1|shop|12|bob|carol|Gold|dc-1|alice@example.com|example.com|true|" + be.URL + "/sandbox"; got != want {
		t.Errorf("request fields\n got %s\nwant %s", got, want)
	}
}

func TestAnalyticsFaultEvents(t *testing.T) {
	slow := backend(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	spec := petstore(deadURL(t))
	spec.APIs[0].Sandbox = &Endpoint{Type: EndpointHTTP, URLs: []string{slow.URL}, TimeoutMillis: 100}
	cfg := analyticsConfig(t)
	gw := start(t, spec, cfg, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("X-Sandbox") != "" {
				InfoFrom(r.Context()).KeyType = KeyTypeSandbox
			}
			next.ServeHTTP(w, r)
		})
	})
	if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/fish", nil, "X-Request-ID", "dead"); resp.StatusCode != 502 {
		t.Fatalf("dead backend: %d", resp.StatusCode)
	}
	if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/fish", nil, "X-Request-ID", "slow", "X-Sandbox", "1"); resp.StatusCode != 504 {
		t.Fatalf("slow backend: %d", resp.StatusCode)
	}
	_ = gw.stop()
	lines := usageLines(t, cfg.Analytics.Dir)
	if len(lines) != 2 {
		t.Fatalf("%d lines: %+v", len(lines), lines)
	}
	for i, want := range []struct{ id, code, msg string }{
		{"dead", "101503", "Error connecting to the back end"},
		{"slow", "101504", "Connection timed out"},
	} {
		l := lines[i]
		if l.StreamID != usage.StreamFault || !strings.Contains(l.Metadata, `"correlationID":"`+want.id+`"`) {
			t.Fatalf("line %d: %s %s", i, l.StreamID, l.Metadata)
		}
		p := l.Payload
		got := strings.Join([]string{p[0], p[1], p[2], p[3], p[4], p[5], p[7], p[13], p[14], p[15]}, "|")
		if w := "anonymous|PetStore|1.0.0|/petstore/v1|/fish|GET|anonymous|http|" + want.code + "|" + want.msg; got != w {
			t.Errorf("fault %s\n got %s\nwant %s", want.id, got, w)
		}
	}
}

func TestAnalyticsMetricsAndDrops(t *testing.T) {
	be := echoBackend(t, "pets")
	cfg := analyticsConfig(t)
	cfg.Analytics.QueueSize = 1
	// The folder cannot be created (its parent is a file): the writer
	// never starts, so the one-event queue fills and the rest is dropped
	// without delaying requests.
	cfg.Analytics.Dir = filepath.Join(writeFile(t, "not-a-dir", ""), "usage")
	gw := start(t, petstore(be.URL), cfg)
	for range 5 {
		if resp, _ := do(t, client(), "GET", gw.http+"/petstore/v1/dog", nil); resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
	}
	_, body := do(t, client(), "GET", gw.http+"/metrics", nil)
	for _, want := range []string{
		`mgw_analytics_events_total{stream="request"} 1`,
		"mgw_analytics_events_dropped_total 4",
		"mgw_analytics_queue_length 1",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if !strings.Contains(gw.logs.String(), "analytics: cannot start") {
		t.Errorf("no error logged: %s", gw.logs.String())
	}
}

func TestAnalyticsConfigProblems(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	cases := []struct {
		env  []string
		want string
	}{
		{[]string{"MGW_ANALYTICS_ENABLED=true"}, "MGW_ANALYTICS_PASSWORD"},
		{[]string{"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_PASSWORD=pw-secret", "MGW_ANALYTICS_UPLOAD_URL=ftp://x"}, "must start with http:// or https://"},
		{[]string{"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_UPLOAD=false", "MGW_ANALYTICS_ROTATE_PERIOD=10ms"}, "too short"},
		{[]string{"MGW_ANALYTICS_QUEUE_SIZE=0"}, "analytics.queue_size"},
		{[]string{"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_UPLOAD=false", "MGW_ANALYTICS_DIR="}, "has no folder"},
	}
	for _, tc := range cases {
		_, err := LoadConfig(spec, "", tc.env)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "pw-secret") {
			t.Errorf("%v: %v, want %q", tc.env, err, tc.want)
		}
	}
	cfg, err := LoadConfig(spec, "", []string{"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_UPLOAD=false", "MGW_ANALYTICS_ROTATE_SIZE=1MiB", "MGW_ANALYTICS_MAX_DISK_BYTES=0"})
	if err != nil || !cfg.Analytics.Enabled || cfg.Analytics.RotateSize != 1<<20 || cfg.Analytics.MaxDiskBytes != 0 {
		t.Errorf("valid analytics settings: %+v %v", cfg.Analytics, err)
	}
}

// TestAnalyticsLatencyBreakdown: the time authentication took (here a
// slow key manager) is reported as security latency, and the breakdown
// adds up to the response time.
func TestAnalyticsLatencyBreakdown(t *testing.T) {
	prod, sand := echoBackend(t, "prod"), echoBackend(t, "sand")
	km := newFakeKM(t)
	km.delay = 80 * time.Millisecond
	cfg := kmConfig(km.url)
	cfg.Analytics.Enabled, cfg.Analytics.Dir, cfg.Analytics.Upload = true, t.TempDir(), false
	gw := start(t, pizzaSpec(prod.URL, sand.URL), cfg)
	if resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer good-token"); resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	_ = gw.stop()
	req := byStream(usageLines(t, cfg.Analytics.Dir))[usage.StreamRequest]
	if len(req) != 1 {
		t.Fatalf("%d request events", len(req))
	}
	ms := func(i int) int64 {
		v, err := strconv.ParseInt(req[0].Payload[i], 10, 64)
		if err != nil {
			t.Fatalf("field %d %q: %v", i, req[0].Payload[i], err)
		}
		return v
	}
	response, service, backendTime := ms(20), ms(21), ms(22)
	security, throttling, reqMed, respMed, backend, other := ms(28), ms(29), ms(30), ms(31), ms(32), ms(33)
	if security < 80 {
		t.Errorf("security latency %d ms with an 80 ms key manager", security)
	}
	if response != service+backendTime || backend != backendTime {
		t.Errorf("response %d, service %d, backend %d/%d: do not add up", response, service, backendTime, backend)
	}
	if sum := security + throttling + reqMed + respMed + backend + other; sum != response || other < 0 {
		t.Errorf("breakdown %d+%d+%d+%d+%d+%d = %d; want the response time %d", security, throttling, reqMed, respMed, backend, other, sum, response)
	}
}
