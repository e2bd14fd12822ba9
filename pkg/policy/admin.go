package policy

import (
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// adminSource names the Admin API in messages.
const adminSource = "API Manager Admin API"

// FromAdmin converts the Admin API's application, subscription and
// advanced policies. Unlimited is kept like any other policy (with its
// large count); an advanced policy keeps its conditional groups (pass the
// policies from Client.AdvancedPolicy: the list leaves them out), and an
// unknown condition type is an error naming the policy and the type. Each level is sorted by name. Time
// and data units are normalized ("minutes" → "min", "mb" → "MB"); a
// subscription policy's "no burst control" (rateLimitCount ≤ 0, e.g. -1
// with unit "NA") becomes 0. Policies that cannot be converted are listed
// together in a *ValidationError.
func FromAdmin(app, sub, adv []apim.ThrottlePolicy) (File, error) {
	var f File
	var probs []Problem
	for _, lv := range []struct {
		name string
		in   []apim.ThrottlePolicy
		out  *[]Policy
	}{
		{LevelApplication, app, &f.Application},
		{LevelSubscription, sub, &f.Subscription},
		{LevelAdvanced, adv, &f.Advanced},
	} {
		for i, tp := range lv.in {
			p, err := fromAdmin(lv.name, tp)
			if err != "" {
				probs = append(probs, Problem{Source: adminSource, Level: lv.name, Policy: tp.PolicyName, Index: i + 1, Message: err})
				continue
			}
			*lv.out = append(*lv.out, p)
		}
	}
	if len(probs) > 0 {
		return File{}, &ValidationError{Problems: probs}
	}
	f = File{
		Application:  sortedByName(f.Application),
		Subscription: sortedByName(f.Subscription),
		Advanced:     sortedByName(f.Advanced),
	}
	if issues := validate(f); len(issues) > 0 {
		return File{}, &ValidationError{Problems: problems(f, adminSource, issues, nil)}
	}
	return f, nil
}

// fromAdmin converts one policy, or says why it cannot.
func fromAdmin(level string, tp apim.ThrottlePolicy) (Policy, string) {
	p := Policy{
		Name:        tp.PolicyName,
		DisplayName: tp.DisplayName,
		Description: tp.Description,
	}
	dl := tp.DefaultLimit
	if dl == nil {
		return Policy{}, "the API Manager sent no defaultLimit; fix the policy in the Admin portal"
	}
	l, err := limitFromAdmin(*dl)
	if err != "" {
		return Policy{}, "defaultLimit." + err
	}
	p.Limit = l
	if len(tp.ConditionalGroups) > 0 {
		if level != LevelAdvanced {
			return Policy{}, "conditionalGroups apply only to advanced policies"
		}
		groups, err := groupsFromAdmin(tp.ConditionalGroups)
		if err != "" {
			return Policy{}, err
		}
		p.ConditionalGroups = groups
	}
	if level != LevelSubscription {
		if level == LevelApplication && tp.StopOnQuotaReach != nil {
			v := *tp.StopOnQuotaReach
			p.StopOnQuotaReach = &v
		}
		return p, ""
	}
	if tp.RateLimitCount > 0 {
		p.RateLimitCount = tp.RateLimitCount
		if tp.RateLimitTimeUnit != nil {
			p.RateLimitTimeUnit = normalizeTimeUnit(*tp.RateLimitTimeUnit)
		}
	}
	if tp.StopOnQuotaReach != nil {
		v := *tp.StopOnQuotaReach
		p.StopOnQuotaReach = &v
	}
	p.BillingPlan = strings.ToUpper(strings.TrimSpace(tp.BillingPlan))
	for _, a := range tp.CustomAttributes {
		if p.CustomAttributes == nil {
			p.CustomAttributes = map[string]string{}
		}
		p.CustomAttributes[a.Name] = a.Value
	}
	return p, ""
}

// limitFromAdmin converts a ThrottleLimit, or says (after "limit.") why it
// cannot.
func limitFromAdmin(dl apim.ThrottleLimit) (Limit, string) {
	l := Limit{UnitTime: dl.UnitTime, TimeUnit: normalizeTimeUnit(dl.TimeUnit)}
	switch dl.Type {
	case "RequestCountLimit":
		l.Type = LimitRequestCount
		l.RequestCount = dl.RequestCount
	case "BandwidthLimit":
		l.Type = LimitBandwidth
		l.DataAmount = dl.DataAmount
		l.DataUnit = strings.ToUpper(strings.TrimSpace(dl.DataUnit))
	default:
		return Limit{}, fmt.Sprintf("type %q is not supported; mgw supports RequestCountLimit and BandwidthLimit", dl.Type)
	}
	return l, ""
}

// normalizeTimeUnit maps the spellings seen in API Manager versions to
// the units of policies.yaml; anything else is returned as is (validation
// then names it).
func normalizeTimeUnit(u string) string {
	s := strings.ToLower(strings.TrimSpace(u))
	switch s {
	case "sec", "secs", "second", "seconds":
		return "sec"
	case "min", "mins", "minute", "minutes":
		return "min"
	case "hour", "hours":
		return "hour"
	case "day", "days":
		return "day"
	case "week", "weeks":
		return "week"
	case "month", "months":
		return "month"
	case "year", "years":
		return "year"
	}
	return u
}
