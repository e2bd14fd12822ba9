// Package gateway is the runtime every generated gateway imports. It holds
// the typed model of one label (Spec) that code generation renders as Go
// literals, and the data plane that serves it.
//
// Its source travels inside the mgw binary and is compiled offline into
// every gateway; the third-party modules it imports travel with it as
// module zips (internal/runtimedeps) and are vendored into each build.
package gateway

import "github.com/mgwio/mgw/pkg/gateway/intercept"

// Spec is the compiled-in description of one label: its APIs, the throttling
// policies they may reference and the label's default configuration.
type Spec struct {
	// Label is the API Manager label the gateway serves.
	Label string
	// MgwVersion is the version of mgw that generated the gateway.
	MgwVersion string
	// APIs are the label's APIs, sorted by name then version.
	APIs []API
	// Policies are the throttling policies of the label.
	Policies Policies
	// Blocking are the label's enabled blocking conditions: requests that
	// match any of them are refused with 403, fault 900805, before they
	// count against any quota.
	Blocking []BlockingCondition
	// DefaultConfig is the YAML text of labels/<label>/gateway.yaml, the
	// compiled-in defaults that a config file and MGW_* variables override.
	DefaultConfig string
	// Interceptors returns the Go interceptors the gateway was built with,
	// by the names APIs and resources use; nil means none. The generated
	// main sets it. It is a function so that encoders that skip function
	// fields (gob, the literal writer when nil) still handle a Spec.
	Interceptors func() intercept.Set `json:"-"`
}

// API is one published API of the label.
type API struct {
	// Name and Version identify the API as the API Manager knows it.
	Name    string
	Version string
	// Context is the API's context without the version, e.g. "/petstore".
	Context string
	// BasePath is where the API is served: the context plus "/<version>"
	// unless the context already carries the version (MGW 3.x basePath).
	BasePath string
	// IsDefaultVersion makes the API answer at Context as well.
	IsDefaultVersion bool
	// Provider is the API's publisher (analytics, subscriptions).
	Provider string
	// AuthHeader is the request header that carries credentials; empty
	// means the configured default ("Authorization").
	AuthHeader string
	// Transports lists "http" and/or "https"; empty means both.
	Transports []string
	// Production and Sandbox are the API's backends; either may be nil.
	Production *Endpoint
	Sandbox    *Endpoint
	// CORS is the API's CORS configuration; nil means the gateway default.
	CORS *CORS
	// ThrottlingTier is the API-level (advanced) policy name, if any.
	ThrottlingTier string
	// SubscriptionTiers are the subscription policies the API Manager
	// offers for the API (its "tiers"); mgw build checks that each is a
	// policy of the label.
	SubscriptionTiers []string
	// SecurityTypes lists accepted credentials: "oauth2", "basic_auth",
	// "api_key". Empty means oauth2 (JWT and opaque tokens).
	SecurityTypes []string
	// DisableSecurity turns authentication off for every resource.
	DisableSecurity bool
	// RequestInterceptor and ResponseInterceptor name the interceptors
	// (x-wso2-request-interceptor, x-wso2-response-interceptor) of every
	// resource that names none of its own.
	RequestInterceptor  string
	ResponseInterceptor string
	// OptionalSecurity (x-wso2-application-security optional: true) lets
	// a request that presents no credentials at all through as anonymous,
	// throttled like a resource without security (the Unauthenticated
	// policy, per client IP); credentials that are presented must be
	// valid, and resources with scopes still need them.
	OptionalSecurity bool
	// Resources are the API's operations, sorted by path then method.
	Resources []Resource
	// Schemas are the compiled schemas the resources' Validation refer to
	// (validation_spec.go).
	Schemas []Schema
}

// Resource is one operation of an API: a path template and a method.
type Resource struct {
	// Path is the OpenAPI path template relative to the API's base path,
	// e.g. "/pet/{petId}".
	Path string
	// Method is the upper-case HTTP method.
	Method string
	// OperationID is the OpenAPI operationId, if any.
	OperationID string
	// AuthType is the API Manager's x-auth-type ("None" disables security).
	AuthType string
	// DisableSecurity skips authentication for this resource.
	DisableSecurity bool
	// Scopes must all be granted by the token to call the resource.
	Scopes []string
	// ThrottlingTier is the resource-level (advanced) policy name, if any.
	ThrottlingTier string
	// Production and Sandbox override the API's endpoints when set.
	Production *Endpoint
	Sandbox    *Endpoint
	// Validation holds the operation's compiled schemas; nil when it has
	// none.
	Validation *Validation
	// RequestInterceptor and ResponseInterceptor name the resource's
	// interceptors; they replace the API's.
	RequestInterceptor  string
	ResponseInterceptor string
}

