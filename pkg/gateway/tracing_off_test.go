//go:build !mgw_otel

package gateway

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestTracingNotCompiledIn: a gateway built without TracingBuildTag that
// is told to trace starts anyway, without a tracer, and says in its log
// how to get traces.
func TestTracingNotCompiledIn(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	cfg, err := LoadConfig(spec, "", []string{"OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318"})
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	g, err := New(spec, cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatalf("a gateway without tracing refused a tracing setting: %v", err)
	}
	if g.tracing != nil {
		t.Error("a tracer without the tracing build")
	}
	if !strings.Contains(logs.String(), "mgw build --tracing") {
		t.Errorf("no warning naming mgw build --tracing:\n%s", logs.String())
	}
	logs.Reset()
	if _, err := New(spec, testConfig(), slog.New(slog.NewTextHandler(&logs, nil))); err != nil || strings.Contains(logs.String(), "tracing") {
		t.Errorf("tracing off: err %v, log %q", err, logs.String())
	}
}
