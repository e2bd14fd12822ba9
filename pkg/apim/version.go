package apim

import (
	"fmt"
	"strings"
)

// Version is an API Manager release line whose REST contract mgw speaks.
type Version string

// The supported API Manager release lines, oldest first.
const (
	// V26 is API Manager 2.6: Publisher and Admin REST v0.14, DCR v0.14.
	V26 Version = "2.6"
	// V3 is API Manager 3.x (3.2): Publisher and Admin REST v1, DCR v0.17,
	// APIs of a Microgateway label found with the search query "label:".
	V3 Version = "3.x"
	// V4 is API Manager 4.x (4.2): Publisher and Admin REST v4, DCR v0.17;
	// labels are gone, so a mgw label names a gateway environment and the
	// APIs are the revisions deployed to it.
	V4 Version = "4.x"
)

// Versions lists the supported versions, newest first: the order in which
// Detect tries them.
func Versions() []Version { return []Version{V4, V3, V26} }

// ParseVersion accepts "2.6", "3.x", "4.x" and the spellings people use for
// them ("3", "3.2", "3.2.0", "4", "4.2.0", "v4", …).
func ParseVersion(s string) (Version, error) {
	t := strings.TrimPrefix(strings.ToLower(strings.TrimSpace(s)), "v")
	switch {
	case t == "2.6" || strings.HasPrefix(t, "2.6."):
		return V26, nil
	case t == "3" || strings.HasPrefix(t, "3."):
		return V3, nil
	case t == "4" || strings.HasPrefix(t, "4."):
		return V4, nil
	}
	return "", fmt.Errorf("API Manager version %q is not supported: use 2.6, 3.x or 4.x", s)
}

// RESTVersion is the Publisher and Admin REST API version of v.
func (v Version) RESTVersion() string {
	switch v {
	case V3:
		return "v1"
	case V4:
		return "v4"
	}
	return "v0.14"
}

// DCRVersion is the client registration API version of v.
func (v Version) DCRVersion() string {
	if v == V3 || v == V4 {
		return "v0.17"
	}
	return "v0.14"
}

// Product names v in messages: "API Manager 4.x".
func (v Version) Product() string {
	if v == "" {
		return "API Manager"
	}
	return "API Manager " + string(v)
}

// modern reports whether v speaks the REST v1/v4 payloads (3.x and 4.x).
func (v Version) modern() bool { return v == V3 || v == V4 }

func isKnownVersion(v Version) bool { return v == V26 || v == V3 || v == V4 }
