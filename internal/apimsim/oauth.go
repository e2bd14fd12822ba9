package apimsim

import (
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// handleToken serves POST /oauth2/token: the password and refresh_token
// grants, with the client authenticated by HTTP Basic (or client_id and
// client_secret in the body).
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
	if err != nil || len(body) > maxFormBody {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("cannot read a form body of at most %d bytes", maxFormBody))
		return
	}
	form, err := parseTokenForm(string(body))
	if err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	clientID, secret, ok := r.BasicAuth()
	if !ok {
		clientID, secret = form["client_id"], form["client_secret"]
	}
	if clientID == "" {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "Client Authentication failed: send the client id and secret as HTTP Basic credentials")
		return
	}
	if !s.clients.authenticate(clientID, secret) {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "A valid OAuth client could not be found for client_id: "+clientID)
		return
	}
	switch grant := form["grant_type"]; grant {
	case "password":
		s.passwordGrant(w, clientID, form)
	case "refresh_token":
		s.refreshGrant(w, clientID, form)
	case "":
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "Missing grant_type parameter value")
	default:
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("Unsupported grant_type value %q; use password or refresh_token", grant))
	}
}

func (s *Server) passwordGrant(w http.ResponseWriter, clientID string, form map[string]string) {
	name, password := form["username"], form["password"]
	if name == "" || password == "" {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "the password grant needs the username and password parameters")
		return
	}
	u, ok := s.cat.users[name]
	if !ok || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Authentication failed for "+name)
		return
	}
	scopes := grantScopes(splitScopes(form["scope"]), u)
	access, refresh, t := s.tokens.issue(u.Username, clientID, scopes)
	s.writeToken(w, access, refresh, t)
}

func (s *Server) refreshGrant(w http.ResponseWriter, clientID string, form map[string]string) {
	old, ok := s.tokens.redeem(form["refresh_token"], clientID)
	if !ok {
		writeOAuthError(w, http.StatusBadRequest, "invalid_grant", "Persisted access token data not found")
		return
	}
	access, refresh, t := s.tokens.issue(old.user, clientID, old.scopes)
	s.writeToken(w, access, refresh, t)
}

func (s *Server) writeToken(w http.ResponseWriter, access, refresh string, t token) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, apim.TokenResponse{
		AccessToken:  access,
		RefreshToken: refresh,
		Scope:        strings.Join(t.scopes, " "),
		TokenType:    "Bearer",
		ExpiresIn:    int64(s.opts.TokenTTL.Seconds()),
	})
}

func writeOAuthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, apim.OAuthError{Error: code, ErrorDescription: description})
}
