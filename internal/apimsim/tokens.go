package apimsim

import (
	"sync"
	"time"
)

// defaultScope is what API Manager grants when none of the requested scopes
// is allowed for the user.
const defaultScope = "default"

// token is an issued access token.
type token struct {
	user     string
	clientID string
	scopes   []string
	expires  time.Time
}

func (t token) hasScope(scope string) bool {
	for _, s := range t.scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// tokenStore holds access and refresh tokens.
type tokenStore struct {
	ttl time.Duration
	now func() time.Time

	mu      sync.Mutex
	access  map[string]token
	refresh map[string]token // refresh token -> the grant it renews
}

func newTokenStore(ttl time.Duration, now func() time.Time) *tokenStore {
	return &tokenStore{ttl: ttl, now: now, access: map[string]token{}, refresh: map[string]token{}}
}

// issue creates an access and a refresh token for the grant.
func (s *tokenStore) issue(user, clientID string, scopes []string) (access, refresh string, t token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for k, old := range s.access {
		if !now.Before(old.expires) {
			delete(s.access, k)
		}
	}
	t = token{user: user, clientID: clientID, scopes: scopes, expires: now.Add(s.ttl)}
	access, refresh = randomUUID(), randomUUID()
	s.access[access] = t
	s.refresh[refresh] = t
	return access, refresh, t
}

// lookup returns the live token for an access token string.
func (s *tokenStore) lookup(access string) (token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.access[access]
	if !ok || !s.now().Before(t.expires) {
		return token{}, false
	}
	return t, true
}

// redeem consumes a refresh token issued to clientID.
func (s *tokenStore) redeem(refresh, clientID string) (token, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.refresh[refresh]
	if !ok || t.clientID != clientID {
		return token{}, false
	}
	delete(s.refresh, refresh)
	return t, true
}

// grantScopes returns the requested scopes the user has, in request order
// and without duplicates, or "default" when there are none.
func grantScopes(requested []string, u user) []string {
	var granted []string
	seen := map[string]bool{}
	for _, s := range requested {
		if u.hasScope(s) && !seen[s] {
			seen[s] = true
			granted = append(granted, s)
		}
	}
	if len(granted) == 0 {
		return []string{defaultScope}
	}
	return granted
}
