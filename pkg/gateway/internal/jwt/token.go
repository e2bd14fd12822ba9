// Package jwt parses and verifies JSON Web Tokens (JWS compact form) with
// public keys: RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA.
// The algorithm a token may use is decided by the key that verifies it,
// never by the token alone, so "none", HMAC and key-type confusion are
// rejected.
//
// It is our own code, not go-jose, because API Manager 2.x pads segments
// with '=' and signs the padded text, which go-jose v4 cannot verify;
// docs/ARCHITECTURE.md ("Library or own code") has the measurement.
package jwt

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Errors returned by Parse and Verify. Callers map them to faults.
var (
	// ErrMalformed: the token is not a well-formed JWS compact token.
	ErrMalformed = errors.New("malformed token")
	// ErrTooLarge: the token exceeds the size limit.
	ErrTooLarge = errors.New("token too large")
	// ErrAlgorithm: the algorithm is not allowed for the key.
	ErrAlgorithm = errors.New("algorithm not allowed")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("invalid signature")
	// ErrNoKey: no configured key matches the token.
	ErrNoKey = errors.New("no matching key")
	// ErrExpired: exp is in the past.
	ErrExpired = errors.New("token expired")
	// ErrNotYetValid: nbf or iat is in the future.
	ErrNotYetValid = errors.New("token not yet valid")
	// ErrClaims: a required claim is missing or of the wrong type.
	ErrClaims = errors.New("invalid claims")
)

// Header is the JOSE header of a token.
type Header struct {
	Alg  string   `json:"alg"`
	Kid  string   `json:"kid"`
	Typ  string   `json:"typ"`
	X5t  string   `json:"x5t"`
	Crit []string `json:"crit"`
}

// Token is a parsed, not yet verified token.
type Token struct {
	Header Header
	Claims Claims
	// signingInput is the first two segments exactly as transmitted.
	signingInput string
	// payload is the decoded payload; MapClaims replaces it with the
	// mapped claims.
	payload   []byte
	signature []byte
}

// Parse splits and decodes a compact JWS of at most maxBytes bytes
// (0 means no limit). It does not verify the signature. Segments may
// carry '=' padding, as API Manager 2.x emits.
func Parse(token string, maxBytes int) (*Token, error) {
	if maxBytes > 0 && len(token) > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes, the limit is %d", ErrTooLarge, len(token), maxBytes)
	}
	h, rest, ok := strings.Cut(token, ".")
	if !ok {
		return nil, fmt.Errorf("%w: expected three dot-separated parts", ErrMalformed)
	}
	p, s, ok := strings.Cut(rest, ".")
	if !ok || strings.Contains(s, ".") {
		return nil, fmt.Errorf("%w: expected three dot-separated parts", ErrMalformed)
	}
	hb, err := decodeSegment(h)
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	pb, err := decodeSegment(p)
	if err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	sig, err := decodeSegment(s)
	if err != nil {
		return nil, fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	t := &Token{signingInput: token[:len(h)+1+len(p)], signature: sig, payload: pb}
	if err := strictUnmarshal(hb, &t.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if t.Header.Alg == "" {
		return nil, fmt.Errorf("%w: header has no alg", ErrMalformed)
	}
	if len(t.Header.Crit) > 0 {
		return nil, fmt.Errorf("%w: unsupported critical header parameters %q", ErrMalformed, t.Header.Crit)
	}
	if err := strictUnmarshal(pb, &t.Claims); err != nil {
		return nil, fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	return t, nil
}

// Payload returns the token's claims as JSON, as the gateway reads them:
// the decoded payload, with the claim mapping applied once MapClaims
// changed something. It is shared with the token: callers must not
// modify it.
func (t *Token) Payload() []byte { return t.payload }

// decodeSegment decodes base64url with or without '=' padding.
func decodeSegment(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	if s == "" {
		return nil, errors.New("empty")
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// strictUnmarshal decodes one JSON object and rejects trailing data.
func strictUnmarshal(b []byte, v any) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return errors.New("not a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if d.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}
