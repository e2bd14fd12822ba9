//go:build mgw_otel

package gateway

import (
	"bytes"
	"compress/gzip"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	commonpb "go.opentelemetry.io/proto/otlp/common/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// otlpReceiver is an OTLP/HTTP trace receiver on 127.0.0.1 that decodes
// the protobuf export requests.
type otlpReceiver struct {
	url     string
	mu      sync.Mutex
	spans   []*tracepb.Span
	service []string
}

func newOTLPReceiver(t *testing.T) *otlpReceiver {
	rcv := &otlpReceiver{}
	s := backend(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			t.Errorf("export to %s as %s", r.URL.Path, r.Header.Get("Content-Type"))
			w.WriteHeader(400)
			return
		}
		var body io.Reader = r.Body
		if r.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(r.Body)
			if err != nil {
				t.Error(err)
				return
			}
			body = zr
		}
		data, _ := io.ReadAll(body)
		var req coltrace.ExportTraceServiceRequest
		if err := proto.Unmarshal(data, &req); err != nil {
			t.Errorf("export request: %v", err)
			w.WriteHeader(400)
			return
		}
		rcv.mu.Lock()
		for _, rs := range req.ResourceSpans {
			for _, a := range rs.GetResource().GetAttributes() {
				if a.Key == "service.name" {
					rcv.service = append(rcv.service, a.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.ScopeSpans {
				rcv.spans = append(rcv.spans, ss.Spans...)
			}
		}
		rcv.mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
		b, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
		w.Write(b)
	})
	rcv.url = s.URL
	return rcv
}

// inTrace returns the spans of one trace by name.
func (r *otlpReceiver) inTrace(traceID string) map[string]*tracepb.Span {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]*tracepb.Span{}
	for _, s := range r.spans {
		if hex.EncodeToString(s.TraceId) == traceID {
			out[s.Name] = s
		}
	}
	return out
}

func TestTracingExportsLinkedSpans(t *testing.T) {
	rcv := newOTLPReceiver(t)
	be := echoBackend(t, "be")
	key := rsaTestKey(t)
	spec := pizzaSpec(be.URL, be.URL)
	spec.APIs[0].ThrottlingTier = "Plenty"
	spec.Policies = Policies{
		Advanced:     []Policy{countPolicy("Plenty", 1000, 1, "min")},
		Subscription: []Policy{countPolicy("Silver", 1000, 1, "min")},
		Application:  []Policy{countPolicy("Gold", 1000, 1, "min")},
	}
	cfg := secured(writePublicKey(t, key.Public()))
	cfg.Tracing.Endpoint = rcv.url
	gw := start(t, spec, cfg)

	// The client's trace context is continued.
	const clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil,
		"Authorization", "Bearer "+signJWT(t, "RS256", key, nil, apimClaims(nil)),
		"Traceparent", "00-"+clientTrace+"-00f067aa0ba902b7-01")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var e echo
	if err := json.Unmarshal([]byte(body), &e); err != nil {
		t.Fatal(err)
	}
	backendTP := e.Header.Get("Traceparent")
	// A refused request still has its server and auth spans.
	resp, _ = do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil)
	if resp.StatusCode != 401 {
		t.Fatalf("no token: status %d", resp.StatusCode)
	}
	if err := gw.stop(); err != nil { // shutdown flushes the batch
		t.Fatal(err)
	}

	spans := rcv.inTrace(clientTrace)
	server, auth, throttle, back := spans["GET /pizzashack/1.0.0/menu"], spans["auth"], spans["throttling"], spans["backend GET"]
	if server == nil || auth == nil || throttle == nil || back == nil {
		t.Fatalf("spans %v", keysOf(spans))
	}
	id := func(b []byte) string { return hex.EncodeToString(b) }
	for _, s := range []*tracepb.Span{server, auth, throttle, back} {
		if id(s.TraceId) != clientTrace {
			t.Errorf("span %s in trace %s, want the client's %s", s.Name, id(s.TraceId), clientTrace)
		}
		if s.EndTimeUnixNano < s.StartTimeUnixNano || s.StartTimeUnixNano == 0 {
			t.Errorf("span %s has bad times", s.Name)
		}
	}
	if id(server.ParentSpanId) != "00f067aa0ba902b7" || server.Kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("server span parent %s kind %v", id(server.ParentSpanId), server.Kind)
	}
	for _, s := range []*tracepb.Span{auth, throttle, back} {
		if !bytes.Equal(s.ParentSpanId, server.SpanId) {
			t.Errorf("span %s has parent %s, want the server span %s", s.Name, id(s.ParentSpanId), id(server.SpanId))
		}
	}
	if back.Kind != tracepb.Span_SPAN_KIND_CLIENT {
		t.Errorf("backend span kind %v", back.Kind)
	}
	// The backend saw the backend span as its parent, in the same trace.
	if want := "00-" + clientTrace + "-" + id(back.SpanId) + "-01"; backendTP != want {
		t.Errorf("backend saw traceparent %q, want %q", backendTP, want)
	}
	if !(auth.EndTimeUnixNano <= throttle.StartTimeUnixNano && throttle.EndTimeUnixNano <= back.StartTimeUnixNano) {
		t.Error("auth, throttling and the backend call did not follow each other")
	}
	if attr(server, "http.response.status_code") != "200" || attr(back, "http.response.status_code") != "200" {
		t.Errorf("status attributes: server %s, backend %s", attr(server, "http.response.status_code"), attr(back, "http.response.status_code"))
	}
	// The refused request: a trace of its own, auth marked as an error.
	rcv.mu.Lock()
	var refused int
	for _, s := range rcv.spans {
		if s.Name == "auth" && s.Status.GetCode() == tracepb.Status_STATUS_CODE_ERROR && attr(s, "http.response.status_code") == "401" {
			refused++
		}
	}
	svc := rcv.service
	rcv.mu.Unlock()
	if refused != 1 {
		t.Errorf("%d refused auth spans, want 1", refused)
	}
	if len(svc) == 0 || svc[0] != "mgw-test" {
		t.Errorf("service.name %v", svc)
	}
}

