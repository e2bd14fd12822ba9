package apimsim

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// The simulator keeps one catalog in the 2.6 form (the fixtures' format)
// and renders it in the 3.x and 4.x payload shapes when it serves those
// versions; this file holds that rendering.

// modernAPIInfo is the v1/v4 APIInfo list item. Unset fields are null.
type modernAPIInfo struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Description     *string  `json:"description"`
	Context         string   `json:"context"`
	Version         string   `json:"version"`
	Provider        string   `json:"provider"`
	Type            string   `json:"type"`
	LifeCycleStatus string   `json:"lifeCycleStatus"`
	WorkflowStatus  *string  `json:"workflowStatus"`
	HasThumbnail    bool     `json:"hasThumbnail"`
	SecurityScheme  []string `json:"securityScheme"`
}

// modernList is the v1/v4 APIList.
type modernList struct {
	Count      int                   `json:"count"`
	List       []modernAPIInfo       `json:"list"`
	Pagination apim.ModernPagination `json:"pagination"`
}

// modernAPI is the v1/v4 API DTO with the fields the simulator fills.
type modernAPI struct {
	ID                  string                    `json:"id"`
	Name                string                    `json:"name"`
	Description         *string                   `json:"description"`
	Context             string                    `json:"context"`
	Version             string                    `json:"version"`
	Provider            string                    `json:"provider"`
	LifeCycleStatus     string                    `json:"lifeCycleStatus"`
	IsDefaultVersion    bool                      `json:"isDefaultVersion"`
	*revisionInfo                                 // 4.x only: v1's API has no revisions
	Type                string                    `json:"type"`
	Transport           []string                  `json:"transport"`
	Tags                []string                  `json:"tags"`
	Policies            []string                  `json:"policies"`
	APIThrottlingPolicy *string                   `json:"apiThrottlingPolicy"`
	AuthorizationHeader *string                   `json:"authorizationHeader"`
	SecurityScheme      []string                  `json:"securityScheme"`
	MaxTPS              *apim.MaxTPS              `json:"maxTps"`
	Visibility          string                    `json:"visibility"`
	VisibleRoles        []string                  `json:"visibleRoles"`
	GatewayEnvironments []string                  `json:"gatewayEnvironments,omitempty"`
	EndpointSecurity    *endpointSecurity3        `json:"endpointSecurity,omitempty"`
	Labels              json.RawMessage           `json:"labels,omitempty"`
	EndpointConfig      json.RawMessage           `json:"endpointConfig"`
	BusinessInformation *apim.BusinessInformation `json:"businessInformation"`
	CORSConfiguration   *apim.CORSConfiguration   `json:"corsConfiguration"`
}

// revisionInfo is what Publisher v4's API says about revisions: an API
// that is no revision has isRevision false, revisionedApiId null and
// revisionId 0.
type revisionInfo struct {
	IsRevision      bool    `json:"isRevision"`
	RevisionedAPIID *string `json:"revisionedApiId"`
	RevisionID      int     `json:"revisionId"`
}

// endpointSecurity3 is 3.x's APIEndpointSecurity (top level of the API;
// 4.x moved it into endpointConfig). The type is BASIC or DIGEST, as the
// definition's enum says; the password is never sent back.
type endpointSecurity3 struct {
	Type     string `json:"type"`
	Username string `json:"username"`
}

// infoOf renders an API as a v1/v4 list item.
func infoOf(a *apim.API) modernAPIInfo {
	return modernAPIInfo{ID: a.ID, Name: a.Name, Description: nullable(a.Description), Context: a.Context, Version: a.Version,
		Provider: a.Provider, Type: orHTTP(a.Type), LifeCycleStatus: a.Status, SecurityScheme: []string{"oauth2"}}
}

func orHTTP(t string) string {
	if t == "" {
		return "HTTP"
	}
	return t
}

