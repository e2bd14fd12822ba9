package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/prom"
	"github.com/mgwio/mgw/pkg/gateway/internal/ratelimit"
)

// throttler enforces the label's throttling policies on routed requests:
// API and resource (advanced) policies, the subscription and application
// policies security found for the caller, and Unauthenticated for
// resources without security.
type throttler struct {
	log    *slog.Logger
	now    func() time.Time // nil: RequestInfo.Start
	mem    *ratelimit.Memory
	shared *sharedStore // nil when counters stay in memory
	app    map[string]*limit
	sub    map[string]*limit
	unauth *limit // nil when the label has no Unauthenticated policy
	routes map[*Resource]*routeLimits
	// throttled counts rejected and throttled-out requests per level.
	throttled [4]atomic.Uint64
	scratch   sync.Pool
}

// routeLimits are the advanced policies of one resource and the fixed
// parts of its keys.
type routeLimits struct {
	api, res       *limit
	apiKey, resKey []byte // full counter keys
	// apiGroupKeys and resGroupKeys are the keys of the policies'
	// conditional groups: the policy's key plus "|c" and the group number.
	apiGroupKeys, resGroupKeys [][]byte
	ctxVer                     string // "context:version" for subscription keys
	// anonymous: requests without credentials may reach the resource
	// (no security, or optional security), counted as Unauthenticated.
	anonymous bool
}

// throttleCheck is one counter a request touches.
type throttleCheck struct {
	l        *limit
	off, end int // the key in scratch.buf
	w        ratelimit.Window
	n        int64 // what was added
	counted  bool  // n was added to the key's counter
	spikeW   ratelimit.Window
	spiked   bool // 1 was added to the key's spike counter in spikeW
}

// throttleScratch is per-request working memory, pooled.
type throttleScratch struct {
	buf    []byte
	checks []throttleCheck // grows to the most a request needed, then stays
	bits   []uint64        // condSet.fill's bitset, reused
	groups []uint64        // condSet.matched's, reused
}

// newThrottling builds the throttling middleware; nil when the label has
// no policies or throttling is disabled.
func (g *Gateway) newThrottling() (Middleware, error) {
	if !g.cfg.Throttling.Enabled {
		return nil, nil
	}
	t, problems := newThrottler(g.spec, g.cfg, g.log, nil)
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n  "))
	}
	if t == nil {
		return nil, nil
	}
	g.metrics.extra = append(g.metrics.extra, t.writeMetrics)
	g.OnServe(func(ctx context.Context) { t.mem.RunSweeper(ctx, 10*time.Second, time.Now) })
	if t.shared != nil {
		g.OnServe(t.shared.watch)
		g.OnShutdown(func(context.Context) error { return t.shared.client.Close() })
	}
	return t.middleware, nil
}

// newThrottler compiles the policies of spec for cfg. It returns nil and
// no problems when there is nothing to enforce. now is the clock; nil
// means each request's RequestInfo.Start.
func newThrottler(spec *Spec, cfg Config, log *slog.Logger, now func() time.Time) (*throttler, []string) {
	pols := &spec.Policies
	if len(pols.Application)+len(pols.Subscription)+len(pols.Advanced) == 0 {
		return nil, nil
	}
	t := &throttler{log: log, now: now, mem: ratelimit.NewMemory(), routes: map[*Resource]*routeLimits{}}
	t.scratch.New = func() any { return &throttleScratch{buf: make([]byte, 0, 256), checks: make([]throttleCheck, 0, 4)} }
	var problems, p []string
	t.app, p = compileLevel(pols.Application, levelApplication, "application")
	problems = append(problems, p...)
	t.sub, p = compileLevel(pols.Subscription, levelSubscription, "subscription")
	problems = append(problems, p...)
	adv, p := compileLevel(pols.Advanced, levelAPI, "advanced")
	problems = append(problems, p...)
	if l := t.sub[UnauthenticatedPolicy]; l != nil && !l.unlimited {
		t.unauth = l
	}
	for i := range spec.APIs {
		a := &spec.APIs[i]
		ctxVer := a.Context + ":" + a.Version
		apiLimit, err := advancedLimit(adv, a.ThrottlingTier, levelAPI)
		if err != nil {
			problems = append(problems, fmt.Sprintf("throttling: API %s %s: %v", a.Name, a.Version, err))
		}
		for j := range a.Resources {
			r := &a.Resources[j]
			rl := &routeLimits{api: apiLimit, ctxVer: ctxVer, anonymous: !a.Secured(r) || a.OptionalSecurity}
			if apiLimit != nil {
				rl.apiKey = counterKey(nil, apiLimit, ctxVer)
				rl.apiGroupKeys = groupKeys(rl.apiKey, apiLimit)
			}
			resLimit, err := advancedLimit(adv, r.ThrottlingTier, levelResource)
			if err != nil {
				problems = append(problems, fmt.Sprintf("throttling: API %s %s resource %s %s: %v", a.Name, a.Version, r.Method, r.Path, err))
			}
			if resLimit != nil {
				rl.res = resLimit
				rl.resKey = counterKey(nil, resLimit, ctxVer+":"+r.Path+":"+r.Method)
				rl.resGroupKeys = groupKeys(rl.resKey, resLimit)
			}
			t.routes[r] = rl
		}
	}
	if cfg.Redis.URL != "" {
		opts, err := cfg.redisOptions()
		if err != nil {
			problems = append(problems, err.Error())
		} else {
			t.shared = newSharedStore(opts, cfg.Throttling, t.mem, log)
		}
	}
	return t, problems
}

