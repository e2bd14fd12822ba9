//go:build !mgw_otel

package gateway

import (
	"context"
	"net/http"
)

// tracing is never set in a gateway built without TracingBuildTag; the
// methods exist so the request path compiles the same either way.
type tracing struct{}

// newTracing warns when tracing is asked for at deploy time but was not
// compiled in, and leaves it off: an OTEL_* variable set for every
// workload of a cluster must not stop a gateway.
func (g *Gateway) newTracing() error {
	if g.cfg.Tracing.on() {
		g.log.Warn("tracing is configured but this gateway was built without it; rebuild the label with mgw build --tracing to export traces",
			"endpoint", g.cfg.Tracing.Endpoint)
	}
	return nil
}

func (t *tracing) serverSpans(next http.Handler) http.Handler { return next }

func (t *tracing) stage(string) func(Middleware, error) (Middleware, error) {
	return func(mw Middleware, err error) (Middleware, error) { return mw, err }
}

func (t *tracing) backendSpan(context.Context, *http.Request, *exchange) func(*http.Response, error) {
	return func(*http.Response, error) {}
}
