package gateway

// Blocking condition types (BlockingCondition.Type).
const (
	// BlockAPI matches every request to the API whose versioned context
	// (BasePath, e.g. "/pizzashack/1.0.0") is Value; for a default-version
	// API Value may also be the unversioned Context.
	BlockAPI = "api"
	// BlockApplication matches the authenticated caller's application,
	// Value "owner:application name" as API Manager writes it.
	BlockApplication = "application"
	// BlockIP matches the client IP equal to IP.
	BlockIP = "ip"
	// BlockIPRange matches a client IP from StartingIP to EndingIP, both
	// included.
	BlockIPRange = "ipRange"
	// BlockUser matches the authenticated end user Value; a value without
	// a tenant ("admin") and the same one with "@carbon.super" are equal.
	BlockUser = "user"
)

// BlockingCondition is one API Manager blocking condition ("blacklist"
// entry) compiled into the gateway. Invert (ip and ipRange only) blocks
// every client IP except the ones the condition names.
type BlockingCondition struct {
	Type       string
	Value      string
	IP         string
	StartingIP string
	EndingIP   string
	Invert     bool
}
