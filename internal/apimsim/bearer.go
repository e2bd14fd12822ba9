package apimsim

import (
	"net/http"
	"strings"
)

// Scopes the Publisher and Admin resources need.
const (
	scopeAPIView  = "apim:api_view"
	scopeTierView = "apim:tier_view"
)

// requireScope wraps a REST handler with the real server's bearer check: a
// missing, unknown or expired token, or one without the scope, gets 401.
func (s *Server) requireScope(scope string, next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.tokens.lookup(bearerToken(r))
		if !ok || !t.hasScope(scope) {
			writeUnauthenticated(w)
			return
		}
		next(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer <token>"
// header, or "".
func bearerToken(r *http.Request) string {
	scheme, tok, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(tok)
}
