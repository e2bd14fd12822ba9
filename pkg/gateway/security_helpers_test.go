package gateway

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// testIssuer is the default issuer of the security tests.
const testIssuer = "https://localhost:9443/oauth2/token"

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

// rsaTestKey is one RSA key shared by the tests (generation is slow).
func rsaTestKey(t testing.TB) *rsa.PrivateKey {
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// writePublicKey writes pub as a PEM PUBLIC KEY file and returns its path.
func writePublicKey(t testing.TB, pub crypto.PublicKey) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "key.pem")
	if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// signJWT builds a compact JWS; alg RS256/PS256/ES256/EdDSA.
func signJWT(t testing.TB, alg string, priv crypto.Signer, header, claims map[string]any) string {
	t.Helper()
	h := map[string]any{"alg": alg, "typ": "JWT"}
	for k, v := range header {
		h[k] = v
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	input := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	d := sha256.Sum256([]byte(input))
	var sig []byte
	var err error
	switch alg {
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, priv.(*rsa.PrivateKey), crypto.SHA256, d[:])
	case "PS256":
		sig, err = rsa.SignPSS(rand.Reader, priv.(*rsa.PrivateKey), crypto.SHA256, d[:], &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
	case "ES256":
		r, s, e := ecdsa.Sign(rand.Reader, priv.(*ecdsa.PrivateKey), d[:])
		err = e
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	case "EdDSA":
		sig = ed25519.Sign(priv.(ed25519.PrivateKey), []byte(input))
	default:
		t.Fatalf("signJWT: unsupported %s", alg)
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// apimClaims are API Manager style claims for PizzaShackAPI 1.0.0 with
// changes applied (a nil value deletes a claim).
func apimClaims(changes map[string]any) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": testIssuer, "aud": "http://org.wso2.apimgt/gateway", "sub": "alice",
		"exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "jti": "j1",
		"scope":       "am_application_scope default",
		"keytype":     "PRODUCTION",
		"consumerKey": "ck-1",
		"application": map[string]any{"id": 7, "name": "App", "tier": "Gold", "owner": "alice"},
		"subscribedAPIs": []map[string]any{
			{"name": "PizzaShackAPI", "context": "/pizzashack/1.0.0", "version": "1.0.0", "publisher": "admin", "subscriptionTier": "Silver", "subscriberTenantDomain": "carbon.super"},
		},
	}
	for k, v := range changes {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// pizzaSpec is a secured API with a production and a sandbox backend.
func pizzaSpec(prod, sand string) *Spec {
	return &Spec{
		Label: "test", MgwVersion: "v0.0.0-test",
		APIs: []API{{
			Name: "PizzaShackAPI", Version: "1.0.0", Context: "/pizzashack", BasePath: "/pizzashack/1.0.0",
			Provider:   "admin",
			Production: &Endpoint{Type: EndpointHTTP, URLs: []string{prod}},
			Sandbox:    &Endpoint{Type: EndpointHTTP, URLs: []string{sand}},
			Resources: []Resource{
				{Path: "/admin", Method: "GET", Scopes: []string{"pizza:admin"}},
				{Path: "/menu", Method: "GET"},
				{Path: "/open", Method: "GET", AuthType: "None"},
				{Path: "/order", Method: "POST"},
			},
		}},
	}
}

// secured returns a test config with security on and the default issuer
// trusting the key in certFile.
func secured(certFile string) Config {
	c := testConfig()
	c.Security.Enabled = true
	c.JWT.CertFile = certFile
	return c
}

// authCapture records the RequestInfo security produced.
type authCapture struct {
	mu   sync.Mutex
	last RequestInfo
}

func (a *authCapture) mw(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.last = *InfoFrom(r.Context())
		a.mu.Unlock()
		next.ServeHTTP(w, r)
	})
}

func (a *authCapture) get() RequestInfo {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.last
}
