package gateway

import (
	"log/slog"
	"net/http"
	"time"
)

// finish records metrics and writes the access log line.
func (g *Gateway) finish(ex *exchange, r *http.Request) {
	total := time.Since(ex.info.Start)
	g.metrics.inFlight.Add(-1)
	status := ex.rec.status
	if ex.status != 0 {
		status = ex.status
	}
	if status == 0 {
		status = http.StatusOK
	}
	var rs *routeStats
	switch {
	case ex.route != nil:
		rs = ex.route.statsFor()
	case ex.api != nil:
		rs = ex.api.stats.unmatchedFor(r.Method)
	default:
		rs = g.metrics.noAPI.unmatchedFor(r.Method)
	}
	g.metrics.record(rs, status, total, ex.backend)
	if !g.cfg.Log.Access || !g.log.Enabled(r.Context(), slog.LevelInfo) {
		return
	}
	api, version, resource := "", "", ""
	if ex.api != nil {
		api, version = ex.api.api.Name, ex.api.api.Version
	}
	if ex.route != nil {
		resource = ex.route.res.Path
	}
	attrs := []slog.Attr{
		slog.String("request_id", ex.info.ID),
		slog.String("client", ex.info.ClientIP.String()),
		slog.String("method", r.Method),
		slog.String("path", ex.info.Path),
		slog.String("api", api),
		slog.String("version", version),
		slog.String("resource", resource),
		slog.Int("status", status),
		slog.Int64("bytes_in", ex.body.n.Load()),
		slog.Int64("bytes_out", ex.rec.bytes),
		slog.Float64("duration_ms", float64(total.Microseconds())/1000),
		slog.Float64("backend_ms", float64(ex.backend.Microseconds())/1000),
	}
	if ex.upstream != "" {
		attrs = append(attrs, slog.String("backend", ex.upstream))
	}
	if ex.errKind != "" {
		attrs = append(attrs, slog.String("error", ex.errKind))
	}
	if ex.aborted {
		attrs = append(attrs, slog.Bool("aborted", true))
	}
	g.log.LogAttrs(r.Context(), slog.LevelInfo, "access", attrs...)
}
