package gateway

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// benchVerifier is a verifier trusting the shared RSA test key.
func benchVerifier(b *testing.B, cacheSize int) (*jwtVerifier, string) {
	key := rsaTestKey(b)
	cfg := secured(writePublicKey(b, key.Public()))
	cfg.Security.TokenCacheSize = cacheSize
	g := &Gateway{cfg: cfg, log: slog.New(slog.DiscardHandler)}
	v, err := newJWTVerifier(g, cfg.jwtIssuers(), "jwt", &cfg)
	if err != nil {
		b.Fatal(err)
	}
	return v, signJWT(b, "RS256", key, nil, apimClaims(nil))
}

// BenchmarkJWTValidationCached is the hot path: a token seen before.
func BenchmarkJWTValidationCached(b *testing.B) {
	v, tok := benchVerifier(b, 1000)
	now := time.Now()
	if _, err := v.verify(tok, now); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.verify(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJWTValidationUncached parses and verifies the RS256 signature
// every time.
func BenchmarkJWTValidationUncached(b *testing.B) {
	v, tok := benchVerifier(b, 0)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.verify(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSecurityMiddleware runs the whole middleware (header
// selection, cached JWT, subscription and scope rules) around a no-op.
func BenchmarkSecurityMiddleware(b *testing.B) {
	key := rsaTestKey(b)
	spec := pizzaSpec("http://127.0.0.1:1", "http://127.0.0.1:1")
	g, err := New(spec, secured(writePublicKey(b, key.Public())), nil)
	if err != nil {
		b.Fatal(err)
	}
	g.Use(func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) })
	})
	h := g.Handler()
	tok := "Bearer " + signJWT(b, "RS256", key, nil, apimClaims(nil))
	req := httptest.NewRequest("GET", "/pizzashack/1.0.0/menu", nil)
	b.ReportAllocs()
	for b.Loop() {
		req.Header.Set("Authorization", tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 204 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

func TestTokenCacheBoundsBytes(t *testing.T) {
	c := newTokenCache(1 << 20)
	long := strings.Repeat("x", 16<<10)
	exp := time.Now().Add(time.Hour)
	for i := range 2000 {
		c.put(fmt.Sprintf("%d.%s", i, long), &jwtEntry{}, exp)
		if c.bytes > tokenCacheBytes {
			t.Fatalf("after %d tokens the cache holds %d bytes, more than %d", i+1, c.bytes, tokenCacheBytes)
		}
	}
	if len(c.entries) == 0 {
		t.Fatal("the cache dropped everything")
	}
	if c.get("1999."+long) == nil {
		t.Fatal("the newest token is not cached")
	}
}
