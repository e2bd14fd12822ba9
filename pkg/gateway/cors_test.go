package gateway

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCORSPreflightBeforeAuth(t *testing.T) {
	prod := echoBackend(t, "prod")
	key := rsaTestKey(t)
	spec := pizzaSpec(prod.URL, prod.URL)
	spec.APIs[0].CORS = &CORS{Enabled: true, AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET", "POST"},
		AllowHeaders: []string{"Authorization", "Content-Type"}, ExposeHeaders: []string{"X-Request-Id"}, AllowCredentials: true, MaxAgeSeconds: 600}
	gw := start(t, spec, secured(writePublicKey(t, key.Public())))
	c := client()
	url := gw.http + "/pizzashack/1.0.0/order"

	// /order has no OPTIONS operation and is secured: the preflight is
	// still answered, without credentials.
	resp, _ := do(t, c, "OPTIONS", url, nil, "Origin", "https://app.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization, content-type")
	h := resp.Header
	if resp.StatusCode != http.StatusNoContent || h.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		h.Get("Access-Control-Allow-Credentials") != "true" || h.Get("Access-Control-Allow-Methods") != "GET, POST" ||
		h.Get("Access-Control-Allow-Headers") != "Authorization, Content-Type" || h.Get("Access-Control-Max-Age") != "600" ||
		!strings.Contains(strings.Join(h.Values("Vary"), ","), "Origin") {
		t.Fatalf("preflight: %d %v", resp.StatusCode, h)
	}
	for _, bad := range [][]string{
		{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"},
		{"Origin", "https://app.example", "Access-Control-Request-Method", "DELETE"},
		{"Origin", "https://app.example", "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "X-Secret"},
	} {
		resp, _ := do(t, c, "OPTIONS", url, nil, bad...)
		if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "" || resp.Header.Get("Access-Control-Allow-Methods") != "" {
			t.Errorf("%v: %d %v", bad, resp.StatusCode, resp.Header)
		}
	}
	// A plain OPTIONS (not a preflight) still gets 405.
	resp, _ = do(t, c, "OPTIONS", url, nil, "Origin", "https://app.example")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("plain OPTIONS: %d", resp.StatusCode)
	}
	// The actual request needs credentials and carries the CORS headers,
	// on success and on failure.
	resp, body := do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Origin", "https://app.example")
	wantFault(t, resp, body, CodeMissingCredentials)
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("fault without CORS headers: %v", resp.Header)
	}
	resp, _ = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Origin", "https://app.example", "Authorization", "Bearer "+signJWT(t, "RS256", key, nil, apimClaims(nil)))
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "https://app.example" || resp.Header.Get("Access-Control-Expose-Headers") != "X-Request-Id" {
		t.Errorf("actual request: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/open", nil, "Origin", "https://evil.example")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("disallowed origin got %v", resp.Header)
	}
}

func TestCORSWildcardNeverWithCredentials(t *testing.T) {
	prod := echoBackend(t, "prod")
	spec := pizzaSpec(prod.URL, prod.URL)
	// From an API definition (not validated like the config file).
	spec.APIs[0].CORS = &CORS{Enabled: true, AllowOrigins: []string{"*"}, AllowCredentials: true}
	gw := start(t, spec, testConfig())
	resp, _ := do(t, client(), "OPTIONS", gw.http+"/pizzashack/1.0.0/menu", nil, "Origin", "https://any.example", "Access-Control-Request-Method", "GET")
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" || resp.Header.Get("Access-Control-Allow-Credentials") != "" {
		t.Fatalf("wildcard: %v", resp.Header)
	}
	// In the gateway's own config the combination is an error.
	cfg := testConfig()
	cfg.CORS = CORSConfig{Enabled: true, AllowOrigins: []string{"*"}, AllowCredentials: true}
	if _, err := New(spec, cfg, nil); err == nil || !strings.Contains(err.Error(), "allow_credentials") {
		t.Fatalf("got %v", err)
	}
}

func TestCORSDefaultFromConfig(t *testing.T) {
	prod := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.CORS = CORSConfig{Enabled: true, AllowOrigins: []string{"https://a.example"}, MaxAge: time.Minute}
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg)
	resp, _ := do(t, client(), "OPTIONS", gw.http+"/pizzashack/1.0.0/menu", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "apikey")
	if resp.Header.Get("Access-Control-Allow-Methods") != "GET, PUT, POST, DELETE, PATCH, OPTIONS" || resp.Header.Get("Access-Control-Max-Age") != "60" {
		t.Fatalf("defaults: %v", resp.Header)
	}
	// An API that disables CORS keeps its own choice.
	spec := pizzaSpec(prod.URL, prod.URL)
	spec.APIs[0].CORS = &CORS{Enabled: false}
	gw2 := start(t, spec, cfg)
	resp, _ = do(t, client(), "OPTIONS", gw2.http+"/pizzashack/1.0.0/menu", nil, "Origin", "https://a.example", "Access-Control-Request-Method", "GET")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("CORS disabled by the API: %d %v", resp.StatusCode, resp.Header)
	}
}
