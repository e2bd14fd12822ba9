package gateway

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/prom"
	"github.com/mgwio/mgw/pkg/gateway/internal/usage"
)

// The original's values for unauthenticated calls (constants.bal).
const (
	usageAnonymous           = "anonymous"
	usageUnauthenticatedTier = "Unauthenticated"
	usageSuperTenant         = "carbon.super"
)

// analytics records a usage event per routed request (request, fault or
// throttle stream) and keeps the usage files rotated and uploaded.
type analytics struct {
	cfg      AnalyticsConfig
	label    string
	log      *slog.Logger
	rec      *usage.Recorder
	up       *usage.Uploader  // nil when uploads are off
	accepted [3]atomic.Uint64 // by usage.Kind - 1
	// hosts and agents keep the last Host and User-Agent (see record).
	hosts, agents lastString
}

// lastString hands out a copy of the last string it was given, made once
// while the value repeats: values that come from a request alias its whole
// header block (a JWT included), and a queued event must not keep that
// alive. With 10,000 events queued behind a slow writer, aliasing cost
// ~20 MiB of peak RSS in the secured load benchmark.
type lastString struct{ p atomic.Pointer[string] }

func (l *lastString) of(s string) string {
	if p := l.p.Load(); p != nil && *p == s {
		return *p
	}
	s = strings.Clone(s)
	l.p.Store(&s)
	return s
}

// newAnalytics builds the analytics middleware when analytics.enabled is
// set: its queue and writer, the uploader and their lifecycle tasks.
func (g *Gateway) newAnalytics() (Middleware, error) {
	c := g.cfg.Analytics
	if !c.Enabled {
		return nil, nil
	}
	rec, err := usage.NewRecorder(usage.Options{
		Dir:          c.Dir,
		RotatePeriod: c.RotatePeriod,
		RotateSize:   int64(c.RotateSize),
		QueueSize:    c.QueueSize,
		MaxDiskBytes: int64(c.MaxDiskBytes),
		Log:          g.log,
	})
	if err != nil {
		return nil, fmt.Errorf("analytics: %w", err)
	}
	a := &analytics{cfg: c, label: g.spec.Label, log: g.log, rec: rec}
	if c.Upload {
		client, err := analyticsClient(c)
		if err != nil {
			return nil, err
		}
		a.up = &usage.Uploader{URL: c.UploadURL, Username: c.Username, Password: c.Password.Reveal(), Client: client, Log: g.log}
	}
	g.OnServe(a.serve)
	g.OnShutdown(a.shutdown)
	g.metrics.extra = append(g.metrics.extra, a.writeMetrics)
	return a.middleware, nil
}

// serve starts the writer (rotating a file left by an earlier run) and
// uploads every upload_period, the first time soon after the start so
// files left by an earlier run go out.
func (a *analytics) serve(ctx context.Context) {
	if err := a.rec.Start(); err != nil {
		a.log.Error("analytics: cannot start; usage events are dropped", "error", err)
		return
	}
	if a.up != nil {
		a.up.Run(ctx, a.cfg.Dir, min(5*time.Second, a.cfg.UploadPeriod), a.cfg.UploadPeriod)
	}
}

// shutdown writes what is queued, rotates the file and tries one upload
// within what is left of the grace period; what is not uploaded stays on
// disk for the next start.
func (a *analytics) shutdown(ctx context.Context) error {
	if err := a.rec.Close(ctx); err != nil {
		return fmt.Errorf("analytics: %w", err)
	}
	if a.up == nil {
		return nil
	}
	n, err := a.up.UploadDir(ctx, a.cfg.Dir)
	if err != nil {
		return fmt.Errorf("analytics: %d usage files uploaded at shutdown, the rest are kept for the next start: %w", n, err)
	}
	return nil
}

// middleware records the outcome of each request after it was served.
func (a *analytics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ex := exchangeFrom(r.Context())
		if ex == nil {
			next.ServeHTTP(w, r)
			return
		}
		// Deferred so requests the proxy aborts (a backend that broke off
		// mid-body) are recorded too.
		defer a.record(ex, r)
		next.ServeHTTP(w, r)
	})
}

