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
	// pair is "name=value" for query conditions that can match a query
	// without escapes literally; "" sends them to the decoding scan.
	pair string
	// noPlain marks query conditions no unescaped query can satisfy.
	noPlain bool
	// slot is the header or query condition's place in its policy's
	// condIndex; -1 for other kinds.
	slot int
}

// reqView is what conditions read from one request, worked out once.
type reqView struct {
	r     *http.Request
	info  *RequestInfo
	ip    netip.Addr // unmapped
	plain int8       // the raw query has no escapes: 0 unknown, 1 yes, -1 no
	// hits are the header and query conditions of the policy being
	// checked that hold, by slot (condIndex.fill); nil tests each one.
	hits []bool
}

// queryPlain reports whether the raw query has no escapes, so that pairs
// compare literally.
func (v *reqView) queryPlain() bool {
	if v.plain == 0 {
		v.plain = 1
		raw := v.r.URL.RawQuery
		for i := 0; i < len(raw); i++ {
			if c := raw[i]; c == '%' || c == '+' || c == ';' {
				v.plain = -1
				break
			}
		}
	}
	return v.plain > 0
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
	out := cond{invert: c.Invert, value: c.Value, slot: -1}
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
		out.noPlain = strings.ContainsAny(c.Name, "&=%+;") || strings.ContainsAny(c.Value, "&%+;")
		if c.Value != "" && !out.noPlain {
			out.pair = c.Name + "=" + c.Value
		}
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

// matches reports whether every condition of g holds for the request.
func (g *condGroup) matches(v *reqView) bool {
	for i := range g.conds {
		if !g.conds[i].holds(v) {
			return false
		}
	}
	return true
}

// holds evaluates one condition, inversion included.
func (c *cond) holds(v *reqView) bool {
	var ok bool
	switch c.kind {
	case condIP:
		ok = v.ip == c.lo
	case condIPRange:
		ok = v.ip.IsValid() && c.lo.Compare(v.ip) <= 0 && v.ip.Compare(c.hi) <= 0
	case condHeader:
		if v.hits != nil {
			ok = v.hits[c.slot]
			break
		}
		for _, hv := range v.r.Header[c.name] {
			if hv == c.value {
				ok = true
				break
			}
		}
	case condHost:
		ok = v.r.Host == c.value
	case condQuery:
		ok = c.queryHolds(v)
	case condClaim:
		ok = v.info.Auth.Authenticated && claimValue(v.info, c.claim) == c.value
	}
	return ok != c.invert
}

// queryHolds tests a query condition: a literal search when the query has
// no escapes, else the decoding scan.
func (c *cond) queryHolds(v *reqView) bool {
	raw := v.r.URL.RawQuery
	plain := v.queryPlain()
	switch {
	case plain && v.hits != nil:
		return v.hits[c.slot]
	case !plain || (c.pair == "" && !c.noPlain):
		return queryHas(raw, c.name, c.value)
	case c.noPlain:
		return false
	}
	return pairAt(raw, c.pair)
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
