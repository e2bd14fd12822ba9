package keymanager

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Introspection is an RFC 7662 answer, with the fields the gateway uses.
type Introspection struct {
	Active    bool   `json:"active"`
	Scope     string `json:"scope"`
	ClientID  string `json:"client_id"`
	Username  string `json:"username"`
	TokenType string `json:"token_type"`
	Exp       int64  `json:"exp"`
	Iat       int64  `json:"iat"`
	Nbf       int64  `json:"nbf"`
}

// DecodeIntrospection reads an introspection answer. active is required.
func DecodeIntrospection(r io.Reader) (*Introspection, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading the introspection answer: %w", err)
	}
	if len(data) > maxResponseBytes {
		return nil, errors.New("introspection answer larger than 1MiB")
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("introspection answer is not a JSON object: %w", err)
	}
	if _, ok := raw["active"]; !ok {
		return nil, errors.New(`introspection answer has no "active" member`)
	}
	var in Introspection
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&in); err != nil {
		return nil, fmt.Errorf("introspection answer: %w", err)
	}
	in.Scope = strings.TrimSpace(in.Scope)
	return &in, nil
}
