package gateway

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// jwksServer serves a JWKS document that tests can change.
type jwksServer struct {
	mu      sync.Mutex
	doc     []byte
	fetches atomic.Int32
	url     string
}

func newJWKSServer(t *testing.T) *jwksServer {
	s := &jwksServer{}
	srv := backend(t, func(w http.ResponseWriter, r *http.Request) {
		s.fetches.Add(1)
		s.mu.Lock()
		defer s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.doc)
	})
	s.url = srv.URL + "/jwks"
	return s
}

func (s *jwksServer) set(keys map[string]*ecdsa.PrivateKey) {
	var list []map[string]any
	for kid, k := range keys {
		b, _ := k.PublicKey.Bytes()
		list = append(list, map[string]any{"kty": "EC", "crv": "P-256", "kid": kid, "use": "sig",
			"x": base64.RawURLEncoding.EncodeToString(b[1:33]), "y": base64.RawURLEncoding.EncodeToString(b[33:])})
	}
	doc, _ := json.Marshal(map[string]any{"keys": list})
	s.mu.Lock()
	s.doc = doc
	s.mu.Unlock()
}

func TestJWKSRotation(t *testing.T) {
	prod := echoBackend(t, "prod")
	k1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k3, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	js := newJWKSServer(t)
	js.set(map[string]*ecdsa.PrivateKey{"k1": k1})
	cfg := secured("")
	cfg.JWT.JWKSURL = js.url
	cfg.JWT.JWKSRefreshInterval = time.Hour
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"
	call := func(kid string, k *ecdsa.PrivateKey) (*http.Response, string) {
		return do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", k, map[string]any{"kid": kid}, apimClaims(nil)))
	}
	if resp, body := call("k1", k1); resp.StatusCode != 200 {
		t.Fatalf("k1: %d %s", resp.StatusCode, body)
	}
	if n := js.fetches.Load(); n != 1 {
		t.Fatalf("%d fetches at start, want 1", n)
	}
	// The issuer rotates to k2: the unknown kid triggers one refresh.
	js.set(map[string]*ecdsa.PrivateKey{"k1": k1, "k2": k2})
	if resp, body := call("k2", k2); resp.StatusCode != 200 {
		t.Fatalf("k2 after rotation: %d %s", resp.StatusCode, body)
	}
	if n := js.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches, want 2", n)
	}
	// Unknown kids do not make the gateway hammer the JWKS URL.
	for i := 0; i < 5; i++ {
		resp, body := call("nope", k3)
		wantFault(t, resp, body, CodeInvalidCredentials)
	}
	if n := js.fetches.Load(); n != 2 {
		t.Fatalf("%d fetches after unknown kids, want 2 (rate limited)", n)
	}
	// A kid that exists but signed by another key.
	resp, body := call("k1", k3)
	wantFault(t, resp, body, CodeInvalidCredentials)
}

func TestJWKSUnreachable(t *testing.T) {
	prod := echoBackend(t, "prod")
	// At start: a clear configuration error.
	cfg := secured("")
	cfg.JWT.JWKSURL = deadURL(t) + "/jwks"
	_, err := New(pizzaSpec(prod.URL, prod.URL), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), "JWKS") {
		t.Fatalf("unreachable JWKS at start: %v", err)
	}
	// Later: the known keys keep working, unknown kids are refused.
	k1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	js := newJWKSServer(t)
	js.set(map[string]*ecdsa.PrivateKey{"k1": k1})
	cfg.JWT.JWKSURL = js.url
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	js.mu.Lock()
	js.doc = []byte("<html>down</html>")
	js.mu.Unlock()
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"
	resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", k2, map[string]any{"kid": "k2"}, apimClaims(nil)))
	wantFault(t, resp, body, CodeInvalidCredentials)
	resp, body = do(t, c, "GET", url, nil, "Authorization", "Bearer "+signJWT(t, "ES256", k1, map[string]any{"kid": "k1"}, apimClaims(nil)))
	if resp.StatusCode != 200 {
		t.Fatalf("known key after a failed refresh: %d %s", resp.StatusCode, body)
	}
}
