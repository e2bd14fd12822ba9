package gateway

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestMetricsExposition(t *testing.T) {
	be := echoBackend(t, "prod")
	spec := petstore(be.URL)
	spec.APIs[0].Name = `Pets "v\1"` + "\n"
	spec.APIs = append(spec.APIs, API{Name: "Dead", Version: "1", BasePath: "/dead",
		Production: &Endpoint{URLs: []string{deadURL(t)}}, Resources: []Resource{{Path: "/x", Method: "GET"}}})
	gw := start(t, spec, testConfig())
	c := client()
	for range 2 {
		do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil)
	}
	do(t, c, "GET", gw.http+"/petstore/v1/no/such/thing", nil)
	do(t, c, "PATCH", gw.http+"/petstore/v1/pet/1", nil)
	do(t, c, "BREW", gw.http+"/nowhere", nil)
	do(t, c, "GET", gw.http+"/dead/x", nil)

	resp, body := do(t, c, "GET", gw.http+"/metrics", nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" {
		t.Fatalf("GET /metrics: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	lbl := `api="Pets \"v\\1\"\n",version="1.0.0",resource="/pet/{petId}",method="GET"`
	for _, want := range []string{
		"# HELP mgw_requests_total Requests served, by API, resource, method and status.\n# TYPE mgw_requests_total counter\n",
		"mgw_requests_total{" + lbl + `,status="200"} 2` + "\n",
		`mgw_requests_total{api="Pets \"v\\1\"\n",version="1.0.0",resource="",method="GET",status="404"} 1` + "\n",
		`mgw_requests_total{api="Pets \"v\\1\"\n",version="1.0.0",resource="",method="PATCH",status="405"} 1` + "\n",
		`mgw_requests_total{api="",version="",resource="",method="OTHER",status="404"} 1` + "\n",
		`mgw_requests_total{api="Dead",version="1",resource="/x",method="GET",status="502"} 1` + "\n",
		"# TYPE mgw_request_duration_seconds histogram\n",
		"mgw_request_duration_seconds_bucket{" + lbl + `,le="+Inf"} 2` + "\n",
		"mgw_request_duration_seconds_count{" + lbl + "} 2\n",
		"mgw_backend_duration_seconds_count{" + lbl + "} 2\n",
		"# TYPE mgw_backend_errors_total counter\n",
		`mgw_backend_errors_total{api="Dead",version="1",kind="connect"} 1` + "\n",
		"# TYPE mgw_requests_in_flight gauge\nmgw_requests_in_flight 0\n",
		`mgw_build_info{label="test",mgw_version="v0.0.0-test",go_version="go`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("exposition lacks %q", want)
		}
	}
	checkExposition(t, body)
}

var (
	sampleRE = regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (\S+)$`)
	leRE     = regexp.MustCompile(`,le="([^"]+)"\}`)
)

// checkExposition verifies the text format: each family's HELP and TYPE
// come before its samples, sample lines parse, and each histogram's
// buckets are cumulative, end in +Inf and agree with _count.
func checkExposition(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\n") {
		t.Error("exposition does not end in a newline")
	}
	types := map[string]string{}
	var lastHelp string
	buckets := map[string][]float64{}
	counts := map[string]float64{}
	for _, line := range strings.Split(strings.TrimSuffix(body, "\n"), "\n") {
		if rest, ok := strings.CutPrefix(line, "# HELP "); ok {
			lastHelp = strings.Fields(rest)[0]
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			f := strings.Fields(rest)
			if f[0] != lastHelp {
				t.Errorf("TYPE %s not right after its HELP", f[0])
			}
			types[f[0]] = f[1]
			continue
		}
		m := sampleRE.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("malformed sample line %q", line)
			continue
		}
		name, value := m[1], m[4]
		family := name
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if f, ok := strings.CutSuffix(name, suf); ok && types[f] == "histogram" {
				family = f
			}
		}
		if _, ok := types[family]; !ok {
			t.Errorf("sample %s before its TYPE line", name)
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil && value != "+Inf" {
			t.Errorf("bad value in %q", line)
		}
		if strings.HasSuffix(name, "_bucket") {
			key := name + leRE.ReplaceAllString(m[2], "}")
			buckets[key] = append(buckets[key], v)
			if le := leRE.FindStringSubmatch(line); le == nil {
				t.Errorf("bucket without le: %q", line)
			}
		}
		if f, ok := strings.CutSuffix(name, "_count"); ok && types[f] == "histogram" {
			counts[f+"_bucket"+m[2]] = v
		}
	}
	if len(buckets) == 0 {
		t.Fatal("no histogram buckets")
	}
	for key, bs := range buckets {
		if len(bs) != len(latencyBuckets)+1 {
			t.Errorf("%s: %d buckets, want %d", key, len(bs), len(latencyBuckets)+1)
		}
		for i := 1; i < len(bs); i++ {
			if bs[i] < bs[i-1] {
				t.Errorf("%s: buckets not cumulative: %v", key, bs)
			}
		}
		if c, ok := counts[key]; !ok || c != bs[len(bs)-1] {
			t.Errorf("%s: _count %v differs from the +Inf bucket %v", key, c, bs[len(bs)-1])
		}
	}
}