// advancedLimit finds an API- or resource-level policy; "" and Unlimited
// give nil. A name the label lacks is an error naming it.
func advancedLimit(adv map[string]*limit, name string, lv *throttleLevel) (*limit, error) {
	if name == "" || strings.EqualFold(name, "Unlimited") {
		return nil, nil
	}
	l, ok := adv[name]
	if !ok {
		return nil, fmt.Errorf("the throttling tier %q is not among the label's advanced policies (900809); add the policy in the API Manager's admin portal or change the tier, then run mgw setup again", name)
	}
	if l.unlimited {
		return nil, nil
	}
	cp := *l
	cp.level = lv
	cp.groups = make([]condGroup, len(l.groups))
	for i, g := range l.groups {
		gl := *g.lim
		gl.level = lv
		cp.groups[i] = condGroup{conds: g.conds, lim: &gl}
	}
	return &cp, nil
}

// groupKeys returns the counter keys of l's conditional groups: the
// policy's key plus "|c" and the group's number. A group is counted for
// all the requests it matches together, as API Manager's policy templates
// key it (resource key plus condition id), not per client.
func groupKeys(key []byte, l *limit) [][]byte {
	if len(l.groups) == 0 {
		return nil
	}
	out := make([][]byte, len(l.groups))
	for i := range l.groups {
		k := append([]byte(nil), key...)
		k = append(k, "|c"...)
		out[i] = strconv.AppendInt(k, int64(i+1), 10)
	}
	return out
}

// counterKey appends the counter key of l for the level key k to dst:
// the level's tag, the policy name and k.
func counterKey(dst []byte, l *limit, k string) []byte {
	dst = append(dst, l.level.tag, '|')
	dst = append(dst, l.name...)
	dst = append(dst, '|')
	return append(dst, k...)
}

// middleware is the throttling Middleware.
func (t *throttler) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		if info == nil {
			next.ServeHTTP(w, r)
			return
		}
		rl := t.routes[info.Resource]
		if rl == nil {
			next.ServeHTTP(w, r)
			return
		}
		s := t.scratch.Get().(*throttleScratch)
		defer t.scratch.Put(s)
		t.serve(w, r, next, info, rl, s)
	})
}

