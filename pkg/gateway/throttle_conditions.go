package gateway

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/textproto"
	"strings"
)

// condKind is a compiled condition's test.
type condKind uint8

const (
	condIP condKind = iota + 1
	condIPRange
	condHeader
	condHost // the Host header, which net/http keeps in Request.Host
	condQuery
	condClaim
)

// claimField is the AuthContext field a JWT claim condition reads.
type claimField uint8

const (
	claimUsername claimField = iota + 1
	claimConsumerKey
	claimApplicationID
	claimApplicationName
	claimApplicationOwner
	claimApplicationTier
	claimSubscriptionTier
	claimKeyType
)

// claimFields maps the claims a request's auth context holds, by the names
// API Manager tokens and its claim dialect give them.
var claimFields = map[string]claimField{
	"sub":                                    claimUsername,
	"http://wso2.org/claims/enduser":         claimUsername,
	"consumerKey":                            claimConsumerKey,
	"http://wso2.org/claims/client_id":       claimConsumerKey,
	"http://wso2.org/claims/applicationid":   claimApplicationID,
	"http://wso2.org/claims/applicationname": claimApplicationName,
	"http://wso2.org/claims/subscriber":      claimApplicationOwner,
	"http://wso2.org/claims/applicationtier": claimApplicationTier,
	"http://wso2.org/claims/tier":            claimSubscriptionTier,
	"keytype":                                claimKeyType,
	"http://wso2.org/claims/keytype":         claimKeyType,
}

// cond is a condition compiled at start: parsed addresses, the header's
// canonical key, the claim's field; matching it allocates nothing.
type cond struct {
	kind   condKind
	invert bool
	lo, hi netip.Addr
	name   string
	value  string
	claim  claimField
}

// reqView is what conditions read from one request.
type reqView struct {
	r    *http.Request
	info *RequestInfo
	ip   netip.Addr // unmapped, without a zone
}

// condGroup is a conditional group: its conditions and its own limit.
type condGroup struct {
	conds []cond
	lim   *limit
}

// compileGroups compiles p's conditional groups into limits of level lv.
func compileGroups(p *Policy, lv *throttleLevel, levelName string) ([]condGroup, error) {
	out := make([]condGroup, 0, len(p.ConditionalGroups))
	for i := range p.ConditionalGroups {
		g := &p.ConditionalGroups[i]
		lp := Policy{Name: p.Name, LimitType: g.LimitType, RequestCount: g.RequestCount, DataAmount: g.DataAmount,
			DataUnit: g.DataUnit, UnitTime: g.UnitTime, TimeUnit: g.TimeUnit, StopOnQuotaReach: true}
		l, err := compileLimit(&lp, lv, fmt.Sprintf("%s conditional group %d of", levelName, i+1))
		if err != nil {
			return nil, err
		}
		if len(g.Conditions) == 0 {
			return nil, fmt.Errorf("throttling: %s policy %q: conditional group %d has no conditions", levelName, p.Name, i+1)
		}
		cg := condGroup{lim: l, conds: make([]cond, 0, len(g.Conditions))}
		for j := range g.Conditions {
			c, err := compileCond(&g.Conditions[j])
			if err != nil {
				return nil, fmt.Errorf("throttling: %s policy %q: conditional group %d, condition %d: %w; fix it in the API Manager and run mgw setup again", levelName, p.Name, i+1, j+1, err)
			}
			cg.conds = append(cg.conds, c)
		}
		out = append(out, cg)
	}
	return out, nil
}

// compileCond checks and compiles one condition.
func compileCond(c *Condition) (cond, error) {
	out := cond{invert: c.Invert, value: c.Value}
	parse := func(s, field string) (netip.Addr, error) {
		a, err := netip.ParseAddr(s)
		if err != nil || a.Zone() != "" {
			return netip.Addr{}, fmt.Errorf("%s %q is not an IP address", field, s)
		}
		return a.Unmap(), nil
	}
	var err error
	switch c.Type {
	case ConditionIP:
		out.kind = condIP
		out.lo, err = parse(c.IP, "ip")
	case ConditionIPRange:
		out.kind = condIPRange
		if out.lo, err = parse(c.StartingIP, "startingIP"); err != nil {
			return cond{}, err
		}
		if out.hi, err = parse(c.EndingIP, "endingIP"); err != nil {
			return cond{}, err
		}
		if out.lo.Is4() != out.hi.Is4() || out.hi.Less(out.lo) {
			err = fmt.Errorf("range %s-%s is empty or mixes IPv4 and IPv6", out.lo, out.hi)
		}
	case ConditionHeader:
		if c.Name == "" || strings.ContainsAny(c.Name, " \t\r\n:") {
			return cond{}, fmt.Errorf("header name %q is not valid", c.Name)
		}
		out.kind, out.name = condHeader, textproto.CanonicalMIMEHeaderKey(c.Name)
		if out.name == "Host" {
			out.kind = condHost
		}
	case ConditionQueryParameter:
		if c.Name == "" {
			return cond{}, fmt.Errorf("query parameter name is empty")
		}
		out.kind, out.name = condQuery, c.Name
	case ConditionJWTClaim:
		f, ok := claimFields[c.Name]
		if !ok {
			return cond{}, fmt.Errorf("claim %q is not available to the gateway; it knows sub, consumerKey, keytype and the http://wso2.org/claims/ enduser, client_id, applicationid, applicationname, subscriber, applicationtier, tier and keytype claims", c.Name)
		}
		out.kind, out.claim = condClaim, f
	default:
		return cond{}, fmt.Errorf("condition type %q is not supported", c.Type)
	}
	return out, err
}

// claimValue returns the auth context field f.
func claimValue(info *RequestInfo, f claimField) string {
	a := &info.Auth
	switch f {
	case claimUsername:
		return a.Username
	case claimConsumerKey:
		return a.ConsumerKey
	case claimApplicationID:
		return a.ApplicationID
	case claimApplicationName:
		return a.ApplicationName
	case claimApplicationOwner:
		return a.ApplicationOwner
	case claimApplicationTier:
		return a.ApplicationTier
	case claimSubscriptionTier:
		return a.SubscriptionTier
	case claimKeyType:
		return info.KeyType
	}
	return ""
}
