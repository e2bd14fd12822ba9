package jwt

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func parsePayload(t *testing.T, payload string) *Token {
	t.Helper()
	enc := base64.RawURLEncoding.EncodeToString
	tok, err := Parse(enc([]byte(`{"alg":"RS256"}`))+"."+enc([]byte(payload))+".c2ln", 0)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestMapClaims(t *testing.T) {
	tok := parsePayload(t, `{"iss":"https://idp","sub":"u1","scp":["pizza:read","pizza:admin"],"scope":"ignored","azp":"client-9","aud":["api://one","api://two"]}`)
	if err := tok.MapClaims([]ClaimMap{{Remote: "scp", Local: "scope"}}, "azp"); err != nil {
		t.Fatal(err)
	}
	if got := tok.Claims.Scope.Fields(); !reflect.DeepEqual(got, []string{"pizza:read", "pizza:admin"}) || tok.Claims.ConsumerKey != "client-9" || tok.Claims.Subject != "u1" || tok.Claims.Issuer != "https://idp" {
		t.Errorf("claims = %+v", tok.Claims)
	}
	// aud as the consumer key: the first value of the array.
	tok = parsePayload(t, `{"aud":["client-1","x"],"consumerKey":"old"}`)
	if err := tok.MapClaims(nil, "aud"); err != nil || tok.Claims.ConsumerKey != "client-1" {
		t.Errorf("aud: %q %v", tok.Claims.ConsumerKey, err)
	}
	// A remote claim the token lacks changes nothing.
	tok = parsePayload(t, `{"scope":"a b"}`)
	if err := tok.MapClaims([]ClaimMap{{Remote: "scp", Local: "scope"}}, ""); err != nil || len(tok.Claims.Scope.Fields()) != 2 {
		t.Errorf("absent remote: %+v %v", tok.Claims, err)
	}
	// A mapped value of the wrong shape is a malformed token.
	tok = parsePayload(t, `{"roles":{"a":1}}`)
	if err := tok.MapClaims([]ClaimMap{{Remote: "roles", Local: "scope"}}, ""); !errors.Is(err, ErrMalformed) {
		t.Errorf("object as scope: err = %v", err)
	}
	tok = parsePayload(t, `{"azp":5}`)
	if err := tok.MapClaims(nil, "azp"); !errors.Is(err, ErrMalformed) {
		t.Errorf("number as consumer key: err = %v", err)
	}
}

// FuzzMapClaims: mapping never panics, fails only as ErrMalformed, and a
// mapped scope or consumer key comes from the remote claim.
func FuzzMapClaims(f *testing.F) {
	f.Add(`{"scp":["a","b"],"azp":"c"}`, "scp", "azp")
	f.Add(`{"scp":"a b","aud":["x"]}`, "scp", "aud")
	f.Add(`{"application":{"id":1,"name":"n"},"x":null}`, "x", "")
	f.Add(`{"scp":{"k":[1]}}`, "scp", "scp")
	f.Fuzz(func(t *testing.T, payload, remote, ckClaim string) {
		enc := base64.RawURLEncoding.EncodeToString
		tok, err := Parse(enc([]byte(`{"alg":"RS256"}`))+"."+enc([]byte(payload))+".c2ln", 0)
		if err != nil {
			return
		}
		err = tok.MapClaims([]ClaimMap{{Remote: remote, Local: "scope"}}, ckClaim)
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Fatalf("error is not ErrMalformed: %v", err)
		}
	})
}

// Payload is the token's JSON as sent, and after a mapping that changed
// something the mapped claims: the local name carries the remote value,
// the remote name stays.
func TestPayloadFollowsMapping(t *testing.T) {
	raw := `{"iss":"https://idp","scp":"pizza:read","scope":"replaced","x":{"n":1}}`
	tok := parsePayload(t, raw)
	if string(tok.Payload()) != raw {
		t.Fatalf("payload before mapping = %s", tok.Payload())
	}
	if err := tok.MapClaims([]ClaimMap{{Remote: "absent", Local: "sub"}}, ""); err != nil || string(tok.Payload()) != raw {
		t.Fatalf("a mapping that changed nothing changed the payload: %s %v", tok.Payload(), err)
	}
	if err := tok.MapClaims([]ClaimMap{{Remote: "scp", Local: "scope"}}, ""); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(tok.Payload(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"iss": "https://idp", "scp": "pizza:read", "scope": "pizza:read", "x": map[string]any{"n": 1.0}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("mapped payload = %v, want %v", got, want)
	}
}
