package jwtmint

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
)

func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS: %q", tok)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Each format has the claims its API Manager version writes, and lacks
// the ones it does not.
func TestFormats(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		format      string
		has, hasNot []string
	}{
		{FormatAPIM2, []string{"consumerKey", "application", "subscribedAPIs", "keytype"}, []string{"azp", "client_id", "tierInfo"}},
		{FormatAPIM3, []string{"azp", "application", "subscribedAPIs", "keytype", "tierInfo"}, []string{"consumerKey", "client_id"}},
		{FormatAPIM4, []string{"azp", "client_id", "aut", "nbf"}, []string{"consumerKey", "application", "subscribedAPIs", "keytype", "tierInfo"}},
	} {
		tok, err := m.Token(Claims{Format: tc.format, ConsumerKey: "ck", APIs: []API{{Name: "A", Version: "1", Tier: "Gold"}}})
		if err != nil {
			t.Fatal(err)
		}
		p := payload(t, tok)
		for _, k := range tc.has {
			if _, ok := p[k]; !ok {
				t.Errorf("%s token lacks %s: %v", tc.format, k, p)
			}
		}
		for _, k := range tc.hasNot {
			if _, ok := p[k]; ok {
				t.Errorf("%s token has %s: %v", tc.format, k, p)
			}
		}
	}
	if _, err := m.Token(Claims{Format: "5.x"}); err == nil {
		t.Error("an unknown format was accepted")
	}
}

// Extra claims are added to every format and replace standard ones.
func TestExtraClaims(t *testing.T) {
	m, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{FormatAPIM2, FormatAPIM3, FormatAPIM4} {
		tok, err := m.Token(Claims{Format: f, Subject: "alice", Extra: map[string]any{"department": "sales", "sub": "bob"}})
		if err != nil {
			t.Fatal(err)
		}
		if p := payload(t, tok); p["department"] != "sales" || p["sub"] != "bob" {
			t.Errorf("%s token: %v", f, p)
		}
	}
}
