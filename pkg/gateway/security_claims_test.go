package gateway

import (
	"strings"
	"testing"
	"time"
)

// A third-party issuer (Azure AD / Okta style: scp, azp, no application
// or subscribedAPIs) with claim_mapping and consumer_key_claim.
func TestThirdPartyIssuerClaimMapping(t *testing.T) {
	be := echoBackend(t, "prod")
	key := rsaTestKey(t)
	pem := writePublicKey(t, key.Public())
	const idp = "https://login.example.com/tenant/v2.0"
	token := func(claims map[string]any) string {
		now := time.Now()
		c := map[string]any{"iss": idp, "aud": "api://pizza", "sub": "u-42", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(),
			"scp": "pizza:admin pizza:read", "azp": "client-9"}
		for k, v := range claims {
			c[k] = v
		}
		return "Bearer " + signJWT(t, "RS256", key, nil, c)
	}
	for _, tc := range []struct {
		name     string
		issuer   JWTIssuer
		claims   map[string]any
		wantCode int
		wantKey  string
	}{
		{"mapped", JWTIssuer{Issuer: idp, CertFile: pem, ConsumerKeyClaim: "azp", ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}}}, nil, 0, "client-9"},
		{"scp as an array", JWTIssuer{Issuer: idp, CertFile: pem, ConsumerKeyClaim: "azp", ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}}},
			map[string]any{"scp": []string{"pizza:admin"}}, 0, "client-9"},
		{"consumer key from aud", JWTIssuer{Issuer: idp, CertFile: pem, ConsumerKeyClaim: "aud", ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}}}, nil, 0, "api://pizza"},
		{"without mapping the scope is missing", JWTIssuer{Issuer: idp, CertFile: pem}, nil, CodeInvalidScope, ""},
		{"a scope claim of the issuer is replaced by the mapped one", JWTIssuer{Issuer: idp, CertFile: pem, ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}}},
			map[string]any{"scp": "pizza:read", "scope": "pizza:admin"}, CodeInvalidScope, ""},
		{"subscription validation still applies after mapping", JWTIssuer{Issuer: idp, CertFile: pem, ValidateSubscription: true, ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}}}, nil, CodeResourceForbidden, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig()
			cfg.Security.Enabled = true
			cfg.JWT.Issuers = []JWTIssuer{tc.issuer}
			var cap authCapture
			gw := start(t, pizzaSpec(be.URL, be.URL), cfg, cap.mw)
			resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/admin", nil, "Authorization", token(tc.claims))
			if tc.wantCode != 0 {
				wantFault(t, resp, body, tc.wantCode)
				return
			}
			a := cap.get().Auth
			if resp.StatusCode != 200 || a.ConsumerKey != tc.wantKey || a.ApplicationID != tc.wantKey || a.Username != "u-42" {
				t.Fatalf("%d %s, auth %+v", resp.StatusCode, body, a)
			}
		})
	}
}

func TestClaimMappingConfigChecked(t *testing.T) {
	spec := pizzaSpec("http://127.0.0.1:1", "http://127.0.0.1:1")
	spec.DefaultConfig = "jwt:\n  issuers:\n    - issuer: https://idp\n      cert_file: k.pem\n      consumer_key_claim: 'a b'\n" +
		"      claim_mapping:\n        - {remote: scp, local: scope}\n        - {remote: x, local: exp}\n        - {remote: y, local: scope}\n        - {remote: '', local: sub}\n"
	_, err := LoadConfig(spec, "", nil)
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{
		`jwt.issuers[0].consumer_key_claim: "a b" is not a claim name`,
		`jwt.issuers[0].claim_mapping[1].local: "exp" is not a claim the gateway reads; use sub, scope, consumerKey, keytype, application, subscribedAPIs`,
		`jwt.issuers[0].claim_mapping[2].local: "scope" is mapped twice`,
		`jwt.issuers[0].claim_mapping[3].remote: "" is not a claim name`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	// Each problem points at its line of the compiled-in gateway.yaml.
	for _, line := range []string{":5: ", ":8: ", ":9: ", ":10: "} {
		if !strings.Contains(err.Error(), line) {
			t.Errorf("no problem at line %q:\n%v", line, err)
		}
	}
}
