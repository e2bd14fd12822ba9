package apimsim

import (
	"fmt"
	"net/url"
	"strings"
)

// parseTokenForm parses a token request body leniently. The original CLI
// does not URL-encode it (grant_type=password&...&scope=apim:a apim:b), so a
// value is decoded when it is valid form encoding and taken as it is
// otherwise, and a part without '=' is a parameter with an empty value. A
// parameter given twice is an error (RFC 6749 §3.2).
func parseTokenForm(body string) (map[string]string, error) {
	form := map[string]string{}
	for _, part := range strings.Split(body, "&") {
		if part == "" {
			continue
		}
		key, value, _ := strings.Cut(part, "=")
		key, value = formUnescape(key), formUnescape(value)
		if key == "" {
			continue
		}
		if _, dup := form[key]; dup {
			return nil, fmt.Errorf("parameter %q is given more than once", key)
		}
		form[key] = value
	}
	return form, nil
}

// formUnescape decodes s as form encoding (+ and %XX), or returns it
// unchanged when it is not valid form encoding.
func formUnescape(s string) string {
	if d, err := url.QueryUnescape(s); err == nil {
		return d
	}
	return s
}

// splitScopes splits a scope parameter on spaces (a literal space, or + and
// %20 once decoded).
func splitScopes(scope string) []string {
	return strings.Fields(scope)
}
