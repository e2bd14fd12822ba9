package jwt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ClaimMap copies a token's Remote claim to the Local name the gateway
// reads (e.g. scp → scope), replacing what the token had there.
type ClaimMap struct {
	Remote, Local string
}

// MappableClaims are the claim names a ClaimMap may write: those the
// gateway reads for users, applications, subscriptions and scopes, never
// iss, aud or the times.
var MappableClaims = []string{"sub", "scope", "consumerKey", "keytype", "application", "subscribedAPIs"}

// MapClaims re-reads t's claims with mapping applied (Payload then
// returns the mapped claims: Local names with the Remote values, Remote
// names kept) and, when
// consumerKeyClaim is set, takes the consumer key from that claim (a
// string, or the first string of an array such as aud). Call it only
// after the signature verified.
func (t *Token) MapClaims(mapping []ClaimMap, consumerKeyClaim string) error {
	if len(mapping) == 0 && consumerKeyClaim == "" {
		return nil
	}
	var raw map[string]json.RawMessage
	if err := strictUnmarshal(t.payload, &raw); err != nil {
		return fmt.Errorf("%w: payload: %v", ErrMalformed, err)
	}
	changed := false
	for _, m := range mapping {
		if v, ok := raw[m.Remote]; ok {
			raw[m.Local] = v
			changed = true
		}
	}
	if changed {
		b, err := json.Marshal(raw)
		if err != nil {
			return fmt.Errorf("%w: payload: %v", ErrMalformed, err)
		}
		var c Claims
		if err := strictUnmarshal(b, &c); err != nil {
			return fmt.Errorf("%w: mapped claims: %v", ErrMalformed, err)
		}
		t.Claims, t.payload = c, b
	}
	if consumerKeyClaim != "" {
		ck, err := firstString(raw[consumerKeyClaim])
		if err != nil {
			return fmt.Errorf("%w: consumer key claim %q: %v", ErrMalformed, consumerKeyClaim, err)
		}
		t.Claims.ConsumerKey = ck
	}
	return nil
}

// firstString reads a JSON string, or the first string of an array; an
// absent claim is "".
func firstString(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "", nil
	}
	var s string
	if v[0] == '"' {
		err := json.Unmarshal(v, &s)
		return s, err
	}
	var a []string
	if err := json.Unmarshal(v, &a); err != nil {
		return "", errors.New("expected a string or an array of strings")
	}
	if len(a) > 0 {
		s = a[0]
	}
	return s, nil
}
