package gateway

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// optionalSpec is pizzaSpec with optional security (oauth2 and API keys)
// and policies for callers with and without a token.
func optionalSpec(url string, unauthLimit int64) *Spec {
	s := pizzaSpec(url, url)
	s.APIs[0].OptionalSecurity = true
	s.APIs[0].SecurityTypes = []string{"oauth2", "api_key"}
	s.Policies = Policies{
		Subscription: []Policy{countPolicy("Silver", 100000, 1, "hour"), countPolicy(UnauthenticatedPolicy, unauthLimit, 1, "hour")},
		Application:  []Policy{countPolicy("Gold", 100000, 1, "hour")},
	}
	return s
}

func TestOptionalSecurity(t *testing.T) {
	be := echoBackend(t, "prod")
	key := rsaTestKey(t)
	cfg := secured(writePublicKey(t, key.Public()))
	var cap authCapture
	gw := start(t, optionalSpec(be.URL, 1000), cfg, cap.mw)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"
	good := "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(nil))

	resp, body := do(t, c, "GET", url, nil)
	if resp.StatusCode != 200 || cap.get().Auth.Authenticated {
		t.Fatalf("no credentials: %d %s, auth %+v; want 200 as anonymous", resp.StatusCode, body, cap.get().Auth)
	}
	resp, body = do(t, c, "GET", url, nil, "Authorization", good)
	if a := cap.get().Auth; resp.StatusCode != 200 || !a.Authenticated || a.SubscriptionTier != "Silver" {
		t.Fatalf("good token: %d %s, auth %+v", resp.StatusCode, body, a)
	}
	// Credentials that are presented must be valid.
	// The good token's header and payload with another token's signature.
	other := signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"sub": "mallory"}))
	forged := good[:strings.LastIndexByte(good, '.')] + other[strings.LastIndexByte(other, '.'):]
	expired := "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"exp": time.Now().Add(-time.Hour).Unix()}))
	for _, tc := range []struct {
		name   string
		url    string
		header []string
		code   int
	}{
		{"forged token", url, []string{"Authorization", forged}, CodeInvalidCredentials},
		{"expired token", url, []string{"Authorization", expired}, CodeTokenExpired},
		{"bearer without a token", url, []string{"Authorization", "Bearer"}, CodeMissingCredentials},
		{"unknown scheme", url, []string{"Authorization", "Token abc"}, CodeMissingCredentials},
		{"empty header", url, []string{"Authorization", ""}, CodeMissingCredentials},
		{"bad API key header", url, []string{"apikey", "not-a-key"}, CodeInvalidCredentials},
		{"empty API key in the query", url + "?apikey=", nil, CodeMissingCredentials},
		{"bad API key in the query", url + "?apikey=abc", nil, CodeInvalidCredentials},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, c, "GET", tc.url, nil, tc.header...)
			wantFault(t, resp, body, tc.code)
		})
	}
	// Scopes still bind a caller with a token, and a resource with scopes
	// needs one: an anonymous caller holds no scope.
	resp, body = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/admin", nil, "Authorization", good)
	wantFault(t, resp, body, CodeInvalidScope)
	resp, body = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/admin", nil)
	wantFault(t, resp, body, CodeMissingCredentials)
}

// Without optional security nothing changes: no credentials is 900902.
func TestOptionalSecurityOffStillRequiresCredentials(t *testing.T) {
	be := echoBackend(t, "prod")
	key := rsaTestKey(t)
	spec := optionalSpec(be.URL, 1000)
	spec.APIs[0].OptionalSecurity = false
	gw := start(t, spec, secured(writePublicKey(t, key.Public())))
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil)
	wantFault(t, resp, body, CodeMissingCredentials)
}

// Anonymous callers of an API with optional security are throttled by the
// Unauthenticated policy per client IP, as the original throttles
// resources without security; callers with a token are not counted there.
func TestOptionalSecurityAnonymousThrottled(t *testing.T) {
	const limit, anonymous, withToken = 40, 200, 60
	key := rsaTestKey(t)
	good := "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(nil))
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := secured(writePublicKey(t, key.Public()))
			if store == "redis" {
				rc := redisConfig(redistest.Start(t, "").URL())
				cfg.Redis, cfg.Throttling = rc.Redis, rc.Throttling
				cfg.Throttling.RedisTimeout = 10 * time.Second
			}
			var hits atomic.Int64
			be := backend(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
			gw := start(t, optionalSpec(be.URL, limit), cfg)
			url := gw.http + "/pizzashack/1.0.0/menu"
			codes := concurrentCodes(t, anonymous, url)
			if codes[0] != limit || codes[CodeSubscriptionThrottled] != anonymous-limit {
				t.Fatalf("anonymous: fault codes %v; want %d passed, the rest 900804", codes, limit)
			}
			codes = concurrentCodes(t, withToken, url, "Authorization", good)
			if codes[0] != withToken {
				t.Fatalf("with a token: fault codes %v; want all %d passed (their own quota)", codes, withToken)
			}
			if hits.Load() != limit+withToken {
				t.Fatalf("backend saw %d, want %d", hits.Load(), limit+withToken)
			}
		})
	}
}