func TestHealthEndpoints(t *testing.T) {
	gw := start(t, petstore(deadURL(t)), testConfig())
	c := client()
	resp, body := do(t, c, "GET", gw.http+"/health", nil)
	if resp.StatusCode != 200 || body != `{"status":"healthy"}` || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("/health: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, c, "GET", gw.http+"/health/ready", nil)
	if resp.StatusCode != 200 || body != `{"status":"ready"}` {
		t.Errorf("/health/ready: %d %s", resp.StatusCode, body)
	}
	gw.g.SetReady(false)
	resp, body = do(t, c, "GET", gw.http+"/health/ready", nil)
	if resp.StatusCode != 503 || body != `{"status":"unavailable"}` {
		t.Errorf("/health/ready when not ready: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, c, "GET", gw.http+"/health", nil)
	if resp.StatusCode != 200 {
		t.Errorf("/health when not ready: %d %s", resp.StatusCode, body)
	}
}

func TestMetricsDisabled(t *testing.T) {
	cfg := testConfig()
	cfg.Metrics.Enabled = false
	gw := start(t, petstore(deadURL(t)), cfg)
	if resp, body := do(t, client(), "GET", gw.http+"/metrics", nil); resp.StatusCode != 404 || body != notFoundFault {
		t.Errorf("/metrics disabled: %d %s", resp.StatusCode, body)
	}
}

func TestAccessLog(t *testing.T) {
	be := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.Log.Access = true
	spec := petstore(be.URL)
	spec.APIs[0].Production.URLs[0] += "?backend-key=backend-secret"
	gw := start(t, spec, cfg)
	do(t, client(), "POST", gw.http+"/petstore/v1/pet?token=secret-query", strings.NewReader("12345"), "X-Request-ID", "rid-1")
	var entry map[string]any
	for _, line := range strings.Split(gw.logs.String(), "\n") {
		if strings.Contains(line, `"msg":"access"`) {
			if err := json.Unmarshal([]byte(line), &entry); err != nil {
				t.Fatal(err)
			}
		}
	}
	if entry == nil {
		t.Fatalf("no access line in %s", gw.logs.String())
	}
	want := map[string]any{
		"request_id": "rid-1", "client": "127.0.0.1", "method": "POST", "path": "/petstore/v1/pet",
		"api": "PetStore", "version": "1.0.0", "resource": "/pet", "status": float64(200), "bytes_in": float64(5),
		"backend": be.URL + "/api",
	}
	for k, v := range want {
		if entry[k] != v {
			t.Errorf("access log %s = %v, want %v", k, entry[k], v)
		}
	}
	if n, _ := entry["bytes_out"].(float64); n < 50 {
		t.Errorf("bytes_out = %v", entry["bytes_out"])
	}
	for _, k := range []string{"duration_ms", "backend_ms"} {
		if d, _ := entry[k].(float64); d <= 0 {
			t.Errorf("%s = %v", k, entry[k])
		}
	}
	if strings.Contains(gw.logs.String(), "secret-query") || strings.Contains(gw.logs.String(), "backend-secret") {
		t.Error("a query string was logged")
	}
}