// modernOf renders an API as the v1/v4 API DTO: the endpointConfig string
// becomes an object (a broken one stays a string, which a client must
// reject), 3.x labels are names, 4.x has revisions and no labels.
func modernOf(a *apim.API, v apim.Version, revision string) ([]byte, error) {
	m := modernAPI{ID: a.ID, Name: a.Name, Description: nullable(a.Description), Context: a.Context, Version: a.Version,
		Provider: a.Provider, LifeCycleStatus: a.Status, IsDefaultVersion: a.IsDefaultVersion, Type: orHTTP(a.Type),
		Transport: orEmpty(a.Transport), Tags: orEmpty(a.Tags), Policies: orEmpty(a.Tiers), APIThrottlingPolicy: a.APILevelPolicy,
		AuthorizationHeader: nullable(a.AuthorizationHeader), SecurityScheme: []string{"oauth2"}, MaxTPS: a.MaxTPS,
		Visibility: a.Visibility, VisibleRoles: orEmpty(a.VisibleRoles),
		BusinessInformation: a.BusinessInformation, CORSConfiguration: a.CORSConfiguration}
	if m.Visibility == "" {
		m.Visibility = "PUBLIC"
	}
	secInConfig := v == apim.V4
	if v == apim.V3 {
		m.GatewayEnvironments = []string{"Production and Sandbox"}
		if sec := a.EndpointSecurity; sec != nil && sec.Type != "" {
			m.EndpointSecurity = &endpointSecurity3{Type: strings.ToUpper(sec.Type), Username: sec.Username}
		}
		names := []string{}
		for _, l := range a.Labels {
			names = append(names, l.Name)
		}
		raw, err := json.Marshal(names)
		if err != nil {
			return nil, err
		}
		m.Labels = raw
	}
	if v == apim.V4 {
		m.revisionInfo = &revisionInfo{}
	}
	if revision != "" {
		m.ID, m.revisionInfo = revision, &revisionInfo{IsRevision: true, RevisionedAPIID: &a.ID, RevisionID: 1}
	}
	ec := strings.TrimSpace(a.EndpointConfig)
	switch {
	case ec == "":
		m.EndpointConfig = json.RawMessage("null")
	case json.Valid([]byte(ec)) && strings.HasPrefix(ec, "{"):
		sec := a.EndpointSecurity
		if !secInConfig {
			sec = nil
		}
		raw, err := withEndpointSecurity(ec, sec)
		if err != nil {
			return nil, err
		}
		m.EndpointConfig = raw
	default:
		raw, err := json.Marshal(ec)
		if err != nil {
			return nil, err
		}
		m.EndpointConfig = raw
	}
	return encodeJSON(m)
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// environmentsOf returns the 4.x gateway environments an API is deployed
// to: the names of its 2.6 labels, when it is published.
func environmentsOf(a *apim.API) []string {
	if !strings.EqualFold(a.Status, "PUBLISHED") {
		return nil
	}
	out := []string{}
	for _, l := range a.Labels {
		out = append(out, l.Name)
	}
	return out
}

// revisionID derives the UUID of an API's deployed revision.
func revisionID(apiID string) string {
	sum := sha1.Sum([]byte("revision-1\x00" + apiID))
	h := hex.EncodeToString(sum[:16])
	return fmt.Sprintf("%s-%s-5%s-8%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}

// deployment is the v4 APIRevisionDeployment.
type deployment struct {
	RevisionUUID        string  `json:"revisionUuid"`
	Name                string  `json:"name"`
	VHost               string  `json:"vhost"`
	DisplayOnDevportal  bool    `json:"displayOnDevportal"`
	DeployedTime        *string `json:"deployedTime"`
	SuccessDeployedTime *string `json:"successDeployedTime"`
}

// modernPolicyOf renders a 2.6 policy in the v1/v4 shape of version v;
// withGroups keeps the conditional groups (the single advanced policy), else
// they are left out as the list (AdvancedThrottlePolicyInfo) does. Only v4's
// ThrottlePolicy has the type member (ApplicationThrottlePolicy, ...).
func modernPolicyOf(p apim.ThrottlePolicy, level string, withGroups bool, v apim.Version) (apim.ModernPolicy, error) {
	m := apim.ModernPolicy{PolicyID: p.PolicyID, PolicyName: p.PolicyName, DisplayName: p.DisplayName, Description: p.Description,
		IsDeployed: p.IsDeployed, RateLimitCount: p.RateLimitCount, RateLimitTimeUnit: p.RateLimitTimeUnit,
		CustomAttributes: p.CustomAttributes, StopOnQuotaReach: p.StopOnQuotaReach, BillingPlan: p.BillingPlan}
	switch {
	case v != apim.V4:
	case level == levelApplication:
		m.Type = "ApplicationThrottlePolicy"
	case level == levelSubscription:
		m.Type = "SubscriptionThrottlePolicy"
	default:
		m.Type = "AdvancedThrottlePolicy"
	}
	if p.DefaultLimit != nil {
		l, err := modernLimitOf(*p.DefaultLimit)
		if err != nil {
			return m, fmt.Errorf("policy %q: %w", p.PolicyName, err)
		}
		m.DefaultLimit = &l
	}
	if !withGroups {
		return m, nil
	}
	for _, g := range p.ConditionalGroups {
		mg := apim.ModernConditionalGroup{Description: g.Description, Conditions: []apim.ModernThrottleCondition{}}
		if g.Limit != nil {
			l, err := modernLimitOf(*g.Limit)
			if err != nil {
				return m, fmt.Errorf("policy %q: %w", p.PolicyName, err)
			}
			mg.Limit = &l
		}
		for _, c := range g.Conditions {
			mc, err := modernConditionOf(c)
			if err != nil {
				return m, fmt.Errorf("policy %q: %w", p.PolicyName, err)
			}
			mg.Conditions = append(mg.Conditions, mc)
		}
		m.ConditionalGroups = append(m.ConditionalGroups, mg)
	}
	return m, nil
}

func modernLimitOf(l apim.ThrottleLimit) (apim.ModernThrottleLimit, error) {
	switch l.Type {
	case "RequestCountLimit":
		return apim.ModernThrottleLimit{Type: apim.LimitRequestCount,
			RequestCount: &apim.ModernCountLimit{TimeUnit: l.TimeUnit, UnitTime: l.UnitTime, RequestCount: l.RequestCount}}, nil
	case "BandwidthLimit":
		return apim.ModernThrottleLimit{Type: apim.LimitBandwidth,
			Bandwidth: &apim.ModernBandwidth{TimeUnit: l.TimeUnit, UnitTime: l.UnitTime, DataAmount: l.DataAmount, DataUnit: l.DataUnit}}, nil
	}
	return apim.ModernThrottleLimit{}, fmt.Errorf("limit type %q has no 3.x/4.x form", l.Type)
}

func modernConditionOf(c apim.ThrottleCondition) (apim.ModernThrottleCondition, error) {
	m := apim.ModernThrottleCondition{InvertCondition: c.InvertCondition}
	switch c.Type {
	case apim.ConditionHeader:
		m.Type, m.HeaderCondition = apim.ModernHeader, &apim.ModernHeaderCondition{HeaderName: c.HeaderName, HeaderValue: c.HeaderValue}
	case apim.ConditionIP:
		t := "IPSPECIFIC"
		if c.IPConditionType == apim.IPRange {
			t = "IPRANGE"
		}
		m.Type, m.IPCondition = apim.ModernIP, &apim.ModernIPCondition{IPConditionType: t, SpecificIP: c.SpecificIP, StartingIP: c.StartingIP, EndingIP: c.EndingIP}
	case apim.ConditionJWTClaims:
		m.Type, m.JWTClaimsCondition = apim.ModernJWTClaims, &apim.ModernJWTCondition{ClaimURL: c.ClaimURL, Attribute: c.Attribute}
	case apim.ConditionQueryParam:
		m.Type, m.QueryParameterCondition = apim.ModernQueryParam, &apim.ModernQueryCondition{ParameterName: c.ParameterName, ParameterValue: c.ParameterValue}
	default:
		return m, fmt.Errorf("condition type %q has no 3.x/4.x form", c.Type)
	}
	return m, nil
}

// withEndpointSecurity moves 2.6's endpointSecurity into the endpointConfig
// object, where 3.x and 4.x keep it (endpoint_security, one entry per key
// type; the password is never sent back).
func withEndpointSecurity(ec string, sec *apim.EndpointSecurity) (json.RawMessage, error) {
	if sec == nil || sec.Type == "" {
		return json.RawMessage(ec), nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal([]byte(ec), &obj); err != nil {
		return nil, err
	}
	cred := map[string]any{"enabled": true, "type": strings.ToUpper(sec.Type), "username": sec.Username, "password": nil}
	raw, err := json.Marshal(map[string]any{"production": cred, "sandbox": cred})
	if err != nil {
		return nil, err
	}
	obj["endpoint_security"] = raw
	return encodeJSON(obj)
}