func (t *throttler) serve(w http.ResponseWriter, r *http.Request, next http.Handler, info *RequestInfo, rl *routeLimits, s *throttleScratch) {
	s.buf = s.buf[:0]
	s.checks = s.checks[:0]
	add := func(l *limit, key []byte, parts ...string) {
		off := len(s.buf)
		if key != nil {
			s.buf = append(s.buf, key...)
		} else {
			s.buf = append(s.buf, l.level.tag, '|')
			s.buf = append(s.buf, l.name...)
			s.buf = append(s.buf, '|')
			for i, p := range parts {
				if i > 0 {
					s.buf = append(s.buf, ':')
				}
				s.buf = append(s.buf, p...)
			}
		}
		s.checks = append(s.checks, throttleCheck{l: l, off: off, end: len(s.buf)})
	}
	// An advanced policy counts the request against every conditional
	// group it matches, or against the policy's own limit if none.
	view := reqView{r: r, info: info, ip: info.ClientIP.Unmap().WithZone("")}
	advanced := func(l *limit, key []byte, groupKeys [][]byte) {
		matched := false
		if l.conds != nil {
			s.bits = l.conds.fill(&view, s.bits)
			s.groups = l.conds.matched(s.bits, s.groups)
			for wi, w := range s.groups {
				for ; w != 0; w &= w - 1 {
					i := wi*64 + bits.TrailingZeros64(w)
					add(l.groups[i].lim, groupKeys[i])
					matched = true
				}
			}
		}
		if !matched {
			add(l, key)
		}
	}
	if rl.api != nil {
		advanced(rl.api, rl.apiKey, rl.apiGroupKeys)
	}
	if rl.res != nil {
		advanced(rl.res, rl.resKey, rl.resGroupKeys)
	}
	auth := &info.Auth
	switch {
	case auth.Authenticated:
		if tier := auth.SubscriptionTier; tier != "" {
			l, ok := t.sub[tier]
			if !ok {
				t.policyMissing(w, info, "subscription", tier)
				return
			}
			if !l.unlimited {
				add(l, nil, auth.ApplicationID, rl.ctxVer)
			}
		}
		if tier := auth.ApplicationTier; tier != "" {
			l, ok := t.app[tier]
			if !ok {
				t.policyMissing(w, info, "application", tier)
				return
			}
			if !l.unlimited {
				add(l, nil, auth.ApplicationID, auth.Username)
			}
		}
	case rl.anonymous && t.unauth != nil:
		var ipb [64]byte
		ip := info.ClientIP.AppendTo(ipb[:0])
		off := len(s.buf)
		s.buf = append(s.buf, t.unauth.level.tag, '|')
		s.buf = append(s.buf, t.unauth.name...)
		s.buf = append(s.buf, '|')
		s.buf = append(s.buf, ip...)
		s.buf = append(s.buf, ':')
		s.buf = append(s.buf, rl.ctxVer...)
		s.checks = append(s.checks, throttleCheck{l: t.unauth, off: off, end: len(s.buf)})
	}
	checks := s.checks
	if len(checks) == 0 {
		next.ServeHTTP(w, r)
		return
	}

	// The gateway's receipt time saves reading the clock again; tests
	// inject one.
	now := info.Start
	if t.now != nil {
		now = t.now()
	}
	ctx := r.Context()
	var t0 time.Time
	if t.shared != nil {
		t0 = time.Now()
	}
	decided := func() {
		if t.shared != nil {
			info.ThrottlingTime = time.Since(t0)
		}
	}
	reqBytes := r.ContentLength
	if reqBytes < 0 {
		reqBytes = 0
	}
	bandwidth := false
	base := len(s.buf)
	for i := range checks {
		c := &checks[i]
		l := c.l
		c.w = ratelimit.WindowAt(now, l.window)
		c.n = 1
		if l.bandwidth {
			c.n, bandwidth = reqBytes, true
		}
		v, err := t.add(ctx, s.buf[c.off:c.end], c.n, c.w, now)
		if err != nil {
			t.refund(ctx, s, checks[:i], now)
			WriteFault(w, FaultFor(CodeThrottleInternal))
			return
		}
		c.counted = true
		over := v > l.max
		if l.bandwidth {
			over = v-c.n >= l.max
		}
		win := c.w
		if !over && l.spike > 0 {
			sw := ratelimit.WindowAt(now, l.spikeWin)
			// The spike counter's key is the quota key plus a suffix,
			// built after every other key and dropped again.
			s.buf = append(s.buf[:base], s.buf[c.off:c.end]...)
			s.buf = append(s.buf, "|spike"...)
			v, err := t.add(ctx, s.buf[base:], 1, sw, now)
			s.buf = s.buf[:base]
			if err != nil {
				t.refund(ctx, s, checks[:i+1], now)
				WriteFault(w, FaultFor(CodeThrottleInternal))
				return
			}
			c.spikeW, c.spiked = sw, true
			if v > l.spike {
				over, win = true, sw
			}
		}
		if !over {
			continue
		}
		t.throttled[levelIndex(l.level)].Add(1)
		info.Throttled = true
		if info.ThrottleReason == "" {
			info.ThrottleReason = l.level.reason
		}
		if l.stop {
			decided()
			// A refused request counts nowhere, as in the original
			// (only allowed requests were published): one caller over
			// its own quota must not use up a quota shared with others.
			t.refund(ctx, s, checks[:i+1], now)
			w.Header().Set("Retry-After", strconv.FormatInt(win.RetryAfterSeconds(now), 10))
			WriteFault(w, FaultFor(l.level.code))
			return
		}
		info.ThrottledOut = true
	}
	decided()
	if !bandwidth {
		next.ServeHTTP(w, r)
		return
	}
	t.serveCounted(w, r, next, s, checks, now)
}

