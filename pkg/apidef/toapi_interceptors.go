package apidef

import (
	"fmt"
	"go/token"
	"strings"
)

// interceptors reads an API's or operation's x-wso2-request-interceptor
// and x-wso2-response-interceptor: each names a Go function of the
// workspace's interceptors package (docs/INTERCEPTORS.md). The name becomes
// an identifier in generated code, so only Go identifiers pass.
func (c *converter) interceptors(loc string, ext map[string]any) (request, response string) {
	read := func(name string) string {
		s := c.str(loc, ext, name)
		if s == "" {
			return ""
		}
		if err := CheckInterceptorName(s); err != nil {
			c.addErr(strings.TrimSuffix(loc, "/")+"/"+escapeToken(name), err)
			return ""
		}
		return s
	}
	return read(ExtRequestInterceptor), read(ExtResponseInterceptor)
}

// CheckInterceptorName accepts the name of a Go interceptor function: an
// ASCII Go identifier that is not a keyword, "_", "init" or "main".
func CheckInterceptorName(s string) error {
	if rest, ok := strings.CutPrefix(s, "java:"); ok {
		return fmt.Errorf("%q is a Java interceptor, which only the MGW 3.x runtime can run; write it as a Go function in the interceptors folder and name that function here (see docs/INTERCEPTORS.md)", truncateName(rest))
	}
	ok := len(s) > 0 && len(s) <= 128
	for i := 0; ok && i < len(s); i++ {
		ch := s[i]
		ok = ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || i > 0 && ch >= '0' && ch <= '9'
	}
	if !ok || token.Lookup(s).IsKeyword() || s == "_" || s == "init" || s == "main" {
		return fmt.Errorf("%q is not the name of a Go function: use letters, digits and _ (not first), up to 128 characters, e.g. validateRequest, naming a function of the interceptors folder (see docs/INTERCEPTORS.md)", truncateName(s))
	}
	return nil
}

// truncateName keeps messages about hostile names short.
func truncateName(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