// Secured reports whether requests to the resource must authenticate.
func (a *API) Secured(r *Resource) bool {
	if a.DisableSecurity || r.DisableSecurity {
		return false
	}
	return r.AuthType != "None"
}

// Endpoint kinds, as the API Manager's endpointConfig names them.
const (
	EndpointHTTP        = "http"
	EndpointLoadBalance = "load_balance"
	EndpointFailover    = "failover"
)

// Endpoint is a backend: one URL, or several balanced or failed over.
type Endpoint struct {
	// Type is EndpointHTTP, EndpointLoadBalance or EndpointFailover.
	Type string
	// URLs are the backend base URLs; for failover the primary comes first.
	URLs []string
	// BasicAuthUsername, when set, makes the gateway send HTTP basic
	// credentials to the backend; the password comes from deploy-time
	// configuration, never from the workspace.
	BasicAuthUsername string
	// TimeoutMillis bounds the backend response time; 0 means the default.
	TimeoutMillis int
}

// CORS is an API's cross-origin resource sharing configuration.
type CORS struct {
	Enabled          bool
	AllowOrigins     []string
	AllowMethods     []string
	AllowHeaders     []string
	ExposeHeaders    []string
	AllowCredentials bool
	MaxAgeSeconds    int
}

// Policies are a label's throttling policies by level.
type Policies struct {
	Application  []Policy
	Subscription []Policy
	Advanced     []Policy
}

// Limit types of a policy.
const (
	LimitRequestCount = "requestCount"
	LimitBandwidth    = "bandwidth"
)

// Policy is one throttling policy. Limits apply over UnitTime × TimeUnit in
// fixed windows aligned to the Unix epoch.
type Policy struct {
	// Name is the policy name APIs and tokens refer to.
	Name string
	// LimitType is LimitRequestCount or LimitBandwidth.
	LimitType string
	// RequestCount is the number of requests allowed per window.
	RequestCount int64
	// DataAmount and DataUnit ("KB", "MB", "GB") bound bytes per window.
	DataAmount int64
	DataUnit   string
	// UnitTime and TimeUnit ("sec", "min", "hour", "day", "week", "month",
	// "year") size the window.
	UnitTime int64
	TimeUnit string
	// RateLimitCount per RateLimitTimeUnit ("sec", "min") is the spike
	// arrest of a subscription policy; 0 means none.
	RateLimitCount    int64
	RateLimitTimeUnit string
	// StopOnQuotaReach rejects requests over quota; when false they pass and
	// are marked throttled-out for analytics.
	StopOnQuotaReach bool
	// Unlimited marks the built-in policy that is never counted.
	Unlimited bool
	// ConditionalGroups are an advanced policy's limits for requests
	// matching all of a group's conditions. A request counts against every
	// group it matches, and against the policy's own limit only when it
	// matches none.
	ConditionalGroups []ConditionalGroup
}

// ConditionalGroup is one conditional limit of an advanced policy; the
// limit fields mean what Policy's do.
type ConditionalGroup struct {
	Conditions   []Condition
	LimitType    string
	RequestCount int64
	DataAmount   int64
	DataUnit     string
	UnitTime     int64
	TimeUnit     string
}

// Condition types of a ConditionalGroup.
const (
	ConditionIP             = "ip"
	ConditionIPRange        = "ipRange"
	ConditionHeader         = "header"
	ConditionQueryParameter = "queryParameter"
	ConditionJWTClaim       = "jwtClaim"
)

// Condition tests a request: the client IP equals IP (ConditionIP) or lies
// in StartingIP..EndingIP (ConditionIPRange); header, query parameter or
// token claim Name has the value Value. Invert negates the result.
type Condition struct {
	Type       string
	Invert     bool
	IP         string
	StartingIP string
	EndingIP   string
	Name       string
	Value      string
}
