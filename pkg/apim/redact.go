package apim

import (
	"encoding/base64"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rememberSecrets records values that must never appear in messages.
func (c *Client) rememberSecrets(secrets ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range secrets {
		c.rememberSecretLocked(s)
	}
}

// rememberSecretLocked records s and its URL-encoded form. Secrets shorter
// than minSecret are not worth mangling messages for.
func (c *Client) rememberSecretLocked(s string) {
	for _, v := range []string{s, url.QueryEscape(s)} {
		if len(v) < minSecret || slices.Contains(c.secrets, v) {
			continue
		}
		c.secrets = append(c.secrets, v)
	}
}

// rememberBasic records the base64 form of HTTP basic credentials.
func (c *Client) rememberBasic(user, pass string) {
	c.rememberSecrets(base64.StdEncoding.EncodeToString([]byte(user + ":" + pass)))
}

const minSecret = 3

// redact replaces every known secret in s (text that came from the server
// or from an underlying error) with "***". Only whole words are replaced,
// so that a short password does not garble unrelated text.
func (c *Client) redact(s string) string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, secret := range c.secrets {
		s = redactWord(s, secret)
	}
	return s
}

// redactWord replaces the occurrences of secret in s that are not part of
// a longer word.
func redactWord(s, secret string) string {
	var b strings.Builder
	i := 0
	for {
		j := strings.Index(s[i:], secret)
		if j < 0 {
			break
		}
		j += i
		end := j + len(secret)
		before, _ := utf8.DecodeLastRuneInString(s[:j])
		after, _ := utf8.DecodeRuneInString(s[end:])
		b.WriteString(s[i:j])
		if (j == 0 || !isWordRune(before)) && (end == len(s) || !isWordRune(after)) {
			b.WriteString("***")
		} else {
			b.WriteString(secret)
		}
		i = end
	}
	if i == 0 {
		return s
	}
	b.WriteString(s[i:])
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
