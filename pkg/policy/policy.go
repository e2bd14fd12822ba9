// Package policy holds a label's throttling policies as the workspace
// stores them (labels/<label>/policies.yaml): application, subscription and
// advanced (API and resource) policies with request-count or bandwidth
// limits, the advanced policies' conditional groups (a limit for the
// requests matching IP, IP range, header, query parameter or JWT claim
// conditions) and the blocking conditions that refuse requests outright
// (the README shows the format). It converts them from the API Manager's Admin API and from the
// MGW 3.x policies.yaml, and to the gateway's runtime model.
package policy

// Policy levels, the keys of policies.yaml.
const (
	LevelApplication  = "application"
	LevelSubscription = "subscription"
	LevelAdvanced     = "advanced"
)

// Limit types.
const (
	LimitRequestCount = "requestCount"
	LimitBandwidth    = "bandwidth"
)

// UnlimitedName is the built-in policy that never throttles. It exists at
// every level whether or not a file lists it; names match it regardless of
// case.
const UnlimitedName = "Unlimited"

// File is the content of policies.yaml.
type File struct {
	Application  []Policy `yaml:"application,omitempty"`
	Subscription []Policy `yaml:"subscription,omitempty"`
	Advanced     []Policy `yaml:"advanced,omitempty"`
	// Blocking are the API Manager's blocking conditions.
	Blocking []BlockingCondition `yaml:"blocking,omitempty"`
}

// Policy is one throttling policy.
type Policy struct {
	// Name is what APIs, subscriptions and tokens refer to.
	Name        string `yaml:"name"`
	DisplayName string `yaml:"displayName,omitempty"`
	Description string `yaml:"description,omitempty"`
	// Limit is the quota per time window.
	Limit Limit `yaml:"limit"`
	// RateLimitCount requests per RateLimitTimeUnit ("sec" or "min") is a
	// subscription policy's burst control; 0 means none.
	RateLimitCount    int64  `yaml:"rateLimitCount,omitempty"`
	RateLimitTimeUnit string `yaml:"rateLimitTimeUnit,omitempty"`
	// StopOnQuotaReach rejects requests over quota (application and
	// subscription policies); nil means true.
	StopOnQuotaReach *bool `yaml:"stopOnQuotaReach,omitempty"`
	// BillingPlan is a subscription policy's "FREE" or "COMMERCIAL".
	BillingPlan string `yaml:"billingPlan,omitempty"`
	// CustomAttributes are a subscription policy's name/value pairs.
	CustomAttributes map[string]string `yaml:"customAttributes,omitempty"`
	// ConditionalGroups are an advanced policy's limits for requests
	// matching conditions. As in API Manager 2.x, a request counts against
	// every group it matches (any one over quota rejects it) and against
	// Limit only when it matches none.
	ConditionalGroups []ConditionalGroup `yaml:"conditionalGroups,omitempty"`
}

// Limit is a quota: RequestCount requests (type requestCount) or
// DataAmount DataUnit bytes (type bandwidth) per UnitTime TimeUnit.
type Limit struct {
	// Type is LimitRequestCount or LimitBandwidth.
	Type         string `yaml:"type"`
	RequestCount int64  `yaml:"requestCount,omitempty"`
	DataAmount   int64  `yaml:"dataAmount,omitempty"`
	// DataUnit is "KB", "MB" or "GB".
	DataUnit string `yaml:"dataUnit,omitempty"`
	UnitTime int64  `yaml:"unitTime"`
	// TimeUnit is "sec", "min", "hour", "day", "week", "month" or "year".
	TimeUnit string `yaml:"timeUnit"`
}

// levels lists the levels in file order with their policies.
func (f *File) levels() []struct {
	name     string
	policies *[]Policy
} {
	return []struct {
		name     string
		policies *[]Policy
	}{
		{LevelApplication, &f.Application},
		{LevelSubscription, &f.Subscription},
		{LevelAdvanced, &f.Advanced},
	}
}

// level returns the policies of a level, nil for an unknown level.
func (f File) level(name string) []Policy {
	switch name {
	case LevelApplication:
		return f.Application
	case LevelSubscription:
		return f.Subscription
	case LevelAdvanced:
		return f.Advanced
	}
	return nil
}
