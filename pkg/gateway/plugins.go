package gateway

import "context"

// builtinMiddleware returns the gateway's own middleware in the order it
// runs, outermost first: with tracing on, a server span covers the rest
// and auth and throttling get spans of their own; analytics sees every
// routed request and its outcome, security authenticates and sets
// RequestInfo.Auth and KeyType, blocking refuses what a blocking condition
// matches, throttling counts what security and blocking let through,
// validation checks what throttling let through against the API's
// schemas. Each feature adds itself
// here from its own file; problems are configuration errors.
func (g *Gateway) builtinMiddleware() (mws []Middleware, problems []string) {
	add := func(mw Middleware, err error) {
		if err != nil {
			problems = append(problems, err.Error())
			return
		}
		if mw != nil {
			mws = append(mws, mw)
		}
	}
	if err := g.newTracing(); err != nil {
		problems = append(problems, err.Error())
	}
	if g.tracing != nil {
		add(g.tracing.serverSpans, nil)
	}
	add(g.newAnalytics())
	add(g.newCORS())
	add(g.tracing.stage("auth")(g.newSecurity()))
	add(g.newBlocking())
	add(g.tracing.stage("throttling")(g.newThrottling()))
	add(g.newValidation())
	return mws, problems
}

// OnServe registers a task that runs while the gateway serves (JWKS
// refresh, analytics upload, Redis health checks): it starts when Serve
// starts and its context is cancelled when shutdown begins.
func (g *Gateway) OnServe(task func(ctx context.Context)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.background = append(g.background, task)
}

// OnShutdown registers a task that runs after in-flight requests finished
// (or the grace period expired), with what is left of the grace period:
// flush queues, rotate and upload files.
func (g *Gateway) OnShutdown(task func(ctx context.Context) error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.shutdown = append(g.shutdown, task)
}
