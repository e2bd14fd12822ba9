package gateway

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/pathnorm"
)

// Gateway serves the APIs of one label. Create it with New, add
// middleware with Use, then Serve it (or mount Handler in a server).
type Gateway struct {
	spec       *Spec
	cfg        Config
	log        *slog.Logger
	router     *router
	metrics    *metrics
	transports *transports
	trusted    trustedProxies
	serverTLS  *tls.Config
	maxBody    int64
	protoHTTP  []string
	protoHTTPS []string
	// endUserJWTHeader is security.end_user_jwt_header, canonical; ""
	// when off.
	endUserJWTHeader string
	buffers          sync.Pool // 32 KiB response copy buffers
	smallBuffers     sync.Pool // smallBody ones, for bodies known to fit

	mu         sync.Mutex
	background []func(ctx context.Context)
	shutdown   []func(ctx context.Context) error
	mws        []Middleware
	tracing    *tracing     // nil when tracing is off (tracing.go)
	chain      http.Handler // nil when there is no middleware
	started    bool
	cors       *corsPolicies // nil when no API has CORS (cors.go)

	ready atomic.Bool
}

// New checks spec and cfg and prepares the gateway: routes, endpoints,
// connection pools, TLS material and metrics. cfg normally comes from
// LoadConfig (or DefaultConfig, for programs and tests). New reports every
// problem it finds at once in a *ConfigError. logger may be nil to discard
// logs.
func New(spec *Spec, cfg Config, logger *slog.Logger) (*Gateway, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.origins == nil {
		cfg.origins = map[string]string{}
	}
	problems := cfg.validate(spec)
	rt, rp := buildRouter(spec)
	problems = append(problems, rp...)
	g := &Gateway{
		spec:       spec,
		cfg:        cfg,
		log:        logger,
		router:     rt,
		maxBody:    int64(cfg.Server.MaxBodyBytes),
		protoHTTP:  []string{"http"},
		protoHTTPS: []string{"https"},
	}
	if h := cfg.Security.EndUserJWTHeader; h != "" {
		g.endUserJWTHeader = http.CanonicalHeaderKey(h)
	}
	g.buffers.New = func() any { b := make([]byte, 32<<10); return &b }
	g.smallBuffers.New = func() any { b := make([]byte, smallBody); return &b }
	for _, p := range cfg.Server.TrustedProxies {
		if pfx, err := parsePrefix(p); err == nil {
			g.trusted = append(g.trusted, pfx)
		}
	}
	ts, err := newTransports(cfg.Backend)
	if err != nil {
		problems = append(problems, err.Error())
		ts, _ = newTransports(BackendConfig{MaxIdleConnsPerHost: 1})
	}
	g.transports = ts
	problems = append(problems, g.resolveEndpoints(&cfg)...)
	problems = append(problems, g.resolveInterceptors()...)
	if cfg.HTTPS.CertFile != "" && cfg.HTTPS.KeyFile != "" {
		tc, err := serverTLSConfig(cfg.HTTPS)
		if err != nil {
			problems = append(problems, err.Error())
		}
		g.serverTLS = tc
	}
	g.metrics = newMetrics(spec, rt) // before the middleware, which may add metrics
	builtin, bp := g.builtinMiddleware()
	problems = append(problems, bp...)
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	g.mws = builtin
	return g, nil
}

// resolveEndpoints builds every endpoint group of every route.
func (g *Gateway) resolveEndpoints(cfg *Config) []string {
	var problems []string
	for _, ar := range g.router.apis {
		a := ar.api
		ov := cfg.APIs[a.Name+"/"+a.Version]
		var prodOv, sandOv *EndpointOverride
		prodOv, sandOv = ov.Production, ov.Sandbox
		resolve := func(ep *Endpoint, o *EndpointOverride, env, what string) *endpointGroup {
			grp, err := resolveEndpoint(ep, o, cfg, g.transports, endpointSource{api: a, env: env, what: what})
			if err != nil {
				problems = append(problems, err.Error())
			}
			return grp
		}
		prod := resolve(a.Production, prodOv, "production", "production endpoint")
		sand := resolve(a.Sandbox, sandOv, "sandbox", "sandbox endpoint")
		for _, r := range ar.routes {
			r.prod, r.sand = prod, sand
			// Resource endpoints take the API's deploy-time password for
			// their environment (config can only name API-level ones).
			if r.res.Production != nil {
				r.prod = resolve(r.res.Production, passwordOnly(prodOv), "production",
					fmt.Sprintf("resource %s %s production endpoint", r.res.Method, r.res.Path))
			}
			if r.res.Sandbox != nil {
				r.sand = resolve(r.res.Sandbox, passwordOnly(sandOv), "sandbox",
					fmt.Sprintf("resource %s %s sandbox endpoint", r.res.Method, r.res.Path))
			}
		}
	}
	return problems
}

