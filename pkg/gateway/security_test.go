package gateway

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// wantFault checks a response is exactly the fault of code.
func wantFault(t *testing.T, resp *http.Response, body string, code int) {
	t.Helper()
	f := FaultFor(code)
	if resp.StatusCode != f.Status || body != faultBody(f.Code, f.Message, f.Description) {
		t.Fatalf("got %d %s, want %d with fault %d", resp.StatusCode, body, f.Status, code)
	}
	if f.Status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("401 without WWW-Authenticate")
	}
}

func TestRealAPIManagerTokenAccepted(t *testing.T) {
	prod := echoBackend(t, "prod")
	raw, err := os.ReadFile("testdata/apim-2.x-sample-jwt-from-mgw302-readme.jwt")
	if err != nil {
		t.Fatal(err)
	}
	token := strings.TrimSpace(string(raw))
	// The defaults (issuer, audience) plus the API Manager certificate.
	cfg, err := LoadConfig(pizzaSpec(prod.URL, prod.URL), "", []string{"MGW_JWT_CERT_FILE=testdata/apim-2.x-wso2carbon-public-cert.pem"})
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTP.Host, cfg.HTTP.Port, cfg.Log.Access = "127.0.0.1", 0, false
	var cap authCapture
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg, cap.mw)
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer "+token)
	if resp.StatusCode != 200 {
		t.Fatalf("the API Manager token was refused: %d %s", resp.StatusCode, body)
	}
	if e := decodeEcho(t, body); e.Header.Get("Authorization") != "" {
		t.Error("the Authorization header reached the backend")
	}
	info := cap.get()
	a := info.Auth
	if !a.Authenticated || a.Scheme != "jwt" || a.Username != "admin" || a.ApplicationID != "2" || a.ApplicationName != "JWT_APP" ||
		a.ApplicationTier != "Unlimited" || a.ConsumerKey != "X9Lbunoh83Kp8KPP1lS_qqyBtcca" || a.SubscriptionTier != "Unauthenticated" {
		t.Errorf("auth context = %+v", a)
	}
	if info.KeyType != KeyTypeProduction {
		t.Errorf("key type %q", info.KeyType)
	}
	// Without the certificate configured, the same token is refused.
	cfg2 := secured("")
	gw2 := start(t, pizzaSpec(prod.URL, prod.URL), cfg2)
	resp, body = do(t, client(), "GET", gw2.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer "+token)
	wantFault(t, resp, body, CodeInvalidCredentials)
}

func TestJWTRules(t *testing.T) {
	prod, sand := echoBackend(t, "prod"), echoBackend(t, "sand")
	key := rsaTestKey(t)
	cfg := secured(writePublicKey(t, key.Public()))
	var cap authCapture
	gw := start(t, pizzaSpec(prod.URL, sand.URL), cfg, cap.mw)
	c := client()
	url := gw.http + "/pizzashack/1.0.0"
	tok := func(changes map[string]any) string {
		return "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(changes))
	}

	t.Run("valid", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(nil))
		if resp.StatusCode != 200 || decodeEcho(t, body).Backend != "prod" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		a := cap.get().Auth
		if a.SubscriptionTier != "Silver" || a.APIPublisher != "admin" || a.SubscriberTenantDomain != "carbon.super" || a.ApplicationID != "7" || a.Username != "alice" {
			t.Errorf("auth = %+v", a)
		}
	})
	t.Run("sandbox keytype", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"keytype": "SANDBOX"}))
		if resp.StatusCode != 200 || decodeEcho(t, body).Backend != "sand" {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("missing", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil)
		wantFault(t, resp, body, CodeMissingCredentials)
		if got := resp.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("WWW-Authenticate %q", got)
		}
	})
	t.Run("three parts in header", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", "Bearer a b")
		wantFault(t, resp, body, CodeMissingCredentials)
	})
	t.Run("expired", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"exp": time.Now().Add(-time.Minute).Unix()}))
		wantFault(t, resp, body, CodeTokenExpired)
		if !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
			t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
		}
	})
	t.Run("subscription to another API", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"subscribedAPIs": []map[string]any{{"name": "Other", "version": "1.0.0"}}}))
		wantFault(t, resp, body, CodeResourceForbidden)
	})
	t.Run("subscription to another version", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"subscribedAPIs": []map[string]any{{"name": "PizzaShackAPI", "version": "2.0.0"}}}))
		wantFault(t, resp, body, CodeResourceForbidden)
	})
	t.Run("wildcard version", func(t *testing.T) {
		resp, _ := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"subscribedAPIs": []map[string]any{{"name": "PizzaShackAPI", "version": "*", "subscriptionTier": "Gold"}}}))
		if resp.StatusCode != 200 || cap.get().Auth.SubscriptionTier != "Gold" {
			t.Fatalf("%d %+v", resp.StatusCode, cap.get().Auth)
		}
	})
	t.Run("no subscription list", func(t *testing.T) {
		resp, _ := do(t, c, "GET", url+"/menu", nil, "Authorization", tok(map[string]any{"subscribedAPIs": nil, "application": nil}))
		a := cap.get().Auth
		if resp.StatusCode != 200 || a.SubscriptionTier != "Unauthenticated" || a.ApplicationID != "__unknown__" {
			t.Fatalf("%d %+v", resp.StatusCode, a)
		}
	})
	t.Run("missing scope", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/admin", nil, "Authorization", tok(nil))
		wantFault(t, resp, body, CodeInvalidScope)
	})
	t.Run("scope granted", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/admin", nil, "Authorization", tok(map[string]any{"scope": "default pizza:admin"}))
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
	t.Run("unsecured resource", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/open", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
		if cap.get().Auth.Authenticated {
			t.Error("an unsecured resource got an auth context")
		}
	})
	t.Run("basic not allowed", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("a:b")))
		wantFault(t, resp, body, CodeInvalidCredentials)
	})
	t.Run("opaque token, key manager unreachable", func(t *testing.T) {
		resp, body := do(t, c, "GET", url+"/menu", nil, "Authorization", "Bearer 1234-abcd")
		if resp.StatusCode != 500 || !strings.Contains(body, `"code":900900`) {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	})
}

