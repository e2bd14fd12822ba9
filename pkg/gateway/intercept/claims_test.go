package intercept

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

func TestClaims(t *testing.T) {
	payload := []byte(`{"sub":"alice","department":"sales","suspended":false,"appId":9007199254740993,"roles":["a","b"],"org":{"id":7}}`)
	orig := bytes.Clone(payload)
	shared := MakeTokenClaims(payload)
	var a Auth
	a.SetTokenClaims(&shared)
	c := a.Claims()
	want := map[string]any{
		"sub": "alice", "department": "sales", "suspended": false,
		"appId": json.Number("9007199254740993"), // exact: float64 would round it
		"roles": []any{"a", "b"}, "org": map[string]any{"id": json.Number("7")},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("Claims = %#v\nwant %#v", c, want)
	}
	if s, ok := a.ClaimString("department"); !ok || s != "sales" {
		t.Errorf("ClaimString(department) = %q, %v", s, ok)
	}
	if s, ok := a.ClaimString("org"); ok || s != "" {
		t.Errorf("ClaimString of an object = %q, %v", s, ok)
	}
	if v, ok := a.Claim("suspended"); !ok || v != false {
		t.Errorf("Claim(suspended) = %v, %v", v, ok)
	}
	if v, ok := a.Claim("nope"); ok || v != nil {
		t.Errorf("Claim(nope) = %v, %v", v, ok)
	}
	// Decoded once: later calls see this request's map, changes included;
	// the shared claims and their payload are never written.
	c["department"] = "changed"
	if s, _ := a.ClaimString("department"); s != "changed" {
		t.Errorf("second call decoded again: %q", s)
	}
	if !bytes.Equal(payload, orig) || !bytes.Equal(shared.payload, orig) || shared.decoded != nil {
		t.Errorf("shared claims changed: %s, %v", shared.payload, shared.decoded)
	}
	// Another Auth sharing the same claims decodes its own map.
	var b Auth
	b.SetTokenClaims(&shared)
	if s, _ := b.ClaimString("department"); s != "sales" {
		t.Errorf("another Auth sees %q", s)
	}
}

// setClaims gives a the claims of payload.
func setClaims(a *Auth, payload []byte) {
	c := MakeTokenClaims(payload)
	a.SetTokenClaims(&c)
}

func TestNoClaims(t *testing.T) {
	for name, payload := range map[string][]byte{
		"none": nil, "empty": {}, "null": []byte("null"), "array": []byte(`["a"]`),
		"string": []byte(`"x"`), "broken": []byte(`{"a":`), "trailing": []byte(`{"a":1} {"b":2}`),
	} {
		var a Auth
		setClaims(&a, payload)
		if c := a.Claims(); c != nil {
			t.Errorf("%s: Claims = %v", name, c)
		}
		if v, ok := a.Claim("a"); ok || v != nil {
			t.Errorf("%s: Claim = %v, %v", name, v, ok)
		}
	}
	var a Auth
	setClaims(&a, []byte(`{"a":1}`))
	a.SetTokenClaims(nil)
	if a.Claims() != nil {
		t.Error("SetTokenClaims(nil) kept the earlier claims")
	}
	a.SetTokenClaims(&TokenClaims{})
	if a.Claims() != nil {
		t.Error("zero TokenClaims have claims")
	}
}

// FuzzClaims: any payload decodes without panicking; exactly the valid
// JSON objects give claims, and those survive a round trip unchanged.
func FuzzClaims(f *testing.F) {
	f.Add([]byte(`{"sub":"alice","n":1e400,"a":[{"b":null}]}`))
	f.Add([]byte(`{"a":1} `))
	f.Add([]byte(`[1]`))
	f.Add([]byte(`{"a":"\ud800"}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		var a Auth
		setClaims(&a, payload)
		got := a.Claims()
		isObject := json.Valid(payload) && bytes.HasPrefix(bytes.TrimSpace(payload), []byte("{"))
		if (got != nil) != isObject {
			t.Fatalf("Claims(%q) = %v; a JSON object: %v", payload, got, isObject)
		}
		if got == nil {
			return
		}
		again, err := json.Marshal(got)
		if err != nil {
			t.Fatalf("claims of %q do not encode: %v", payload, err)
		}
		var b Auth
		setClaims(&b, again)
		if !reflect.DeepEqual(b.Claims(), got) {
			t.Fatalf("round trip of %q: %v, then %v", payload, got, b.Claims())
		}
	})
}