func passwordOnly(o *EndpointOverride) *EndpointOverride {
	if o == nil {
		return nil
	}
	return &EndpointOverride{Password: o.Password}
}

// Use adds middleware around the forwarding of routed requests; the first
// added runs first. It must be called before the gateway serves.
func (g *Gateway) Use(mw ...Middleware) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.started {
		panic("gateway: Use called after the gateway started serving")
	}
	g.mws = append(g.mws, mw...)
}

// Handler returns the gateway's HTTP handler: /health, /health/ready,
// /metrics, then the APIs. Requests whose r.TLS is set are HTTPS requests
// for the APIs' transport rules.
func (g *Gateway) Handler() http.Handler {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.started {
		g.started = true
		if len(g.mws) > 0 {
			var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				g.proxy(w, r, exchangeFrom(r.Context()))
			})
			for i := len(g.mws) - 1; i >= 0; i-- {
				h = g.mws[i](h)
			}
			g.chain = h
		}
	}
	return http.HandlerFunc(g.serveHTTP)
}

// SetReady marks the gateway ready (or not) for /health/ready. Serve does
// this itself; it is exported for embedding Handler in another server.
func (g *Gateway) SetReady(ready bool) { g.ready.Store(ready) }

func (g *Gateway) serveHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case healthPath:
		writeStatus(w, r, http.StatusOK, `{"status":"healthy"}`)
		return
	case readyPath:
		if g.ready.Load() {
			writeStatus(w, r, http.StatusOK, `{"status":"ready"}`)
		} else {
			writeStatus(w, r, http.StatusServiceUnavailable, `{"status":"unavailable"}`)
		}
		return
	case metricsPath:
		if g.cfg.Metrics.Enabled {
			g.metrics.serve(w, r)
			return
		}
	}
	ex := &exchange{}
	ex.rec.ResponseWriter = w
	ex.info.Start = time.Now()
	ex.info.KeyType = KeyTypeProduction
	g.metrics.inFlight.Add(1)
	defer func() {
		p := recover()
		if p != nil && p != http.ErrAbortHandler {
			g.log.Error("panic while serving a request", "request_id", ex.info.ID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			if !ex.rec.wrote {
				g.writeFault(&ex.rec, CodeInternal)
			}
			p = nil
		}
		if p != nil {
			ex.aborted = true
			defer panic(p)
		}
		g.finish(ex, r)
	}()

	id := r.Header.Get("X-Request-Id")
	if !validRequestID(id) {
		id = newRequestID()
	}
	ex.info.ID = id
	w.Header()["X-Request-Id"] = ex.header(hvID, id)
	ex.info.ClientIP, ex.trustedPeer = g.trusted.clientIP(r)

	norm, err := pathnorm.Normalize(r.URL.EscapedPath(), ex.segs[:0])
	if err != nil {
		ex.info.Path = truncate(r.URL.EscapedPath(), 256)
		g.writeFault(&ex.rec, CodeBadRequest)
		return
	}
	ex.info.Path = norm.Path
	if !g.cfg.Server.AllowEncodedSlashes && strings.Contains(norm.Path, "%") &&
		(strings.Contains(norm.Path, "%2F") || strings.Contains(norm.Path, "%5C")) {
		g.writeFault(&ex.rec, CodeBadRequest)
		return
	}
	m, ms, _, outcome := g.router.find(norm)
	if m != nil && !m.api.serves(r.TLS != nil) {
		m, ms, outcome = nil, nil, findNoAPI
	}
	if m != nil {
		ex.api = m.api
		ex.info.API = m.api.api
	}
	switch outcome {
	case findNoAPI, findNoResource:
		g.writeFault(&ex.rec, CodeNoMatchingResource)
		return
	case findOutside:
		g.writeFault(&ex.rec, CodeBadRequest)
		return
	}
	if g.cors != nil && g.cors.handle(&ex.rec, r, m.api.api) {
		return // a CORS preflight, answered before the method check and authentication
	}
	rt := ms.serving(r.Method)
	if rt == nil {
		w.Header().Set("Allow", ms.allow)
		f := FaultFor(CodeNoMatchingResource)
		f.Status = http.StatusMethodNotAllowed
		WriteFault(&ex.rec, f)
		return
	}
	ex.route = rt
	ex.info.Resource = rt.res
	ex.info.BackendPath = norm.Path[len(m.prefix):]
	if g.chain == nil {
		g.proxy(&ex.rec, r, ex)
		return
	}
	ex.ctx = exchangeCtx{Context: r.Context(), ex: ex}
	g.chain.ServeHTTP(&ex.rec, r.WithContext(&ex.ctx))
}

// serves reports whether the API is offered on the listener kind.
func (a *apiRoute) serves(https bool) bool {
	if https {
		return a.https
	}
	return a.http
}

func (g *Gateway) writeFault(w http.ResponseWriter, code int) {
	WriteFault(w, FaultFor(code))
}

func writeStatus(w http.ResponseWriter, r *http.Request, status int, body string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(body))
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