func TestValidateSubscriptionPerIssuer(t *testing.T) {
	prod := echoBackend(t, "prod")
	key := rsaTestKey(t)
	other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cfg := secured(writePublicKey(t, key.Public()))
	cfg.JWT.Issuers = []JWTIssuer{{Issuer: "https://idp.example", Audience: "gw", CertFile: writePublicKey(t, other.Public()), ValidateSubscription: true}}
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"
	empty := map[string]any{"subscribedAPIs": []any{}}
	// Default issuer: an empty list passes, as in the original.
	resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "RS256", key, nil, apimClaims(empty)))
	if resp.StatusCode != 200 {
		t.Fatalf("default issuer, empty subscriptions: %d %s", resp.StatusCode, body)
	}
	idp := func(ch map[string]any) map[string]any {
		m := apimClaims(ch)
		m["iss"], m["aud"] = "https://idp.example", []string{"x", "gw"}
		return m
	}
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", other, nil, idp(empty)))
	wantFault(t, resp, body, CodeResourceForbidden)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", other, nil, idp(map[string]any{"subscribedAPIs": nil})))
	wantFault(t, resp, body, CodeResourceForbidden)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", other, nil, idp(nil)))
	if resp.StatusCode != 200 {
		t.Fatalf("second issuer with a subscription: %d %s", resp.StatusCode, body)
	}
	// Multi-issuer bypass: a token claiming the second issuer but signed
	// by the first issuer's key is refused, and the other way round.
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "RS256", key, nil, idp(nil)))
	wantFault(t, resp, body, CodeInvalidCredentials)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", other, nil, apimClaims(nil)))
	wantFault(t, resp, body, CodeInvalidCredentials)
}

