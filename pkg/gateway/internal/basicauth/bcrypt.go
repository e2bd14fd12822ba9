package basicauth

import (
	"errors"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

const (
	// bcryptHashLen is "$2b$10$" + 22 salt + 31 digest characters.
	bcryptHashLen = 60
	// bcryptAlphabet is bcrypt's base64 alphabet.
	bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

var errBcryptFormat = errors.New(`a bcrypt hash is "$2a$", "$2b$" or "$2y$", a two-digit cost (04-31), "$", then 53 characters`)

// checkBcrypt validates the form of a bcrypt hash at configuration time,
// more strictly than x/crypto/bcrypt does when comparing (which accepts
// any minor version letter and leaves the salt undecoded until then), so
// that a mistyped hash is a config error rather than a user who can never
// log in.
func checkBcrypt(s string) error {
	if len(s) != bcryptHashLen || s[0] != '$' || s[1] != '2' || !strings.ContainsRune("aby", rune(s[2])) || s[3] != '$' || s[6] != '$' {
		return errBcryptFormat
	}
	cost, err := strconv.Atoi(s[4:6])
	if err != nil || cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return errBcryptFormat
	}
	for _, c := range s[7:] {
		if !strings.ContainsRune(bcryptAlphabet, c) {
			return errBcryptFormat
		}
	}
	if _, err := bcrypt.Cost([]byte(s)); err != nil {
		return errBcryptFormat
	}
	return nil
}

// bcryptCheck reports whether password matches hash, with
// golang.org/x/crypto/bcrypt (constant time in the digest comparison).
func bcryptCheck(hash, password string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
}