func attr(s *tracepb.Span, key string) string {
	for _, a := range s.Attributes {
		if a.Key == key {
			if _, ok := a.Value.Value.(*commonpb.AnyValue_IntValue); ok {
				return strconv.FormatInt(a.Value.GetIntValue(), 10)
			}
			return a.Value.GetStringValue()
		}
	}
	return ""
}

func keysOf(m map[string]*tracepb.Span) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestTracingConfig(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	cfg, err := LoadConfig(spec, "", []string{"MGW_OTEL_EXPORTER_OTLP_ENDPOINT=ftp://x"})
	if err == nil || !strings.Contains(err.Error(), "MGW_OTEL_EXPORTER_OTLP_ENDPOINT (tracing.endpoint): is not an http(s) base URL") {
		t.Errorf("err = %v", err)
	}
	for _, tc := range []struct {
		env []string
		on  bool
	}{
		{nil, false},
		{[]string{"MGW_OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318"}, true},
		{[]string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318"}, true},
		{[]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://127.0.0.1:4318/v1/traces"}, true},
		{[]string{"MGW_OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318", "OTEL_SDK_DISABLED=true"}, false},
	} {
		cfg, err = LoadConfig(spec, "", tc.env)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Tracing.on() != tc.on {
			t.Errorf("%v: on = %v", tc.env, cfg.Tracing.on())
		}
		g, err := New(spec, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if (g.tracing != nil) != tc.on {
			t.Errorf("%v: tracer %v", tc.env, g.tracing)
		}
	}
}

// BenchmarkProxyTracing compares the request path with tracing off (the
// default: compare with BenchmarkProxy/middleware=false, which it equals)
// and on, exporting to a local receiver.
func BenchmarkProxyTracing(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) })
	sink := backend(b, func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "tracing=off", true: "tracing=on"}[on], func(b *testing.B) {
			cfg := testConfig()
			if on {
				cfg.Tracing.Endpoint = sink.URL
			}
			g, err := New(petstore(be.URL), cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			benchServe(b, g.Handler(), "http://gw/petstore/v1/pet/42", nil)
		})
	}
}