func TestJWTAttacks(t *testing.T) {
	prod := echoBackend(t, "prod")
	key := rsaTestKey(t)
	pubFile := writePublicKey(t, key.Public())
	cfg := secured(pubFile)
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"

	good := signJWT(t, "RS256", key, nil, apimClaims(nil))
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	pubPEM, _ := os.ReadFile(pubFile)
	hs := func(secret []byte) string {
		in := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + parts[1]
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(in))
		return in + "." + b64(m.Sum(nil))
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[0] ^= 1
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)

	cases := []struct {
		name  string
		token string
		code  int
	}{
		{"alg none", b64([]byte(`{"alg":"none"}`)) + "." + parts[1] + ".", CodeInvalidCredentials},
		{"HMAC signed with the public key", hs(pubPEM), CodeInvalidCredentials},
		{"swapped algorithm", b64([]byte(`{"alg":"ES256"}`)) + "." + parts[1] + "." + parts[2], CodeInvalidCredentials},
		{"other key type", signJWT(t, "EdDSA", edKey, nil, apimClaims(nil)), CodeInvalidCredentials},
		{"expired", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})), CodeTokenExpired},
		{"not yet valid", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"nbf": time.Now().Add(time.Hour).Unix()})), CodeInvalidCredentials},
		{"issued in the future", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"iat": time.Now().Add(time.Hour).Unix()})), CodeInvalidCredentials},
		{"no exp", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"exp": nil})), CodeInvalidCredentials},
		{"wrong issuer", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"iss": "https://evil"})), CodeInvalidCredentials},
		{"wrong audience", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"aud": "someone-else"})), CodeInvalidCredentials},
		{"tampered payload", parts[0] + "." + b64([]byte(strings.Replace(string(payload), "alice", "admin", 1))) + "." + parts[2], CodeInvalidCredentials},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64(sig), CodeInvalidCredentials},
		{"truncated", good[:len(good)-8], CodeInvalidCredentials},
		{"oversized", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"pad": strings.Repeat("A", 20000)})), CodeInvalidCredentials},
		{"subscription to another API", signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"subscribedAPIs": []map[string]any{{"name": "Other", "version": "1.0.0"}}})), CodeResourceForbidden},
		{"garbage", "not.a.token", CodeInvalidCredentials},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer "+tc.token)
			wantFault(t, resp, body, tc.code)
		})
	}
	// The untampered token passes, so each case fails for its reason.
	resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer "+good)
	if resp.StatusCode != 200 {
		t.Fatalf("good token: %d %s", resp.StatusCode, body)
	}
	// A cached token is still checked for expiry.
	short := signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"exp": time.Now().Add(time.Second).Unix()}))
	if resp, _ := do(t, c, "GET", url, nil, "Authorization", "Bearer "+short); resp.StatusCode != 200 {
		t.Fatalf("short-lived token refused: %d", resp.StatusCode)
	}
	time.Sleep(cfg.JWT.Skew + 1100*time.Millisecond)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+short)
	wantFault(t, resp, body, CodeTokenExpired)
}

func TestAuthHeaderHandling(t *testing.T) {
	prod := echoBackend(t, "prod")
	key := rsaTestKey(t)
	tok := "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(nil))

	// A custom header is read and removed; Authorization passes through.
	spec := pizzaSpec(prod.URL, prod.URL)
	spec.APIs[0].AuthHeader = "X-Token"
	gw := start(t, spec, secured(writePublicKey(t, key.Public())))
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "X-Token", tok, "Authorization", "Basic Zm9vOmJhcg==")
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	e := decodeEcho(t, body)
	if e.Header.Get("X-Token") != "" || e.Header.Get("Authorization") != "Basic Zm9vOmJhcg==" {
		t.Errorf("backend headers %v", e.Header)
	}
	resp, body = do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", tok)
	wantFault(t, resp, body, CodeMissingCredentials)

	// remove_auth_header false keeps it.
	cfg := secured(writePublicKey(t, key.Public()))
	cfg.Security.RemoveAuthHeader = false
	gw2 := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	resp, body = do(t, client(), "GET", gw2.http+"/pizzashack/1.0.0/menu", nil, "Authorization", tok)
	if resp.StatusCode != 200 || decodeEcho(t, body).Header.Get("Authorization") != tok {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
}

