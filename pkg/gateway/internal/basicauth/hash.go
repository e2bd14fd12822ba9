// Package basicauth checks passwords against configured hashes:
// bcrypt ($2a$, $2b$, $2y$), salted SHA-256 ("sha256$<salt>$<hex>") and,
// for migration from the original gateway, unsalted SHA-1 hex. Every
// comparison takes the same time whatever matched.
package basicauth

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
)

// Hash is a parsed password hash.
type Hash struct {
	kind   string // "sha256", "sha1" or "bcrypt"
	salt   string
	sum    []byte
	bcrypt string
}

// ParseHash reads a configured password hash. Its errors never contain
// the hash.
func ParseHash(s string) (Hash, error) {
	switch {
	case strings.HasPrefix(s, "$2"):
		if err := checkBcrypt(s); err != nil {
			return Hash{}, err
		}
		return Hash{kind: "bcrypt", bcrypt: s}, nil
	case strings.HasPrefix(s, "sha256$"):
		parts := strings.Split(s, "$")
		if len(parts) != 3 || parts[1] == "" {
			return Hash{}, errors.New(`a salted SHA-256 hash is "sha256$<salt>$<64 hex digits of SHA-256(salt followed by password)>"`)
		}
		sum, err := hex.DecodeString(parts[2])
		if err != nil || len(sum) != sha256.Size {
			return Hash{}, errors.New(`the digest of a "sha256$salt$digest" hash must be 64 hex digits`)
		}
		return Hash{kind: "sha256", salt: parts[1], sum: sum}, nil
	case len(s) == 2*sha1.Size:
		sum, err := hex.DecodeString(s)
		if err != nil {
			return Hash{}, errors.New("a SHA-1 hash must be 40 hex digits")
		}
		return Hash{kind: "sha1", sum: sum}, nil
	}
	return Hash{}, errors.New(`unknown password hash format; use bcrypt ("$2b$10$…", from htpasswd -nbB user password), "sha256$<salt>$<hex>" or the original's 40-digit SHA-1 hex`)
}

// Check reports whether password matches the hash, in constant time for
// a given hash.
func (h Hash) Check(password string) bool {
	switch h.kind {
	case "sha256":
		sum := sha256.Sum256([]byte(h.salt + password))
		return subtle.ConstantTimeCompare(sum[:], h.sum) == 1
	case "sha1":
		sum := sha1.Sum([]byte(password))
		return subtle.ConstantTimeCompare(sum[:], h.sum) == 1
	case "bcrypt":
		return bcryptCheck(h.bcrypt, password)
	}
	return false
}

// Store holds users and their hashes.
type Store struct {
	users map[string]Hash
	dummy Hash
}

// NewStore builds a store from user names and parsed hashes.
func NewStore(users map[string]Hash) *Store {
	sum := sha256.Sum256([]byte("mgw-dummy"))
	return &Store{users: users, dummy: Hash{kind: "sha256", salt: "x", sum: sum[:]}}
}

// Authenticate reports whether user exists and password matches. An
// unknown user costs a comparison too, so timing does not tell users
// apart.
func (s *Store) Authenticate(user, password string) bool {
	h, ok := s.users[user]
	if !ok {
		s.dummy.Check(password)
		return false
	}
	return h.Check(password)
}
