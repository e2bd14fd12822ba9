package gateway

import (
	"fmt"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/ratelimit"
)

// UnauthenticatedPolicy is the subscription policy that throttles
// resources without security, keyed by client IP.
const UnauthenticatedPolicy = "Unauthenticated"

// throttleLevel is one of the four places a policy applies, with the
// fault and analytics reason of exceeding it.
type throttleLevel struct {
	tag    byte // key prefix, keeps the levels' counters apart
	code   int
	reason string
}

var (
	levelAPI          = &throttleLevel{'A', CodeAPIThrottled, "API_LIMIT_EXCEEDED"}
	levelResource     = &throttleLevel{'R', CodeResourceThrottled, "RESOURCE_LIMIT_EXCEEDED"}
	levelSubscription = &throttleLevel{'S', CodeSubscriptionThrottled, "SUBSCRIPTION_LIMIT_EXCEEDED"}
	levelApplication  = &throttleLevel{'P', CodeApplicationThrottled, "APPLICATION_LIMIT_EXCEEDED"}
)

// limit is a policy compiled for the hot path.
type limit struct {
	name      string
	level     *throttleLevel
	bandwidth bool
	max       int64 // requests or bytes per window
	window    time.Duration
	spike     int64 // requests per spikeWin; 0 means no spike arrest
	spikeWin  time.Duration
	stop      bool
	unlimited bool
	groups    []condGroup // an advanced policy's conditional groups
	conds     *condSet    // their conditions, compiled; nil if none
}

// compileLimit checks p and turns it into a limit; errors name the
// policy and what to fix.
func compileLimit(p *Policy, lv *throttleLevel, levelName string) (*limit, error) {
	l := &limit{name: p.Name, level: lv, stop: p.StopOnQuotaReach, unlimited: p.Unlimited}
	if p.Unlimited {
		return l, nil
	}
	fail := func(err error) (*limit, error) {
		return nil, fmt.Errorf("throttling: %s policy %q: %w; fix it in the API Manager and run mgw setup again", levelName, p.Name, err)
	}
	w, err := ratelimit.WindowSize(p.UnitTime, p.TimeUnit)
	if err != nil {
		return fail(err)
	}
	l.window = w
	switch p.LimitType {
	case LimitRequestCount:
		if p.RequestCount <= 0 {
			return fail(fmt.Errorf("requestCount %d must be positive", p.RequestCount))
		}
		l.max = p.RequestCount
	case LimitBandwidth:
		b, err := ratelimit.Bytes(p.DataAmount, p.DataUnit)
		if err != nil {
			return fail(err)
		}
		l.bandwidth, l.max = true, b
	default:
		return fail(fmt.Errorf("limit type %q is not supported; use %s or %s", p.LimitType, LimitRequestCount, LimitBandwidth))
	}
	if p.RateLimitCount > 0 {
		sw, err := ratelimit.WindowSize(1, p.RateLimitTimeUnit)
		if err != nil {
			return fail(fmt.Errorf("spike arrest: %w", err))
		}
		l.spike, l.spikeWin = p.RateLimitCount, sw
	}
	if len(p.ConditionalGroups) > 0 {
		if l.groups, err = compileGroups(p, lv, levelName); err != nil {
			return nil, err
		}
		l.conds = newCondSet(l.groups)
	}
	return l, nil
}

// compileLevel compiles a level's policies by name.
func compileLevel(ps []Policy, lv *throttleLevel, levelName string) (map[string]*limit, []string) {
	out := make(map[string]*limit, len(ps))
	var problems []string
	for i := range ps {
		l, err := compileLimit(&ps[i], lv, levelName)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		if _, dup := out[ps[i].Name]; dup {
			problems = append(problems, fmt.Sprintf("throttling: %s policy %q is defined twice; keep one", levelName, ps[i].Name))
		}
		out[ps[i].Name] = l
	}
	return out, problems
}
