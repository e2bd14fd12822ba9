package jwt

import (
	"os"
	"strings"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	raw, _ := os.ReadFile("testdata/apim-2.x-sample-jwt-from-mgw302-readme.jwt")
	f.Add(strings.TrimSpace(string(raw)))
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOjF9.")
	f.Add("a.b.c")
	f.Add("eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOlsiYSIsImIiXSwiZXhwIjoxZTl9.AAAA")
	certPEM, _ := os.ReadFile("testdata/apim-2.x-wso2carbon-public-cert.pem")
	keys, err := ParsePEM(certPEM)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := Parse(s, 16384)
		if err != nil {
			return
		}
		_ = tok.VerifyWith(keys)
		_ = tok.Claims.ValidateTime(time.Time{}, 0)
		_ = tok.Claims.Scope.Fields()
	})
}

func FuzzParseJWKS(f *testing.F) {
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = ParseJWKS(b)
	})
}
