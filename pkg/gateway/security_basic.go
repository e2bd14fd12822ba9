package gateway

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/basicauth"
)

// checkPasswordHash validates a configured password hash.
func checkPasswordHash(h string) error {
	_, err := basicauth.ParseHash(h)
	return err
}

// basicCacheTTL is how long verified basic credentials are remembered, so
// a bcrypt hash is not recomputed on every request.
const basicCacheTTL = 5 * time.Minute

// basicUsers checks basic credentials against the configured users and
// remembers credentials that matched, keyed by an HMAC with a key of this
// process (the password itself is never kept).
type basicUsers struct {
	store *basicauth.Store
	size  int
	key   [32]byte
	mu    sync.Mutex
	ok    map[[32]byte]basicEntry
}

type basicEntry struct {
	user  string
	until time.Time
}

// newBasicUsers builds the user store; the configuration was validated.
func newBasicUsers(users []BasicUser, size int) *basicUsers {
	m := make(map[string]basicauth.Hash, len(users))
	for _, u := range users {
		if h, err := basicauth.ParseHash(u.PasswordHash); err == nil {
			m[u.Name] = h
		}
	}
	b := &basicUsers{store: basicauth.NewStore(m), size: size, ok: map[[32]byte]basicEntry{}}
	_, _ = rand.Read(b.key[:])
	return b
}

// authenticate reports whether user and password match, from the cache
// when they matched recently.
func (b *basicUsers) authenticate(user, pass string, now time.Time) bool {
	mac := hmac.New(sha256.New, b.key[:])
	mac.Write([]byte(user))
	mac.Write([]byte{0})
	mac.Write([]byte(pass))
	var id [32]byte
	mac.Sum(id[:0])
	b.mu.Lock()
	e, hit := b.ok[id]
	b.mu.Unlock()
	if hit && e.user == user && now.Before(e.until) {
		return true
	}
	if !b.store.Authenticate(user, pass) {
		return false
	}
	if b.size > 0 {
		b.mu.Lock()
		if len(b.ok) >= b.size {
			clear(b.ok)
		}
		b.ok[id] = basicEntry{user: user, until: now.Add(basicCacheTTL)}
		b.mu.Unlock()
	}
	return true
}

// basicAuth checks "Basic <base64(user:password)>" credentials and
// returns the user name, or a fault code.
func (s *security) basicAuth(cred string) (string, int) {
	raw, err := base64.StdEncoding.DecodeString(cred)
	if err != nil {
		return "", CodeBasicAuthFormat
	}
	user, pass, ok := strings.Cut(string(raw), ":")
	if !ok {
		return "", CodeBasicAuthFormat
	}
	if !s.users.authenticate(user, pass, s.now()) {
		return "", CodeInvalidBasicAuth
	}
	return user, 0
}
