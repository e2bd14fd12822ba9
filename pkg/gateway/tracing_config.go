package gateway

import (
	"net/url"
	"strings"
)

// TracingBuildTag is the build tag that compiles OpenTelemetry tracing
// into a gateway (mgw build --tracing). Without it the SDK and the OTLP
// exporter, about 13 MB of code, stay out of the binary.
const TracingBuildTag = "mgw_otel"

// TracingConfig turns on OpenTelemetry traces, exported over OTLP/HTTP.
type TracingConfig struct {
	// Endpoint is the OTLP/HTTP base URL, e.g. http://collector:4318
	// (MGW_OTEL_EXPORTER_OTLP_ENDPOINT); spans go to <endpoint>/v1/traces.
	// Empty leaves tracing off unless OTEL_EXPORTER_OTLP_ENDPOINT or
	// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
	Endpoint string `yaml:"endpoint"`
	// otelEnv notes that a standard OTEL_EXPORTER_OTLP_* endpoint variable
	// turned tracing on; disabled that OTEL_SDK_DISABLED=true turned it off.
	otelEnv  bool
	disabled bool
}

// on reports whether the gateway traces.
func (t TracingConfig) on() bool { return !t.disabled && (t.Endpoint != "" || t.otelEnv) }

// readOTELEnv notes the standard variables that switch tracing on or off.
func (t *TracingConfig) readOTELEnv(env []string) {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":
			t.otelEnv = t.otelEnv || v != ""
		case "OTEL_SDK_DISABLED":
			t.disabled = strings.EqualFold(strings.TrimSpace(v), "true")
		}
	}
}

// validate checks the endpoint.
func (t TracingConfig) validate() []string {
	if t.Endpoint == "" {
		return nil
	}
	u, err := url.Parse(t.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return []string{"is not an http(s) base URL such as http://collector:4318 (credentials go in OTEL_EXPORTER_OTLP_HEADERS)"}
	}
	return nil
}
