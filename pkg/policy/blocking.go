package policy

// LevelBlocking is the policies.yaml key of the blocking conditions.
const LevelBlocking = "blocking"

// Blocking condition types of policies.yaml. They do not depend on the API
// Manager version: FromAdmin maps the Admin API's API, APPLICATION, IP,
// IPRANGE and USER to them, and a newer Admin API (3.x/4.x, whose
// conditionValue is a JSON object and which adds conditionStatus) maps to
// the same fields.
const (
	// BlockAPI blocks every request to the API whose context with version
	// is Value ("/pizzashack/1.0.0"), as API Manager writes it.
	BlockAPI = "api"
	// BlockApplication blocks the application Value, "owner:name".
	BlockApplication = "application"
	// BlockIP blocks the client IP equal to IP (all others with Invert).
	BlockIP = "ip"
	// BlockIPRange blocks client IPs from StartingIP to EndingIP, both
	// included (all others with Invert).
	BlockIPRange = "ipRange"
	// BlockUser blocks the authenticated end user Value
	// ("admin@carbon.super"; "admin" means the same user).
	BlockUser = "user"
)

// blockTypes lists the blocking condition types in the order messages
// name them.
var blockTypes = []string{BlockAPI, BlockApplication, BlockIP, BlockIPRange, BlockUser}

// BlockingCondition is one of API Manager's blocking conditions (the Admin
// portal's "Black List"): every matching request is refused with 403,
// fault 900805, before it counts against any quota. Which fields apply
// depends on Type: Value for api, application and user; IP for ip;
// StartingIP and EndingIP for ipRange. Invert applies to ip and ipRange.
type BlockingCondition struct {
	// ID is the API Manager's conditionId, kept to name the condition in
	// messages; empty for conditions written by hand.
	ID string `yaml:"id,omitempty"`
	// Type is BlockAPI, BlockApplication, BlockIP, BlockIPRange or
	// BlockUser.
	Type       string `yaml:"type"`
	Value      string `yaml:"value,omitempty"`
	IP         string `yaml:"ip,omitempty"`
	StartingIP string `yaml:"startingIP,omitempty"`
	EndingIP   string `yaml:"endingIP,omitempty"`
	Invert     bool   `yaml:"invert,omitempty"`
	// Enabled false keeps a condition the API Manager has switched off in
	// the file without enforcing it; nil means true. The Admin API v0.14
	// does not report the status, so conditions from it are all enabled.
	Enabled *bool `yaml:"enabled,omitempty"`
}

// IsEnabled reports whether the gateway enforces c.
func (c BlockingCondition) IsEnabled() bool { return c.Enabled == nil || *c.Enabled }
