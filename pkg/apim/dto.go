package apim

// The types in this file mirror the API Manager 2.6 REST payloads (Publisher
// and Admin v0.14; see apim-2.6-publisher-api-v0.14.yaml and
// apim-2.6-admin-api-v0.14.yaml). Field names follow the JSON exactly.

// APIList is the Publisher's answer to GET /apis. With expand=true each list
// item is a full API.
type APIList struct {
	Count      int         `json:"count"`
	Next       string      `json:"next"`
	Previous   string      `json:"previous"`
	List       []API       `json:"list"`
	Pagination *Pagination `json:"pagination,omitempty"`
}

// Pagination is the paging block of a list answer.
type Pagination struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
	Total  int `json:"total"`
}

// API is the Publisher's API DTO (#/definitions/API). APIDefinition and
// EndpointConfig are JSON documents carried as strings.
type API struct {
	ID                      string               `json:"id,omitempty"`
	Name                    string               `json:"name"`
	Description             string               `json:"description,omitempty"`
	Context                 string               `json:"context"`
	Version                 string               `json:"version"`
	Provider                string               `json:"provider,omitempty"`
	Status                  string               `json:"status,omitempty"`
	ThumbnailURI            string               `json:"thumbnailUri,omitempty"`
	APIDefinition           string               `json:"apiDefinition,omitempty"`
	WsdlURI                 *string              `json:"wsdlUri,omitempty"`
	ResponseCaching         string               `json:"responseCaching,omitempty"`
	CacheTimeout            int                  `json:"cacheTimeout,omitempty"`
	DestinationStatsEnabled *string              `json:"destinationStatsEnabled,omitempty"`
	IsDefaultVersion        bool                 `json:"isDefaultVersion"`
	Type                    string               `json:"type,omitempty"`
	Transport               []string             `json:"transport,omitempty"`
	Tags                    []string             `json:"tags,omitempty"`
	Tiers                   []string             `json:"tiers,omitempty"`
	APILevelPolicy          *string              `json:"apiLevelPolicy,omitempty"`
	AuthorizationHeader     string               `json:"authorizationHeader,omitempty"`
	MaxTPS                  *MaxTPS              `json:"maxTps,omitempty"`
	Visibility              string               `json:"visibility,omitempty"`
	VisibleRoles            []string             `json:"visibleRoles,omitempty"`
	VisibleTenants          []string             `json:"visibleTenants,omitempty"`
	EndpointConfig          string               `json:"endpointConfig,omitempty"`
	EndpointSecurity        *EndpointSecurity    `json:"endpointSecurity,omitempty"`
	GatewayEnvironments     string               `json:"gatewayEnvironments,omitempty"`
	Labels                  []Label              `json:"labels,omitempty"`
	Sequences               []Sequence           `json:"sequences,omitempty"`
	SubscriptionAvail       *string              `json:"subscriptionAvailability,omitempty"`
	SubscriptionAvailTenant []string             `json:"subscriptionAvailableTenants,omitempty"`
	AdditionalProperties    map[string]string    `json:"additionalProperties,omitempty"`
	AccessControl           string               `json:"accessControl,omitempty"`
	AccessControlRoles      []string             `json:"accessControlRoles,omitempty"`
	BusinessInformation     *BusinessInformation `json:"businessInformation,omitempty"`
	CORSConfiguration       *CORSConfiguration   `json:"corsConfiguration,omitempty"`
}

// MaxTPS is the API's backend throughput cap (#/definitions/APIMaxTps).
type MaxTPS struct {
	Production int64 `json:"production,omitempty"`
	Sandbox    int64 `json:"sandbox,omitempty"`
}

// EndpointSecurity is the API's backend credentials (#/definitions/APIEndpointSecurity).
// The API Manager 2.6 does not return the password; mgw never stores it.
type EndpointSecurity struct {
	Type     string `json:"type,omitempty"`
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
}

// Label is a gateway label (#/definitions/Label).
type Label struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// Sequence is a mediation sequence reference (#/definitions/Sequence).
type Sequence struct {
	Name   string `json:"name"`
	Type   string `json:"type,omitempty"`
	ID     string `json:"id,omitempty"`
	Shared bool   `json:"shared,omitempty"`
}

// BusinessInformation is #/definitions/APIBusinessInformation.
type BusinessInformation struct {
	BusinessOwner       string `json:"businessOwner,omitempty"`
	BusinessOwnerEmail  string `json:"businessOwnerEmail,omitempty"`
	TechnicalOwner      string `json:"technicalOwner,omitempty"`
	TechnicalOwnerEmail string `json:"technicalOwnerEmail,omitempty"`
}

// CORSConfiguration is #/definitions/APICorsConfiguration.
type CORSConfiguration struct {
	CORSConfigurationEnabled      bool     `json:"corsConfigurationEnabled"`
	AccessControlAllowOrigins     []string `json:"accessControlAllowOrigins"`
	AccessControlAllowCredentials bool     `json:"accessControlAllowCredentials"`
	AccessControlAllowHeaders     []string `json:"accessControlAllowHeaders"`
	AccessControlAllowMethods     []string `json:"accessControlAllowMethods"`
}

// EndpointConfig is the decoded form of API.EndpointConfig, the JSON string
// the Publisher stores. For "http" and "failover", production_endpoints and
// sandbox_endpoints are single objects; for "load_balance" they are arrays.
// Decode it with ParseEndpointConfig, which accepts both shapes.
type EndpointConfig struct {
	EndpointType        string        `json:"endpoint_type"`
	ProductionEndpoints []EndpointURL `json:"production_endpoints,omitempty"`
	SandboxEndpoints    []EndpointURL `json:"sandbox_endpoints,omitempty"`
	ProductionFailovers []EndpointURL `json:"production_failovers,omitempty"`
	SandboxFailovers    []EndpointURL `json:"sandbox_failovers,omitempty"`
	Algorithm           string        `json:"algoCombo,omitempty"`
}

