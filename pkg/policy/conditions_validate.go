package policy

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxConditionText bounds condition names and values.
const maxConditionText = 4096

// checkGroups validates a policy's conditional groups; only advanced
// policies may have them.
func checkGroups(level string, groups []ConditionalGroup, add func(msg string, field ...string)) {
	if len(groups) > 0 && level != LevelAdvanced {
		add("conditionalGroups apply only to advanced policies; remove them", "conditionalGroups")
		return
	}
	for gi, g := range groups {
		gadd := func(msg string, field ...string) {
			add(fmt.Sprintf("conditional group %d: %s", gi+1, msg), append([]string{"conditionalGroups", strconv.Itoa(gi)}, field...)...)
		}
		if !utf8.ValidString(g.Description) {
			gadd("description must be valid UTF-8 text", "description")
		}
		if len(g.Conditions) == 0 {
			gadd("conditions is empty; give at least one condition or remove the group", "conditions")
		}
		for ci, c := range g.Conditions {
			checkCondition(c, func(msg string, field ...string) {
				gadd(fmt.Sprintf("condition %d (%s): %s", ci+1, quoteType(c.Type), msg), append([]string{"conditions", strconv.Itoa(ci)}, field...)...)
			})
		}
		checkLimit(g.Limit, gadd)
	}
}

// checkIPRange validates startingIP and endingIP of a range condition:
// both addresses, of one family, in order.
func checkIPRange(startingIP, endingIP string, add func(msg string, field ...string)) {
	start, okS := checkIP(startingIP, "startingIP", add)
	end, okE := checkIP(endingIP, "endingIP", add)
	switch {
	case !okS || !okE:
	case start.Is4() != end.Is4():
		add("startingIP and endingIP must both be IPv4 or both IPv6", "endingIP")
	case end.Less(start):
		add(fmt.Sprintf("endingIP %s is before startingIP %s", end, start), "endingIP")
	}
}

// checkCondition validates one condition: its type, the fields the type
// needs, and no fields of another type.
func checkCondition(c Condition, add func(msg string, field ...string)) {
	var need, allowed []string
	switch c.Type {
	case ConditionIP:
		need = []string{"ip"}
		checkIP(c.IP, "ip", add)
	case ConditionIPRange:
		need = []string{"startingIP", "endingIP"}
		checkIPRange(c.StartingIP, c.EndingIP, add)
	case ConditionHeader:
		need = []string{"name"}
		allowed = []string{"value"}
		if c.Name != "" && !validHeaderName(c.Name) {
			add(fmt.Sprintf("header name %q is not a valid HTTP header name", c.Name), "name")
		}
	case ConditionQueryParameter, ConditionJWTClaim:
		need = []string{"name"}
		allowed = []string{"value"}
	case "":
		add(fmt.Sprintf("type is missing; use %s", orList(conditionTypes)), "type")
		return
	default:
		add(fmt.Sprintf("condition type %q is not supported; use %s", c.Type, orList(conditionTypes)), "type")
		return
	}
	fields := map[string]string{"ip": c.IP, "startingIP": c.StartingIP, "endingIP": c.EndingIP, "name": c.Name, "value": c.Value}
	for _, f := range []string{"ip", "startingIP", "endingIP", "name", "value"} {
		v := fields[f]
		switch {
		case contains(need, f) && v == "":
			add(f+" is missing", f)
		case !contains(need, f) && !contains(allowed, f) && v != "":
			add(fmt.Sprintf("%s does not apply to a %s condition; remove it", f, c.Type), f)
		case !utf8.ValidString(v) || len(v) > maxConditionText:
			add(fmt.Sprintf("%s must be valid UTF-8 text of at most %d bytes", f, maxConditionText), f)
		}
	}
}

// checkIP parses an IPv4 or IPv6 address without a zone.
func checkIP(s, field string, add func(msg string, field ...string)) (netip.Addr, bool) {
	if s == "" {
		return netip.Addr{}, false // reported as missing
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		add(fmt.Sprintf("%s %q is not an IP address; give one like 10.100.1.22 or 2001:db8::1", field, s), field)
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// validHeaderName reports whether s is an RFC 9110 token.
func validHeaderName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return s != ""
}

// quoteType shows a condition type in messages, safely.
func quoteType(t string) string {
	if t == "" {
		return "no type"
	}
	return strconv.Quote(t)
}
