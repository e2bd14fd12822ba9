package policy

import (
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// groupsFromAdmin converts an advanced policy's conditional groups, or says
// why it cannot. Unknown condition or limit types are errors, never
// dropped: a gateway that ignored a condition would throttle differently
// from the API Manager.
func groupsFromAdmin(in []apim.ConditionalGroup) ([]ConditionalGroup, string) {
	var out []ConditionalGroup
	for gi, g := range in {
		cg := ConditionalGroup{Description: g.Description}
		if g.Limit == nil {
			return nil, fmt.Sprintf("conditional group %d has no limit; fix the policy in the Admin portal", gi+1)
		}
		l, err := limitFromAdmin(*g.Limit)
		if err != "" {
			return nil, fmt.Sprintf("conditional group %d: limit.%s", gi+1, err)
		}
		cg.Limit = l
		for ci, c := range g.Conditions {
			cc, err := conditionFromAdmin(c)
			if err != "" {
				return nil, fmt.Sprintf("conditional group %d, condition %d: %s", gi+1, ci+1, err)
			}
			cg.Conditions = append(cg.Conditions, cc)
		}
		out = append(out, cg)
	}
	return out, ""
}

// conditionFromAdmin converts one ThrottleCondition.
func conditionFromAdmin(c apim.ThrottleCondition) (Condition, string) {
	out := Condition{Invert: c.InvertCondition}
	switch c.Type {
	case apim.ConditionHeader:
		out.Type, out.Name, out.Value = ConditionHeader, c.HeaderName, c.HeaderValue
	case apim.ConditionQueryParam:
		out.Type, out.Name, out.Value = ConditionQueryParameter, c.ParameterName, c.ParameterValue
	case apim.ConditionJWTClaims:
		out.Type, out.Name, out.Value = ConditionJWTClaim, c.ClaimURL, c.Attribute
	case apim.ConditionIP:
		switch c.IPConditionType {
		case apim.IPSpecific, "":
			out.Type, out.IP = ConditionIP, strings.TrimSpace(c.SpecificIP)
		case apim.IPRange:
			out.Type, out.StartingIP, out.EndingIP = ConditionIPRange, strings.TrimSpace(c.StartingIP), strings.TrimSpace(c.EndingIP)
		default:
			return Condition{}, fmt.Sprintf("IPCondition ipConditionType %q is not supported; mgw supports %s and %s", c.IPConditionType, apim.IPSpecific, apim.IPRange)
		}
	default:
		return Condition{}, fmt.Sprintf("condition type %q is not supported; mgw supports %s, %s, %s and %s",
			c.Type, apim.ConditionHeader, apim.ConditionIP, apim.ConditionQueryParam, apim.ConditionJWTClaims)
	}
	return out, ""
}