// serveCounted forwards a request under bandwidth policies and adds the
// response bytes (and request bytes of unknown length) to their counters
// afterwards, so the next request over quota is refused.
func (t *throttler) serveCounted(w http.ResponseWriter, r *http.Request, next http.Handler, s *throttleScratch, checks []throttleCheck, now time.Time) {
	cw := &countingWriter{ResponseWriter: w}
	var cr *countingReader
	if r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody {
		cr = &countingReader{ReadCloser: r.Body}
		r.Body = cr
	}
	next.ServeHTTP(cw, r)
	extra := cw.n
	if cr != nil {
		extra += cr.n
	}
	if extra == 0 {
		return
	}
	for _, c := range checks {
		if c.l.bandwidth {
			_, _ = t.add(context.WithoutCancel(r.Context()), s.buf[c.off:c.end], extra, c.w, now)
		}
	}
}

// refund takes back what checks added for a request that was refused.
// It runs after the client's request is decided, so a client that went
// away does not stop it.
func (t *throttler) refund(ctx context.Context, s *throttleScratch, checks []throttleCheck, now time.Time) {
	ctx = context.WithoutCancel(ctx)
	base := len(s.buf)
	for i := range checks {
		c := &checks[i]
		if c.counted {
			_, _ = t.add(ctx, s.buf[c.off:c.end], -c.n, c.w, now)
		}
		if c.spiked {
			s.buf = append(s.buf[:base], s.buf[c.off:c.end]...)
			s.buf = append(s.buf, "|spike"...)
			_, _ = t.add(ctx, s.buf[base:], -1, c.spikeW, now)
			s.buf = s.buf[:base]
		}
	}
}

// add counts n on key in w, in Redis when configured.
func (t *throttler) add(ctx context.Context, key []byte, n int64, w ratelimit.Window, now time.Time) (int64, error) {
	if t.shared == nil {
		return t.mem.Incr(key, n, w), nil
	}
	return t.shared.add(ctx, key, n, w, now)
}

// policyMissing answers 900809 for a tier the label does not define, as
// the original did for policies that were not deployed.
func (t *throttler) policyMissing(w http.ResponseWriter, info *RequestInfo, level, tier string) {
	t.log.Error("throttling policy not in this gateway; run mgw setup and build again",
		"request_id", info.ID, "level", level, "policy", tier)
	WriteFault(w, FaultFor(CodePolicyNotFound))
}

func levelIndex(lv *throttleLevel) int {
	switch lv {
	case levelAPI:
		return 0
	case levelResource:
		return 1
	case levelSubscription:
		return 2
	}
	return 3
}

// writeMetrics adds the throttling families to /metrics.
func (t *throttler) writeMetrics(w *prom.Writer) {
	w.Family("mgw_throttled_requests_total", "Requests over a throttling policy, by level (rejected or, with stopOnQuotaReach false, let through).", "counter")
	for i, lv := range []*throttleLevel{levelAPI, levelResource, levelSubscription, levelApplication} {
		w.Sample("mgw_throttled_requests_total", []prom.Label{prom.L("level", strings.ToLower(strings.TrimSuffix(lv.reason, "_LIMIT_EXCEEDED")))}, float64(t.throttled[i].Load()))
	}
	if t.shared != nil {
		t.shared.writeMetrics(w)
	}
}

// countingWriter counts response body bytes.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

// Write implements http.ResponseWriter.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// Flush implements http.Flusher.
func (c *countingWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the server's writer.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// countingReader counts request body bytes of unknown length.
type countingReader struct {
	io.ReadCloser
	n int64
}

// Read implements io.Reader.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.ReadCloser.Read(p)
	c.n += int64(n)
	return n, err
}
