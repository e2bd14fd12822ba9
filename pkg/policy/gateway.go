package policy

import (
	"math"
	"strings"

	"github.com/mgwio/mgw/pkg/gateway"
)

// IsUnlimited reports whether name is the built-in Unlimited policy.
func IsUnlimited(name string) bool { return strings.EqualFold(name, UnlimitedName) }

// Has reports whether the policy name exists at level (LevelApplication,
// LevelSubscription or LevelAdvanced). Unlimited exists at every level.
// Names are case-sensitive, as in the API Manager.
func (f File) Has(level, name string) bool {
	switch level {
	case LevelApplication, LevelSubscription, LevelAdvanced:
	default:
		return false
	}
	if IsUnlimited(name) {
		return true
	}
	for _, p := range f.level(level) {
		if p.Name == name {
			return true
		}
	}
	return false
}

// ToGateway converts f to the gateway's runtime model. Each level is
// sorted by name and has an Unlimited policy (added if the file has none).
// StopOnQuotaReach defaults to true; advanced policies always stop.
func (f File) ToGateway() gateway.Policies {
	return gateway.Policies{
		Application:  toGateway(f.Application, false),
		Subscription: toGateway(f.Subscription, false),
		Advanced:     toGateway(f.Advanced, true),
	}
}

func toGateway(ps []Policy, advanced bool) []gateway.Policy {
	out := make([]gateway.Policy, 0, len(ps)+1)
	hasUnlimited := false
	for _, p := range sortedByName(ps) {
		g := gateway.Policy{
			Name:              p.Name,
			LimitType:         gatewayLimitType(p.Limit.Type),
			RequestCount:      p.Limit.RequestCount,
			DataAmount:        p.Limit.DataAmount,
			DataUnit:          p.Limit.DataUnit,
			UnitTime:          p.Limit.UnitTime,
			TimeUnit:          p.Limit.TimeUnit,
			RateLimitCount:    p.RateLimitCount,
			RateLimitTimeUnit: p.RateLimitTimeUnit,
			StopOnQuotaReach:  advanced || p.StopOnQuotaReach == nil || *p.StopOnQuotaReach,
			Unlimited:         IsUnlimited(p.Name),
			ConditionalGroups: groupsToGateway(p.ConditionalGroups),
		}
		hasUnlimited = hasUnlimited || g.Unlimited
		out = append(out, g)
	}
	if !hasUnlimited {
		u := gateway.Policy{
			Name:             UnlimitedName,
			LimitType:        gateway.LimitRequestCount,
			RequestCount:     math.MaxInt32,
			UnitTime:         1,
			TimeUnit:         "min",
			StopOnQuotaReach: true,
			Unlimited:        true,
		}
		i := 0
		for i < len(out) && out[i].Name < u.Name {
			i++
		}
		out = append(out[:i], append([]gateway.Policy{u}, out[i:]...)...)
	}
	return out
}

func gatewayLimitType(t string) string {
	if t == LimitBandwidth {
		return gateway.LimitBandwidth
	}
	return gateway.LimitRequestCount
}

// groupsToGateway converts conditional groups to the gateway's model.
func groupsToGateway(in []ConditionalGroup) []gateway.ConditionalGroup {
	if len(in) == 0 {
		return nil
	}
	out := make([]gateway.ConditionalGroup, 0, len(in))
	for _, g := range in {
		cg := gateway.ConditionalGroup{
			LimitType:    gatewayLimitType(g.Limit.Type),
			RequestCount: g.Limit.RequestCount,
			DataAmount:   g.Limit.DataAmount,
			DataUnit:     g.Limit.DataUnit,
			UnitTime:     g.Limit.UnitTime,
			TimeUnit:     g.Limit.TimeUnit,
		}
		for _, c := range g.Conditions {
			cg.Conditions = append(cg.Conditions, gateway.Condition(c))
		}
		out = append(out, cg)
	}
	return out
}
