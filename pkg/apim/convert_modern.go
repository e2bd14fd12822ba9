package apim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrEventLimit marks a 4.x policy whose limit counts events (streaming
// APIs) or AI API tokens (AIAPIQUOTALIMIT); mgw serves plain HTTP APIs
// only, so such policies are left out.
var ErrEventLimit = errors.New("the policy limits events of streaming APIs or tokens of AI APIs, which mgw does not serve")

// ToThrottlePolicy maps an Admin v1/v4 policy into the 2.6 model that
// pkg/policy reads: limit types REQUESTCOUNTLIMIT/BANDWIDTHLIMIT become
// RequestCountLimit/BandwidthLimit with the nested fields flattened, and
// conditions HEADERCONDITION, IPCONDITION (IPSPECIFIC, IPRANGE),
// JWTCLAIMSCONDITION and QUERYPARAMETERCONDITION their 2.6 forms. A policy
// with an event count limit is an ErrEventLimit error.
func ToThrottlePolicy(p ModernPolicy) (ThrottlePolicy, error) {
	out := ThrottlePolicy{
		PolicyID: p.PolicyID, PolicyName: p.PolicyName, DisplayName: p.DisplayName, Description: p.Description,
		IsDeployed: p.IsDeployed, RateLimitCount: p.RateLimitCount, RateLimitTimeUnit: p.RateLimitTimeUnit,
		CustomAttributes: p.CustomAttributes, StopOnQuotaReach: p.StopOnQuotaReach, BillingPlan: p.BillingPlan,
	}
	what := fmt.Sprintf("policy %q", p.PolicyName)
	if p.DefaultLimit == nil {
		return ThrottlePolicy{}, &DecodeError{What: what, Problem: "defaultLimit is missing"}
	}
	limit, err := toThrottleLimit(*p.DefaultLimit, what+" defaultLimit")
	if err != nil {
		return ThrottlePolicy{}, err
	}
	out.DefaultLimit = &limit
	for i, g := range p.ConditionalGroups {
		gwhat := fmt.Sprintf("%s conditional group %d", what, i+1)
		cg := ConditionalGroup{Description: g.Description, Conditions: make([]ThrottleCondition, 0, len(g.Conditions))}
		if g.Limit == nil {
			return ThrottlePolicy{}, &DecodeError{What: gwhat, Problem: "limit is missing"}
		}
		l, err := toThrottleLimit(*g.Limit, gwhat+" limit")
		if err != nil {
			return ThrottlePolicy{}, err
		}
		cg.Limit = &l
		for j, c := range g.Conditions {
			tc, err := toThrottleCondition(c, fmt.Sprintf("%s condition %d", gwhat, j+1))
			if err != nil {
				return ThrottlePolicy{}, err
			}
			cg.Conditions = append(cg.Conditions, tc)
		}
		out.ConditionalGroups = append(out.ConditionalGroups, cg)
	}
	return out, nil
}

func toThrottleLimit(l ModernThrottleLimit, what string) (ThrottleLimit, error) {
	switch strings.ToUpper(l.Type) {
	case LimitRequestCount:
		if l.RequestCount == nil {
			return ThrottleLimit{}, &DecodeError{What: what, Problem: "type is REQUESTCOUNTLIMIT but requestCount is missing"}
		}
		r := l.RequestCount
		return ThrottleLimit{Type: "RequestCountLimit", TimeUnit: r.TimeUnit, UnitTime: r.UnitTime, RequestCount: r.RequestCount}, nil
	case LimitBandwidth:
		if l.Bandwidth == nil {
			return ThrottleLimit{}, &DecodeError{What: what, Problem: "type is BANDWIDTHLIMIT but bandwidth is missing"}
		}
		b := l.Bandwidth
		return ThrottleLimit{Type: "BandwidthLimit", TimeUnit: b.TimeUnit, UnitTime: b.UnitTime, DataAmount: b.DataAmount, DataUnit: b.DataUnit}, nil
	case LimitEventCount, LimitAIAPIQuota:
		return ThrottleLimit{}, fmt.Errorf("%s: %w", what, ErrEventLimit)
	}
	return ThrottleLimit{}, &DecodeError{What: what, Problem: fmt.Sprintf("limit type %q is not one of REQUESTCOUNTLIMIT, BANDWIDTHLIMIT", l.Type)}
}

func toThrottleCondition(c ModernThrottleCondition, what string) (ThrottleCondition, error) {
	missing := func(field string) error {
		return &DecodeError{What: what, Problem: fmt.Sprintf("type is %s but %s is missing", c.Type, field)}
	}
	out := ThrottleCondition{InvertCondition: c.InvertCondition}
	switch strings.ToUpper(c.Type) {
	case ModernHeader:
		if c.HeaderCondition == nil {
			return out, missing("headerCondition")
		}
		out.Type, out.HeaderName, out.HeaderValue = ConditionHeader, c.HeaderCondition.HeaderName, c.HeaderCondition.HeaderValue
	case ModernIP:
		ip := c.IPCondition
		if ip == nil {
			return out, missing("ipCondition")
		}
		out.Type, out.SpecificIP, out.StartingIP, out.EndingIP = ConditionIP, ip.SpecificIP, ip.StartingIP, ip.EndingIP
		switch strings.ToUpper(ip.IPConditionType) {
		case "IPSPECIFIC":
			out.IPConditionType = IPSpecific
		case "IPRANGE":
			out.IPConditionType = IPRange
		default:
			return out, &DecodeError{What: what, Problem: fmt.Sprintf("ipConditionType %q is not IPSPECIFIC or IPRANGE", ip.IPConditionType)}
		}
	case ModernJWTClaims:
		if c.JWTClaimsCondition == nil {
			return out, missing("jwtClaimsCondition")
		}
		out.Type, out.ClaimURL, out.Attribute = ConditionJWTClaims, c.JWTClaimsCondition.ClaimURL, c.JWTClaimsCondition.Attribute
	case ModernQueryParam:
		if c.QueryParameterCondition == nil {
			return out, missing("queryParameterCondition")
		}
		q := c.QueryParameterCondition
		out.Type, out.ParameterName, out.ParameterValue = ConditionQueryParam, q.ParameterName, q.ParameterValue
	default:
		return out, &DecodeError{What: what, Problem: fmt.Sprintf("condition type %q is not one of HEADERCONDITION, IPCONDITION, JWTCLAIMSCONDITION, QUERYPARAMETERCONDITION", c.Type)}
	}
	return out, nil
}

// endpointSecurityV1 is the endpoint_security member of a v1/v4
// endpointConfig: one entry per key type.
type endpointSecurityV1 struct {
	Production *endpointCredV1 `json:"production"`
	Sandbox    *endpointCredV1 `json:"sandbox"`
}

type endpointCredV1 struct {
	Enabled  bool   `json:"enabled"`
	Type     string `json:"type"`
	Username string `json:"username"`
}

// ToAPI maps a Publisher v1/v4 API into the 2.6 model apidef reads:
// definition is the text of GET /apis/{apiId}/swagger, labels the label
// (3.x) or gateway environment (4.x) it was pulled for. The endpointConfig
// object becomes the JSON string 2.6 carries, without its endpoint_security
// member (which may hold a password); basic/digest backend credentials
// become EndpointSecurity (the user name only), as 3.x's top-level
// endpointSecurity does.
func ToAPI(m ModernAPI, definition string, labels []string) (API, error) {
	a := API{
		ID: m.ID, Name: m.Name, Description: m.Description, Context: m.Context, Version: m.Version,
		Provider: m.Provider, Status: m.LifeCycleStatus, APIDefinition: definition, IsDefaultVersion: m.IsDefaultVersion,
		Type: m.Type, Transport: m.Transport, Tags: m.Tags, Tiers: m.Policies, APILevelPolicy: m.APIThrottlingPolicy,
		AuthorizationHeader: m.AuthorizationHeader, MaxTPS: m.MaxTPS, Visibility: m.Visibility, VisibleRoles: m.VisibleRoles,
		BusinessInformation: m.BusinessInformation, CORSConfiguration: m.CORSConfiguration,
		GatewayEnvironments: strings.Join(m.GatewayEnvironments, ","),
	}
	for _, l := range labels {
		a.Labels = append(a.Labels, Label{Name: l})
	}
	if sec := m.EndpointSecurity; sec != nil && sec.Type != "" {
		a.EndpointSecurity = &EndpointSecurity{Type: strings.ToLower(sec.Type), Username: sec.Username}
	}
	ec := bytes.TrimSpace(m.EndpointConfig)
	if len(ec) == 0 || string(ec) == "null" {
		return a, nil
	}
	var obj map[string]json.RawMessage
	if err := decodeObject(ec, "endpointConfig", &obj); err != nil {
		return API{}, fmt.Errorf("%s: %w", apiLabel([2]string{m.Name, m.Version}, ""), err)
	}
	if raw, ok := obj["endpoint_security"]; ok {
		var sec endpointSecurityV1
		if json.Unmarshal(raw, &sec) == nil {
			for _, cred := range []*endpointCredV1{sec.Production, sec.Sandbox} {
				if cred != nil && cred.Enabled && cred.Type != "" {
					a.EndpointSecurity = &EndpointSecurity{Type: strings.ToLower(cred.Type), Username: cred.Username}
					break
				}
			}
		}
		delete(obj, "endpoint_security")
	}
	// JSON decoders match member names without regard to case, so a
	// differently cased copy could carry credentials just as well.
	for k := range obj {
		if strings.EqualFold(k, "endpoint_security") {
			delete(obj, k)
		}
	}
	text, err := json.Marshal(obj)
	if err != nil {
		return API{}, fmt.Errorf("%s: encode endpointConfig: %w", apiLabel([2]string{m.Name, m.Version}, ""), err)
	}
	a.EndpointConfig = string(text)
	return a, nil
}
