//go:build mgw_otel

package gateway

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
)

// tracing is the gateway's tracer; nil when tracing is off, so the request
// path tests one pointer.
type tracing struct {
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// newTracing sets up the SDK: the OTLP/HTTP exporter (which reads the
// standard OTEL_EXPORTER_OTLP_* variables: headers, timeout, compression,
// certificates), a batch span processor, the sampler of OTEL_TRACES_SAMPLER
// (parent-based always-on by default), and a resource named by
// OTEL_SERVICE_NAME (default mgw-<label>) with OTEL_RESOURCE_ATTRIBUTES.
func (g *Gateway) newTracing() error {
	cfg := g.cfg.Tracing
	if !cfg.on() {
		return nil
	}
	var opts []otlptracehttp.Option
	if cfg.Endpoint != "" {
		opts = append(opts, otlptracehttp.WithEndpointURL(strings.TrimSuffix(cfg.Endpoint, "/")+"/v1/traces"))
	}
	exp, err := otlptracehttp.New(context.Background(), opts...)
	if err != nil {
		return fmt.Errorf("tracing: %w", err)
	}
	name := "mgw"
	if g.spec.Label != "" {
		name = "mgw-" + g.spec.Label
	}
	res, err := resource.New(context.Background(),
		resource.WithAttributes(semconv.ServiceName(name), semconv.ServiceVersion(g.spec.MgwVersion)),
		resource.WithFromEnv(), resource.WithTelemetrySDK())
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return fmt.Errorf("tracing: OTEL_RESOURCE_ATTRIBUTES: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	g.OnShutdown(tp.Shutdown)
	g.tracing = &tracing{
		tracer: tp.Tracer("github.com/mgwio/mgw/pkg/gateway"),
		prop:   propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
	}
	return nil
}

// serverSpans is the outermost middleware when tracing: a server span per
// routed request, continuing the client's trace context.
func (t *tracing) serverSpans(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := exchangeFrom(r.Context())
		route := ex.info.API.BasePath + ex.info.Resource.Path
		ctx := t.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := t.tracer.Start(ctx, r.Method+" "+route, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(
				semconv.HTTPRequestMethodKey.String(r.Method),
				semconv.HTTPRoute(route),
				semconv.URLPath(ex.info.Path),
				attribute.String("mgw.api", ex.info.API.Name),
				attribute.String("mgw.api.version", ex.info.API.Version),
				attribute.String("mgw.request_id", ex.info.ID),
			))
		defer func() {
			status := ex.rec.status
			if ex.status != 0 {
				status = ex.status
			}
			span.SetAttributes(semconv.HTTPResponseStatusCode(status))
			if status >= 500 {
				span.SetStatus(codes.Error, http.StatusText(status))
			}
			if a := ex.info.Auth; a.Authenticated {
				span.SetAttributes(attribute.String("mgw.auth.scheme", a.Scheme), attribute.String("mgw.application.id", a.ApplicationID))
			}
			span.End()
		}()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// spanParent carries the context a stage span was started from, so the
// next stage's span becomes its sibling, not its child.
type spanParent struct{}

// stage returns a wrapper for a built-in middleware constructor's result:
// a span named name that covers the middleware's own work and ends when it
// hands the request on (or answers it). Without tracing it changes nothing.
func (t *tracing) stage(name string) func(Middleware, error) (Middleware, error) {
	return func(mw Middleware, err error) (Middleware, error) {
		if t == nil || mw == nil || err != nil {
			return mw, err
		}
		return t.stageSpan(name, mw), nil
	}
}

// stageSpan is stage's wrapper.
func (t *tracing) stageSpan(name string, mw Middleware) Middleware {
	return func(next http.Handler) http.Handler {
		handOn := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			trace.SpanFromContext(r.Context()).End()
			if parent, ok := r.Context().Value(spanParent{}).(context.Context); ok {
				r = r.WithContext(parent)
			}
			next.ServeHTTP(w, r)
		})
		inner := mw(handOn)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			parent := r.Context()
			ctx, span := t.tracer.Start(parent, name, trace.WithSpanKind(trace.SpanKindInternal))
			inner.ServeHTTP(w, r.WithContext(context.WithValue(ctx, spanParent{}, parent)))
			if span.IsRecording() { // answered here (401, 429 ...): end it now
				if ex := exchangeFrom(parent); ex != nil && ex.rec.status >= 400 {
					span.SetAttributes(semconv.HTTPResponseStatusCode(ex.rec.status))
					span.SetStatus(codes.Error, http.StatusText(ex.rec.status))
				}
				span.End()
			}
		})
	}
}

// backendSpan starts the client span of a backend call, puts its trace
// context into the outbound headers (traceparent, tracestate, baggage)
// and returns what ends it with the call's outcome.
func (t *tracing) backendSpan(ctx context.Context, out *http.Request, ex *exchange) func(*http.Response, error) {
	_, span := t.tracer.Start(ctx, "backend "+out.Method, trace.WithSpanKind(trace.SpanKindClient),
		trace.WithAttributes(semconv.HTTPRequestMethodKey.String(out.Method)))
	t.prop.Inject(trace.ContextWithSpan(ctx, span), propagation.HeaderCarrier(out.Header))
	return func(resp *http.Response, err error) { endBackendSpan(span, ex, resp, err) }
}

// endBackendSpan records the outcome of the backend call.
func endBackendSpan(span trace.Span, ex *exchange, resp *http.Response, err error) {
	span.SetAttributes(attribute.String("server.address", ex.upstream))
	switch {
	case err != nil:
		span.SetAttributes(attribute.String("error.type", ex.errKind))
		span.SetStatus(codes.Error, ex.errKind)
	case resp != nil:
		span.SetAttributes(semconv.HTTPResponseStatusCode(resp.StatusCode))
		if resp.StatusCode >= 500 {
			span.SetStatus(codes.Error, http.StatusText(resp.StatusCode))
		}
	}
	span.End()
}