// record turns the exchange into a usage event and queues it.
func (a *analytics) record(ex *exchange, r *http.Request) {
	info := &ex.info
	status := ex.rec.status
	if ex.status != 0 {
		status = ex.status
	}
	if status == 0 {
		status = http.StatusOK
	}
	kind := usage.KindRequest
	errCode := 0
	switch {
	case info.Throttled && !info.ThrottledOut:
		kind = usage.KindThrottle
	case authFailed(info, status):
		return // as the original: failed authentication is not recorded
	case ex.errKind != "" && status == http.StatusGatewayTimeout:
		kind, errCode = usage.KindFault, CodeBackendTimeout
	case ex.errKind != "" && status == http.StatusBadGateway:
		kind, errCode = usage.KindFault, CodeBackendUnreachable
	}
	now := time.Now()
	e := a.rec.Event()
	e.Kind, e.Time = kind, now
	// The id may be the client's X-Request-Id, the path a slice of the
	// request line: copies, so the event holds no part of the request.
	e.ClientType, e.CorrelationID = info.KeyType, strings.Clone(info.ID)
	if au := &info.Auth; au.Authenticated {
		e.ConsumerKey, e.ApplicationName, e.ApplicationID, e.ApplicationOwner = au.ConsumerKey, au.ApplicationName, au.ApplicationID, au.ApplicationOwner
		e.UserName, e.UserTenant = au.Username, userTenant(au.Username)
		e.APITier, e.Subscriber = au.SubscriptionTier, au.ApplicationOwner
		e.APICreator = au.APIPublisher
	} else {
		e.ConsumerKey, e.ApplicationName, e.ApplicationID, e.ApplicationOwner = usageAnonymous, usageAnonymous, usageAnonymous, usageAnonymous
		e.UserName, e.UserTenant, e.Subscriber = usageAnonymous, usageAnonymous, usageAnonymous
		e.APITier = usageUnauthenticatedTier
	}
	if api := info.API; api != nil {
		e.APIContext, e.APIName, e.APIVersion = api.BasePath, api.Name, api.Version
		if e.APICreator == "" {
			e.APICreator = api.Provider
		}
		e.APICreatorTenant = contextTenant(api.Context)
	}
	e.ResourcePath = strings.Clone(info.BackendPath)
	if e.ResourcePath == "" {
		e.ResourcePath = "/"
	}
	if info.Resource != nil {
		e.ResourceTemplate = info.Resource.Path
	}
	e.Method = r.Method
	e.Hostname = a.cfg.Hostname
	if e.Hostname == "" {
		e.Hostname = a.hosts.of(hostOnly(r.Host))
	}
	e.UserIP = info.ClientIP
	e.UserAgent = a.agents.of(r.Header.Get("User-Agent"))
	e.RequestTime, e.ThrottledOut = info.Start, info.ThrottledOut
	// Whole milliseconds first, so service time + backend time is the
	// response time exactly.
	total := now.Sub(info.Start).Truncate(time.Millisecond)
	backend := min(ex.backend.Truncate(time.Millisecond), total)
	e.ResponseTime, e.BackendTime, e.ServiceTime = total, backend, total-backend
	e.SecurityLatency = min(info.SecurityTime.Truncate(time.Millisecond), total-backend)
	e.ThrottlingLatency = min(info.ThrottlingTime.Truncate(time.Millisecond), total-backend-e.SecurityLatency)
	e.BackendLatency = backend
	e.OtherLatency = total - backend - e.SecurityLatency - e.ThrottlingLatency
	e.ResponseSize = ex.rec.bytes
	e.Protocol = "http"
	if r.TLS != nil {
		e.Protocol = "https"
	}
	e.ResponseCode = status
	e.Destination = ex.upstream
	e.Label = a.label
	if errCode != 0 {
		e.ErrorCode, e.ErrorMessage = errCode, FaultFor(errCode).Description
	}
	e.ThrottledOutReason = info.ThrottleReason
	if a.rec.Record(e) {
		a.accepted[kind-1].Add(1)
	}
}

// authFailed reports a request that security refused: such requests are
// not recorded, as in the original (the analytics filter ran after
// authentication).
func authFailed(info *RequestInfo, status int) bool {
	if info.Auth.Authenticated || info.API == nil || info.Resource == nil || !info.API.Secured(info.Resource) {
		return false
	}
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// userTenant is the tenant of a user name ("alice@example.com" is in
// example.com), carbon.super when it names none.
func userTenant(user string) string {
	if i := strings.LastIndexByte(user, '@'); i >= 0 && i+1 < len(user) {
		return user[i+1:]
	}
	return usageSuperTenant
}

// contextTenant is the tenant of an API context ("/t/example.com/pets"),
// carbon.super when it names none.
func contextTenant(ctx string) string {
	if rest, ok := strings.CutPrefix(ctx, "/t/"); ok {
		if i := strings.IndexByte(rest, '/'); i > 0 {
			return rest[:i]
		}
		if rest != "" {
			return rest
		}
	}
	return usageSuperTenant
}

// hostOnly drops the port of a Host header.
func hostOnly(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		return host[:i]
	}
	return host
}

// writeMetrics adds the analytics counters to /metrics.
func (a *analytics) writeMetrics(w *prom.Writer) {
	s := a.rec.Stats()
	w.Family("mgw_analytics_events_total", "Usage events queued for the usage file, by stream.", "counter")
	for i, stream := range []string{"request", "fault", "throttle"} {
		w.Sample("mgw_analytics_events_total", []prom.Label{prom.L("stream", stream)}, float64(a.accepted[i].Load()))
	}
	w.Family("mgw_analytics_events_dropped_total", "Usage events dropped because the queue was full (see analytics.queue_size).", "counter")
	w.Sample("mgw_analytics_events_dropped_total", nil, float64(s.Dropped))
	w.Family("mgw_analytics_events_lost_total", "Queued usage events lost to errors writing the usage file.", "counter")
	w.Sample("mgw_analytics_events_lost_total", nil, float64(s.Lost))
	w.Family("mgw_analytics_queue_length", "Usage events waiting for the writer.", "gauge")
	w.Sample("mgw_analytics_queue_length", nil, float64(s.Queued))
	w.Family("mgw_analytics_files_rotated_total", "Usage files rotated into zips.", "counter")
	w.Sample("mgw_analytics_files_rotated_total", nil, float64(s.Rotations))
	w.Family("mgw_analytics_files_deleted_total", "Rotated usage files deleted to stay under analytics.max_disk_bytes.", "counter")
	w.Sample("mgw_analytics_files_deleted_total", nil, float64(s.DeletedFiles))
	if a.up != nil {
		ok, failed := a.up.Counts()
		w.Family("mgw_analytics_uploads_total", "Upload attempts of usage files, by result.", "counter")
		w.Sample("mgw_analytics_uploads_total", []prom.Label{prom.L("result", "ok")}, float64(ok))
		w.Sample("mgw_analytics_uploads_total", []prom.Label{prom.L("result", "failed")}, float64(failed))
	}
}
