package policy

// Condition types of policies.yaml; each maps to one Admin API
// ThrottleCondition type (IPCondition splits into ip and ipRange).
const (
	// ConditionIP matches the client IP equal to IP (IPCondition, IPSpecific).
	ConditionIP = "ip"
	// ConditionIPRange matches a client IP from StartingIP to EndingIP,
	// both included (IPCondition, IPRange).
	ConditionIPRange = "ipRange"
	// ConditionHeader matches a request header Name (any case) whose value
	// equals Value (HeaderCondition).
	ConditionHeader = "header"
	// ConditionQueryParameter matches a query parameter Name whose value
	// equals Value (QueryParameterCondition).
	ConditionQueryParameter = "queryParameter"
	// ConditionJWTClaim matches a JWT claim Name (the claim URL, e.g.
	// http://wso2.org/claims/role) whose value equals Value
	// (JWTClaimsCondition).
	ConditionJWTClaim = "jwtClaim"
)

// conditionTypes lists the condition types in the order messages name them.
var conditionTypes = []string{ConditionIP, ConditionIPRange, ConditionHeader, ConditionQueryParameter, ConditionJWTClaim}

// ConditionalGroup is an advanced policy's limit for the requests that
// match every one of its conditions. A request counts against every group
// it matches, and against the policy's own limit only if it matches none.
type ConditionalGroup struct {
	Description string      `yaml:"description,omitempty"`
	Conditions  []Condition `yaml:"conditions"`
	// Limit is the group's own quota, request count or bandwidth.
	Limit Limit `yaml:"limit"`
}

// Condition is one test on a request. Which fields apply depends on Type:
// IP for ip; StartingIP and EndingIP for ipRange; Name and Value for
// header, queryParameter and jwtClaim. Invert negates the result.
type Condition struct {
	// Type is ConditionIP, ConditionIPRange, ConditionHeader,
	// ConditionQueryParameter or ConditionJWTClaim.
	Type       string `yaml:"type"`
	Invert     bool   `yaml:"invert,omitempty"`
	IP         string `yaml:"ip,omitempty"`
	StartingIP string `yaml:"startingIP,omitempty"`
	EndingIP   string `yaml:"endingIP,omitempty"`
	Name       string `yaml:"name,omitempty"`
	Value      string `yaml:"value,omitempty"`
}
