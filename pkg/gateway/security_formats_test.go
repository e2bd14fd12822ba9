package gateway

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Tokens as API Manager 3.x and 4.x issue them are accepted: 3.x carries
// subscriptions (with aud and azp as the consumer key, tierInfo, an
// application uuid, iat in seconds); 4.x carries none, and its client
// (azp/client_id) stands for the application.
func TestAPIManager3And4Tokens(t *testing.T) {
	be := echoBackend(t, "prod")
	key := rsaTestKey(t)
	now := time.Now()
	const ck = "Xq2lS7cN0bVf9aHkK3wQpLmT1Eoa"
	v3 := map[string]any{
		"sub": "alice@carbon.super", "aut": "APPLICATION_USER", "aud": ck, "azp": ck, "nbf": now.Unix(),
		"iss": testIssuer, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "jti": "3b0c",
		"scope": "default", "keytype": "SANDBOX",
		"application": map[string]any{"owner": "alice", "tier": "Gold", "name": "App3", "id": 12, "uuid": "2b7a5c1e-6f0d-4a43-9c1b-3f7e8d2a9b10"},
		"tierInfo":    map[string]any{"Silver": map[string]any{"tierQuotaType": "requestCount", "stopOnQuotaReach": true, "spikeArrestLimit": 0, "spikeArrestUnit": nil}},
		"subscribedAPIs": []map[string]any{{"subscriberTenantDomain": "carbon.super", "name": "PizzaShackAPI", "context": "/pizzashack/1.0.0",
			"publisher": "admin", "version": "1.0.0", "subscriptionTier": "Silver"}},
	}
	v4 := map[string]any{
		"sub": "alice", "aut": "APPLICATION_USER", "aud": []string{ck}, "nbf": now.Unix(), "azp": ck,
		"scope": "default", "iss": testIssuer, "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "jti": "4c1d", "client_id": ck,
	}
	for _, tc := range []struct {
		name     string
		claims   map[string]any
		validate bool
		wantCode int
		want     AuthContext
		keyType  string
	}{
		{"3.x", v3, false, 0, AuthContext{Authenticated: true, Scheme: "jwt", Username: "alice@carbon.super", ConsumerKey: ck, ApplicationID: "12",
			ApplicationName: "App3", ApplicationOwner: "alice", ApplicationTier: "Gold", SubscriptionTier: "Silver", APIPublisher: "admin", SubscriberTenantDomain: "carbon.super"}, KeyTypeSandbox},
		{"3.x with validate_subscription", v3, true, 0, AuthContext{Authenticated: true, Scheme: "jwt", Username: "alice@carbon.super", ConsumerKey: ck, ApplicationID: "12",
			ApplicationName: "App3", ApplicationOwner: "alice", ApplicationTier: "Gold", SubscriptionTier: "Silver", APIPublisher: "admin", SubscriberTenantDomain: "carbon.super"}, KeyTypeSandbox},
		{"4.x", v4, false, 0, AuthContext{Authenticated: true, Scheme: "jwt", Username: "alice", ConsumerKey: ck, ApplicationID: ck,
			ApplicationName: unknownApp, SubscriptionTier: unauthenticatedTier}, KeyTypeProduction},
		{"4.x with validate_subscription", v4, true, CodeResourceForbidden, AuthContext{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := secured(writePublicKey(t, key.Public()))
			cfg.JWT.Audience = "" // 3.x and 4.x tokens are addressed to the consumer key
			cfg.JWT.ValidateSubscription = tc.validate
			var cap authCapture
			gw := start(t, pizzaSpec(be.URL, be.URL), cfg, cap.mw)
			resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer "+signJWT(t, "RS256", key, nil, tc.claims))
			if tc.wantCode != 0 {
				wantFault(t, resp, body, tc.wantCode)
				return
			}
			info := cap.get()
			if info.Auth.token == nil {
				t.Error("no claims for interceptors")
			}
			info.Auth.Scopes, info.Auth.token = nil, nil
			if resp.StatusCode != 200 || !reflect.DeepEqual(info.Auth, tc.want) || info.KeyType != tc.keyType {
				t.Fatalf("%d %s\nauth %+v, key type %s\nwant %+v, %s", resp.StatusCode, body, info.Auth, info.KeyType, tc.want, tc.keyType)
			}
			msg := "accepted without a subscription check"
			if tc.validate {
				msg = "tokens without subscribedAPIs are refused"
			}
			if !strings.Contains(gw.logs.String(), msg) {
				t.Errorf("the start log does not say %q:\n%s", msg, gw.logs.String())
			}
		})
	}
}