// EndpointURL is one backend of an endpointConfig.
type EndpointURL struct {
	URL    string                 `json:"url"`
	Config map[string]interface{} `json:"config,omitempty"`
}

// ThrottleLimit is the Admin API's limit (#/definitions/ThrottleLimit):
// Type is "RequestCountLimit" or "BandwidthLimit".
type ThrottleLimit struct {
	Type         string `json:"type"`
	TimeUnit     string `json:"timeUnit"`
	UnitTime     int64  `json:"unitTime"`
	RequestCount int64  `json:"requestCount,omitempty"`
	DataAmount   int64  `json:"dataAmount,omitempty"`
	DataUnit     string `json:"dataUnit,omitempty"`
}

// ThrottlePolicy holds the fields common to every Admin API policy kind; the
// subscription-only fields are zero for application and advanced policies.
type ThrottlePolicy struct {
	PolicyID          string            `json:"policyId,omitempty"`
	PolicyName        string            `json:"policyName"`
	DisplayName       string            `json:"displayName,omitempty"`
	Description       string            `json:"description,omitempty"`
	IsDeployed        bool              `json:"isDeployed"`
	DefaultLimit      *ThrottleLimit    `json:"defaultLimit"`
	RateLimitCount    int64             `json:"rateLimitCount,omitempty"`
	RateLimitTimeUnit *string           `json:"rateLimitTimeUnit,omitempty"`
	CustomAttributes  []CustomAttribute `json:"customAttributes,omitempty"`
	StopOnQuotaReach  *bool             `json:"stopOnQuotaReach,omitempty"`
	BillingPlan       string            `json:"billingPlan,omitempty"`
	// ConditionalGroups are an advanced policy's extra limits
	// (#/definitions/AdvancedThrottlePolicy); the list endpoint leaves them
	// out, Client.AdvancedPolicy returns them.
	ConditionalGroups []ConditionalGroup `json:"conditionalGroups,omitempty"`
}

// ConditionalGroup is a limit applied to the requests matching every one of
// its conditions (#/definitions/ConditionalGroup).
type ConditionalGroup struct {
	Description string              `json:"description,omitempty"`
	Conditions  []ThrottleCondition `json:"conditions"`
	Limit       *ThrottleLimit      `json:"limit"`
}

// Throttle condition types (#/definitions/ThrottleCondition).
const (
	ConditionHeader     = "HeaderCondition"
	ConditionIP         = "IPCondition"
	ConditionJWTClaims  = "JWTClaimsCondition"
	ConditionQueryParam = "QueryParameterCondition"
)

// IP condition kinds of IPCondition.ipConditionType.
const (
	IPSpecific = "IPSpecific"
	IPRange    = "IPRange"
)

// ThrottleCondition is one condition of a conditional group; Type says
// which of the type-specific fields apply.
type ThrottleCondition struct {
	Type            string `json:"type"`
	InvertCondition bool   `json:"invertCondition"`
	// HeaderCondition.
	HeaderName  string `json:"headerName,omitempty"`
	HeaderValue string `json:"headerValue,omitempty"`
	// IPCondition.
	IPConditionType string `json:"ipConditionType,omitempty"`
	SpecificIP      string `json:"specificIP,omitempty"`
	StartingIP      string `json:"startingIP,omitempty"`
	EndingIP        string `json:"endingIP,omitempty"`
	// QueryParameterCondition.
	ParameterName  string `json:"parameterName,omitempty"`
	ParameterValue string `json:"parameterValue,omitempty"`
	// JWTClaimsCondition: ClaimURL names the claim, Attribute is the value.
	ClaimURL  string `json:"claimUrl,omitempty"`
	Attribute string `json:"attribute,omitempty"`
}

// CustomAttribute is a name/value pair of a subscription policy.
type CustomAttribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ThrottlePolicyList is the Admin API's list of policies of one level.
type ThrottlePolicyList struct {
	Count int              `json:"count"`
	List  []ThrottlePolicy `json:"list"`
}

// Error is the API Manager's error body (#/definitions/Error).
type Error struct {
	Code        int64           `json:"code"`
	Message     string          `json:"message"`
	Description string          `json:"description,omitempty"`
	MoreInfo    string          `json:"moreInfo,omitempty"`
	Errors      []ErrorListItem `json:"error,omitempty"`
}

// ErrorListItem is one entry of Error.Errors.
type ErrorListItem struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DCRRequest is the client-registration body the original CLI sends.
type DCRRequest struct {
	CallbackURL string `json:"callbackUrl"`
	ClientName  string `json:"clientName"`
	Owner       string `json:"owner"`
	GrantType   string `json:"grantType"`
	SaasApp     bool   `json:"saasApp"`
	TokenScope  string `json:"tokenScope"`
}

// DCRResponse is the OAuthApplicationInfo the registration endpoint returns.
type DCRResponse struct {
	ClientID          string   `json:"clientId"`
	ClientName        string   `json:"clientName"`
	CallBackURL       string   `json:"callBackURL"`
	ClientSecret      string   `json:"clientSecret"`
	IsSaasApplication FlexBool `json:"isSaasApplication"`
	AppOwner          string   `json:"appOwner"`
	JSONString        string   `json:"jsonString"`
}

// TokenResponse is the token endpoint's answer to a password grant.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Scope        string `json:"scope"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
}

// OAuthError is the token endpoint's error body.
type OAuthError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
}
