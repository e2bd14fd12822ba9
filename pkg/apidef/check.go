package apidef

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// badRune returns a description of the first control character (tabs and
// newlines included) or invalid UTF-8 in s and, unless spaceOK, of the first
// white space; "" when there is none.
func badRune(s string, spaceOK bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\n':
			return "a newline"
		case r == '\r':
			return "a carriage return"
		case r == '\t':
			return "a tab"
		case unicode.IsControl(r):
			return fmt.Sprintf("the control character %U", r)
		case !spaceOK && unicode.IsSpace(r):
			return fmt.Sprintf("white space (%U)", r)
		}
	}
	return ""
}

// checkText checks a free-text value that reaches the gateway (a name, a
// policy name, an operation id): anything printable is kept as is.
func checkText(what, s string) error {
	if bad := badRune(s, true); bad != "" {
		return fmt.Errorf("%s %q contains %s; remove it", what, s, bad)
	}
	return nil
}

// checkName checks an API name.
func checkName(name string) error {
	if strings.TrimSpace(name) == "" {
		return fmt.Errorf("the API name is empty; give the API a name")
	}
	return checkText("API name", name)
}

// checkVersion checks an API version: it becomes one path segment.
func checkVersion(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("the API version is empty; give the API a version such as 1.0.0")
	case v == "." || v == "..":
		return fmt.Errorf("API version %q is not allowed; use a version such as 1.0.0", v)
	case strings.ContainsAny(v, "/?#{}"):
		return fmt.Errorf("API version %q contains one of / ? # { }; the version is a single path segment, use e.g. 1.0.0", v)
	}
	if bad := badRune(v, false); bad != "" {
		return fmt.Errorf("API version %q contains %s; use a version such as 1.0.0", v, bad)
	}
	return nil
}

// checkContext checks an API Manager context or an MGW base path: an
// absolute URL path without query, fragment, empty or dot segments. The
// placeholder {version} is allowed when versionOK is set.
func checkContext(what, c string, versionOK bool) error {
	if !strings.HasPrefix(c, "/") {
		return fmt.Errorf("%s %q must start with /, e.g. /petstore", what, c)
	}
	if bad := badRune(c, false); bad != "" {
		return fmt.Errorf("%s %q contains %s; use a plain URL path such as /petstore", what, c, bad)
	}
	if strings.ContainsAny(c, "?#") {
		return fmt.Errorf("%s %q contains ? or #; use a plain URL path such as /petstore", what, c)
	}
	if strings.Contains(c, "..") {
		return fmt.Errorf("%s %q contains ..; use a plain URL path such as /petstore", what, c)
	}
	if c != "/" && strings.Contains(strings.TrimSuffix(c, "/"), "//") {
		return fmt.Errorf("%s %q contains an empty segment (//); remove it", what, c)
	}
	rest := c
	if versionOK {
		rest = strings.ReplaceAll(rest, "{version}", "")
	}
	if strings.ContainsAny(rest, "{}") {
		return fmt.Errorf("%s %q contains { or }; only the {version} placeholder is allowed", what, c)
	}
	return nil
}

// checkEndpointURL checks a backend URL: absolute http or https with a host.
// Credentials in the URL are rejected, and never echoed.
func checkEndpointURL(raw string) error {
	shown := fmt.Sprintf("%q", raw)
	if strings.Contains(raw, "@") {
		shown = "(not shown: it may contain credentials)"
	}
	if bad := badRune(raw, false); bad != "" {
		return fmt.Errorf("endpoint URL %s contains %s; percent-encode it or remove it", shown, bad)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("endpoint URL %s is not a valid URL; use an absolute http(s) URL such as https://backend:8443/api", shown)
	}
	if u.User != nil {
		return fmt.Errorf("endpoint URL %s contains user information; remove it and use securityConfig (the password is set at deploy time)", u.Redacted())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("endpoint URL %s is not an absolute http(s) URL; use e.g. https://backend:8443/api", shown)
	}
	if u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("endpoint URL %s has no host; use e.g. https://backend:8443/api", shown)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("endpoint URL %s has a #fragment, which is never sent to a server; remove it", shown)
	}
	return nil
}

// checkHeaderName checks a header name (RFC 9110 token).
func checkHeaderName(h string) error {
	if h == "" {
		return fmt.Errorf("the header name is empty")
	}
	for _, r := range h {
		if r > 0x7e || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return fmt.Errorf("header name %q is not a valid HTTP header name; use letters, digits and - such as X-Api-Auth", h)
		}
	}
	return nil
}

// checkScope checks an OAuth2 scope name (RFC 6749: no spaces, quotes are
// allowed and kept).
func checkScope(s string) error {
	if s == "" {
		return fmt.Errorf("a scope name is empty")
	}
	if bad := badRune(s, false); bad != "" {
		return fmt.Errorf("scope %q contains %s; scope names cannot contain white space", s, bad)
	}
	return nil
}

// checkTransport checks one transport name.
func checkTransport(t string) error {
	if t != "http" && t != "https" {
		return fmt.Errorf("transport %q is not supported; use http and/or https", t)
	}
	return nil
}
