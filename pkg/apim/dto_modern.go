package apim

import (
	"encoding/json"
	"strings"
)

// The types in this file mirror the API Manager 3.x and 4.x REST payloads
// (Publisher and Admin v1 and v4; see the definitions and SOURCES.md in
// internal/apimsim/testdata). Both lines share these shapes for what mgw
// reads. Client maps them into API and ThrottlePolicy, the 2.6 model.

// ModernAPIList is the Publisher's answer to GET /apis (v1, v4): the items
// are APIInfo objects and the paging links sit inside pagination.
type ModernAPIList struct {
	Count      int               `json:"count"`
	List       []ModernAPIInfo   `json:"list"`
	Pagination *ModernPagination `json:"pagination,omitempty"`
}

// ModernPagination is the v1/v4 paging block.
type ModernPagination struct {
	Offset   int    `json:"offset"`
	Limit    int    `json:"limit"`
	Total    int    `json:"total"`
	Next     string `json:"next,omitempty"`
	Previous string `json:"previous,omitempty"`
}

// ModernAPIInfo is one item of a v1/v4 API list (#/components/schemas/APIInfo).
type ModernAPIInfo struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Description     string `json:"description,omitempty"`
	Context         string `json:"context"`
	Version         string `json:"version"`
	Provider        string `json:"provider,omitempty"`
	Type            string `json:"type,omitempty"`
	LifeCycleStatus string `json:"lifeCycleStatus,omitempty"`
}

// ModernAPI is the v1/v4 API DTO (#/components/schemas/API) with the fields
// mgw maps. EndpointConfig is a JSON object (a string in 2.6); labels,
// gateway environments and additional properties changed shape between
// 3.x and 4.x and are kept raw.
type ModernAPI struct {
	ID                  string          `json:"id,omitempty"`
	Name                string          `json:"name"`
	Description         string          `json:"description,omitempty"`
	Context             string          `json:"context"`
	Version             string          `json:"version"`
	Provider            string          `json:"provider,omitempty"`
	LifeCycleStatus     string          `json:"lifeCycleStatus,omitempty"`
	Type                string          `json:"type,omitempty"`
	Transport           []string        `json:"transport,omitempty"`
	Tags                []string        `json:"tags,omitempty"`
	Policies            []string        `json:"policies,omitempty"`
	APIThrottlingPolicy *string         `json:"apiThrottlingPolicy,omitempty"`
	AuthorizationHeader string          `json:"authorizationHeader,omitempty"`
	SecurityScheme      []string        `json:"securityScheme,omitempty"`
	MaxTPS              *MaxTPS         `json:"maxTps,omitempty"`
	Visibility          string          `json:"visibility,omitempty"`
	VisibleRoles        []string        `json:"visibleRoles,omitempty"`
	IsDefaultVersion    bool            `json:"isDefaultVersion"`
	EndpointConfig      json.RawMessage `json:"endpointConfig,omitempty"`
	// EndpointSecurity is 3.x's backend credentials (4.x keeps them in
	// endpointConfig.endpoint_security).
	EndpointSecurity     *EndpointSecurity  `json:"endpointSecurity,omitempty"`
	GatewayEnvironments  []string           `json:"gatewayEnvironments,omitempty"`
	Labels               json.RawMessage    `json:"labels,omitempty"`
	AdditionalProperties json.RawMessage    `json:"additionalProperties,omitempty"`
	BusinessInformation  *BusinessInfoV1    `json:"businessInformation,omitempty"`
	CORSConfiguration    *CORSConfiguration `json:"corsConfiguration,omitempty"`
}

// BusinessInfoV1 is #/components/schemas/APIBusinessInformation of v1/v4.
type BusinessInfoV1 = BusinessInformation

// Deployment is one entry of GET /apis/{apiId}/deployments (Publisher v4,
// #/components/schemas/APIRevisionDeployment): revision RevisionUUID of the
// API is deployed to the gateway environment Name.
type Deployment struct {
	RevisionUUID        string `json:"revisionUuid"`
	Name                string `json:"name"`
	VHost               string `json:"vhost,omitempty"`
	DisplayOnDevportal  bool   `json:"displayOnDevportal"`
	DeployedTime        string `json:"deployedTime,omitempty"`
	SuccessDeployedTime string `json:"successDeployedTime,omitempty"`
	// Status is the deployment workflow's state (APPROVED, CREATED for a
	// deployment waiting for approval, REJECTED); empty on servers
	// without deployment workflows.
	Status string `json:"status,omitempty"`
}

// Live reports whether the revision is really deployed: its deployment
// was approved or needed no approval.
func (d Deployment) Live() bool {
	return d.Status == "" || strings.EqualFold(d.Status, "APPROVED")
}

// ModernThrottleLimit is the v1/v4 limit (#/definitions/ThrottleLimit): the
// type selects one of the nested limits.
type ModernThrottleLimit struct {
	Type         string             `json:"type"`
	RequestCount *ModernCountLimit  `json:"requestCount,omitempty"`
	Bandwidth    *ModernBandwidth   `json:"bandwidth,omitempty"`
	EventCount   *ModernEventsLimit `json:"eventCount,omitempty"`
}

