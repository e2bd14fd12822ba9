package intercept

import (
	"bytes"
	"encoding/json"
)

// Claims returns the claims of the caller's verified JWT, decoded from
// its JSON payload: strings are string, numbers json.Number (exact, also
// for large ids: use its Int64, Float64 or String method), booleans bool,
// arrays []any, objects map[string]any.
//
// Only a token whose signature and times the gateway verified has claims:
// a JWT access token (Scheme "jwt") or an API key (Scheme "apikey", which
// is a JWT too). Basic auth, opaque OAuth2 tokens (Scheme "oauth2": the key
// manager answers with fields, not claims, and they already are in Auth)
// and unsecured resources have none: Claims returns nil.
//
// With an issuer's claim_mapping, the claims are those the gateway read:
// each mapping's local name holds the remote claim's value (replacing what
// the token had under that name) and the remote name stays, so
// Claims()["scope"] agrees with Scopes. consumer_key_claim changes
// ConsumerKey only, not the claims.
//
// The payload is decoded on the first call, once per request; requests
// whose interceptors never call Claims, Claim or ClaimString do not pay
// for it. The map belongs to this request: changing it changes what later
// calls for this request see, never another request's claims. Like the
// rest of Request, Auth is not safe for concurrent use: call Claims before
// handing it to other goroutines.
//
// For example, a request interceptor sending the caller's department to
// the backend and refusing suspended accounts:
//
//	func tagDepartment(req *intercept.Request) *intercept.Response {
//		if suspended, _ := req.Auth.Claim("suspended"); suspended == true {
//			return intercept.JSON(403, map[string]string{"error": "account suspended"})
//		}
//		if dept, ok := req.Auth.ClaimString("department"); ok {
//			req.Header.Set("X-Department", dept)
//		}
//		return nil
//	}
func (a *Auth) Claims() map[string]any {
	if a.token == nil {
		return nil
	}
	if a.token.payload != nil {
		a.token = &TokenClaims{decoded: decodeClaims(a.token.payload)}
	}
	return a.token.decoded
}

// Claim returns the claim name of the caller's verified JWT (see Claims
// for the types); ok is false when the token has no such claim or there
// is no token.
func (a *Auth) Claim(name string) (v any, ok bool) {
	v, ok = a.Claims()[name]
	return v, ok
}

// ClaimString returns the claim name when it is a JSON string; ok is false
// when it is absent, of another type, or there is no token.
func (a *Auth) ClaimString(name string) (string, bool) {
	v, _ := a.Claim(name)
	s, ok := v.(string)
	return s, ok
}

// TokenClaims are the claims of a verified JWT as JSON, not yet decoded.
// They never change once made, so many Auths may share them: the gateway
// makes them once per verified token and gives them to every request
// carrying that token; each Auth decodes its own map.
type TokenClaims struct {
	payload []byte         // the JSON; nil in an Auth's decoded copy
	decoded map[string]any // an Auth's own decoded claims
}

// MakeTokenClaims returns the claims a JWT's decoded JSON payload holds.
// payload is only read, never changed, and must stay unchanged for as
// long as the TokenClaims are in use. JSON that is not an object gives no
// claims.
func MakeTokenClaims(payload []byte) TokenClaims {
	if len(payload) == 0 {
		return TokenClaims{}
	}
	return TokenClaims{payload: payload}
}

// SetTokenClaims gives Auth the claims c (nil: none) that Claims decodes
// on first use, replacing any it had. c is only read. The gateway calls
// it for verified tokens; tests of interceptors may call it to fake a
// caller:
//
//	claims := intercept.MakeTokenClaims([]byte(`{"sub":"alice","department":"sales"}`))
//	req := intercept.NewRequest(nil)
//	req.Auth.SetTokenClaims(&claims)
func (a *Auth) SetTokenClaims(c *TokenClaims) { a.token = c }

// decodeClaims decodes a JSON object with exact numbers; anything else
// (other JSON values, trailing data, invalid JSON) is nil.
func decodeClaims(payload []byte) map[string]any {
	if !json.Valid(payload) {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(payload))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil
	}
	return m
}