func TestBasicAuthAndAPIKeys(t *testing.T) {
	prod := echoBackend(t, "prod")
	key := rsaTestKey(t)
	apiKeyIssuer, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cfg := secured("")
	sum := sha256.Sum256([]byte("salt" + "s3cret"))
	cfg.Security.BasicUsers = []BasicUser{
		{Name: "ci", PasswordHash: "sha256$salt$" + hexString(sum[:])},
		{Name: "old", PasswordHash: "9b33046ed39d182e3adafa9045ad6787d4bbc321"},                    // SHA-1 of "legacy"
		{Name: "bc", PasswordHash: "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"}, // bcrypt of "U*U"
	}
	cfg.Security.APIKeyIssuers = []JWTIssuer{{Issuer: "https://apim/apikey", CertFile: writePublicKey(t, apiKeyIssuer.Public())}}
	spec := pizzaSpec(prod.URL, prod.URL)
	spec.APIs[0].SecurityTypes = []string{"basic_auth", "api_key"}
	var cap authCapture
	gw := start(t, spec, cfg, cap.mw)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"
	basic := func(u, p string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(u+":"+p)) }

	resp, body := do(t, c, "GET", url, nil, "Authorization", basic("ci", "s3cret"))
	if resp.StatusCode != 200 || cap.get().Auth.Username != "ci" || cap.get().Auth.Scheme != "basic" {
		t.Fatalf("basic: %d %s %+v", resp.StatusCode, body, cap.get().Auth)
	}
	if e := decodeEcho(t, body); e.Header.Get("Authorization") != "" {
		t.Error("basic credentials reached the backend")
	}
	resp, _ = do(t, c, "GET", url, nil, "Authorization", basic("old", "legacy"))
	if resp.StatusCode != 200 {
		t.Fatalf("SHA-1 user: %d", resp.StatusCode)
	}
	for i := 0; i < 2; i++ { // the second time from the cache
		resp, _ = do(t, c, "GET", url, nil, "Authorization", basic("bc", "U*U"))
		if resp.StatusCode != 200 {
			t.Fatalf("bcrypt user: %d", resp.StatusCode)
		}
	}
	for _, bad := range []string{basic("ci", "wrong"), basic("nobody", "s3cret"), basic("old", "wrong"), basic("bc", "U*U*"), basic("ci", "U*U")} {
		resp, body = do(t, c, "GET", url, nil, "Authorization", bad)
		wantFault(t, resp, body, CodeInvalidBasicAuth)
		if !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Basic") {
			t.Errorf("WWW-Authenticate %q", resp.Header.Get("WWW-Authenticate"))
		}
	}
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("nocolon")))
	wantFault(t, resp, body, CodeBasicAuthFormat)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Basic %%%")
	wantFault(t, resp, body, CodeBasicAuthFormat)
	// oauth2 is not among the API's types.
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "RS256", key, nil, apimClaims(nil)))
	wantFault(t, resp, body, CodeInvalidCredentials)

	apiKey := signJWT(t, "ES256", apiKeyIssuer, nil, apimClaims(map[string]any{"iss": "https://apim/apikey"}))
	resp, body = do(t, c, "GET", url, nil, "apikey", apiKey)
	if resp.StatusCode != 200 || cap.get().Auth.Scheme != "apikey" || decodeEcho(t, body).Header.Get("Apikey") != "" {
		t.Fatalf("apikey header: %d %s", resp.StatusCode, body)
	}
	resp, body = do(t, c, "GET", url+"?a=1&apikey="+apiKey, nil)
	if resp.StatusCode != 200 || decodeEcho(t, body).RequestURI != "/menu?a=1" {
		t.Fatalf("apikey query: %d %s", resp.StatusCode, body)
	}
	// An access-token issuer does not sign API keys.
	resp, body = do(t, c, "GET", url, nil, "apikey", signJWT(t, "RS256", key, nil, apimClaims(nil)))
	wantFault(t, resp, body, CodeInvalidCredentials)
	resp, body = do(t, c, "GET", url, nil)
	wantFault(t, resp, body, CodeMissingCredentials)
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestSecurityConfigErrors(t *testing.T) {
	spec := pizzaSpec("http://127.0.0.1:1", "http://127.0.0.1:1")
	cases := []struct {
		env  []string
		want string
	}{
		{[]string{"MGW_JWT_CERT_FILE=/nonexistent.pem"}, "cannot read cert_file"},
		{[]string{"MGW_JWKS_URL=ftp://x"}, "must start with http"},
	}
	for _, c := range cases {
		cfg, err := LoadConfig(spec, "", append(c.env, "MGW_HTTP_PORT=0"))
		if err == nil {
			_, err = New(spec, cfg, nil)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: got %v, want %q", c.env, err, c.want)
		}
	}
	dir := t.TempDir()
	file := dir + "/gw.yaml"
	os.WriteFile(file, []byte("security:\n  basic_users:\n    - name: a\n      password_hash: plaintext\njwt:\n  issuers:\n    - issuer: x\n"), 0o600)
	_, err := LoadConfig(spec, file, nil)
	if err == nil || !strings.Contains(err.Error(), "password_hash") || !strings.Contains(err.Error(), "needs cert_file or jwks_url") || strings.Contains(err.Error(), "plaintext") {
		t.Errorf("got %v", err)
	}
}

func TestRealmName(t *testing.T) {
	if got := realmName("Pizza \"Shack\"\r\n\\API"); got != "Pizza ShackAPI" {
		t.Errorf("realmName = %q", got)
	}
}