// Limit types of ModernThrottleLimit.Type.
const (
	LimitRequestCount = "REQUESTCOUNTLIMIT"
	LimitBandwidth    = "BANDWIDTHLIMIT"
	LimitEventCount   = "EVENTCOUNTLIMIT"
	LimitAIAPIQuota   = "AIAPIQUOTALIMIT"
)

// ModernCountLimit is #/definitions/RequestCountLimit.
type ModernCountLimit struct {
	TimeUnit     string `json:"timeUnit"`
	UnitTime     int64  `json:"unitTime"`
	RequestCount int64  `json:"requestCount"`
}

// ModernBandwidth is #/definitions/BandwidthLimit.
type ModernBandwidth struct {
	TimeUnit   string `json:"timeUnit"`
	UnitTime   int64  `json:"unitTime"`
	DataAmount int64  `json:"dataAmount"`
	DataUnit   string `json:"dataUnit"`
}

// ModernEventsLimit is 4.x's #/components/schemas/EventCountLimit (streaming APIs).
type ModernEventsLimit struct {
	TimeUnit   string `json:"timeUnit"`
	UnitTime   int64  `json:"unitTime"`
	EventCount int64  `json:"eventCount"`
}

// ModernPolicy holds the fields of the v1/v4 application, subscription and
// advanced policies mgw reads.
type ModernPolicy struct {
	PolicyID          string                   `json:"policyId,omitempty"`
	PolicyName        string                   `json:"policyName"`
	DisplayName       string                   `json:"displayName,omitempty"`
	Description       string                   `json:"description,omitempty"`
	IsDeployed        bool                     `json:"isDeployed"`
	Type              string                   `json:"type,omitempty"`
	DefaultLimit      *ModernThrottleLimit     `json:"defaultLimit"`
	RateLimitCount    int64                    `json:"rateLimitCount,omitempty"`
	RateLimitTimeUnit *string                  `json:"rateLimitTimeUnit,omitempty"`
	CustomAttributes  []CustomAttribute        `json:"customAttributes,omitempty"`
	StopOnQuotaReach  *bool                    `json:"stopOnQuotaReach,omitempty"`
	BillingPlan       string                   `json:"billingPlan,omitempty"`
	ConditionalGroups []ModernConditionalGroup `json:"conditionalGroups,omitempty"`
}

// ModernConditionalGroup is #/definitions/ConditionalGroup of v1/v4.
type ModernConditionalGroup struct {
	Description string                    `json:"description,omitempty"`
	Conditions  []ModernThrottleCondition `json:"conditions"`
	Limit       *ModernThrottleLimit      `json:"limit"`
}

// Condition types of ModernThrottleCondition.Type.
const (
	ModernHeader     = "HEADERCONDITION"
	ModernIP         = "IPCONDITION"
	ModernJWTClaims  = "JWTCLAIMSCONDITION"
	ModernQueryParam = "QUERYPARAMETERCONDITION"
)

// ModernThrottleCondition is #/definitions/ThrottleCondition of v1/v4: the
// type selects one of the nested conditions.
type ModernThrottleCondition struct {
	Type                    string                 `json:"type"`
	InvertCondition         bool                   `json:"invertCondition"`
	HeaderCondition         *ModernHeaderCondition `json:"headerCondition,omitempty"`
	IPCondition             *ModernIPCondition     `json:"ipCondition,omitempty"`
	JWTClaimsCondition      *ModernJWTCondition    `json:"jwtClaimsCondition,omitempty"`
	QueryParameterCondition *ModernQueryCondition  `json:"queryParameterCondition,omitempty"`
}

// ModernHeaderCondition is #/definitions/HeaderCondition.
type ModernHeaderCondition struct {
	HeaderName  string `json:"headerName"`
	HeaderValue string `json:"headerValue"`
}

// ModernIPCondition is #/definitions/IPCondition; ipConditionType is
// IPSPECIFIC or IPRANGE.
type ModernIPCondition struct {
	IPConditionType string `json:"ipConditionType"`
	SpecificIP      string `json:"specificIP,omitempty"`
	StartingIP      string `json:"startingIP,omitempty"`
	EndingIP        string `json:"endingIP,omitempty"`
}

// ModernJWTCondition is #/definitions/JWTClaimsCondition.
type ModernJWTCondition struct {
	ClaimURL  string `json:"claimUrl"`
	Attribute string `json:"attribute"`
}

// ModernQueryCondition is #/definitions/QueryParameterCondition.
type ModernQueryCondition struct {
	ParameterName  string `json:"parameterName"`
	ParameterValue string `json:"parameterValue"`
}

// ModernPolicyList is the v1/v4 list of policies of one level.
type ModernPolicyList struct {
	Count int            `json:"count"`
	List  []ModernPolicy `json:"list"`
}
