package gateway

import (
	"cmp"
	"strings"

	"github.com/mgwio/mgw/pkg/gateway/internal/jwt"
)

// unknownApp fills application fields a token without subscribedAPIs
// does not give (subscription_filter.bal).
const unknownApp = "__unknown__"

// unauthenticatedTier is the subscription tier of callers without a
// subscription.
const unauthenticatedTier = "Unauthenticated"

// authorizeJWT applies the original's subscription filter and scope check
// to a verified token and fills RequestInfo.Auth and KeyType.
func (s *security) authorizeJWT(e *jwtEntry, info *RequestInfo, scheme string) int {
	c := e.claims
	api := info.API
	auth := AuthContext{
		Authenticated: true,
		Scheme:        scheme,
		Username:      c.Subject,
		ConsumerKey:   c.ConsumerKey,
		Scopes:        e.scopes,
		token:         &e.token,
	}
	// API Manager 3.x/4.x tokens name the client in azp or client_id
	// rather than consumerKey.
	clientOnly := false
	if auth.ConsumerKey == "" {
		auth.ConsumerKey = cmp.Or(string(c.AuthorizedParty), string(c.ClientID))
		clientOnly = auth.ConsumerKey != ""
	}
	if c.Application != nil {
		auth.ApplicationID = string(c.Application.ID)
		auth.ApplicationName = string(c.Application.Name)
		auth.ApplicationOwner = string(c.Application.Owner)
		auth.ApplicationTier = string(c.Application.Tier)
	}
	switch sub := findSubscription(c, api); {
	case c.SubscribedAPIs == nil || len(*c.SubscribedAPIs) == 0:
		if e.iss.cfg.ValidateSubscription {
			return CodeResourceForbidden
		}
		auth.SubscriptionTier = unauthenticatedTier
		if c.SubscribedAPIs == nil && c.Application == nil {
			auth.ApplicationID, auth.ApplicationName = unknownApp, unknownApp
			if (clientOnly || e.iss.cfg.ConsumerKeyClaim != "") && auth.ConsumerKey != "" {
				// A third-party token names its client, not an API
				// Manager application: count per client.
				auth.ApplicationID = auth.ConsumerKey
			}
		}
	case sub == nil:
		return CodeResourceForbidden
	default:
		auth.SubscriptionTier = string(sub.SubscriptionTier)
		auth.APIPublisher = string(sub.Publisher)
		auth.SubscriberTenantDomain = string(sub.SubscriberTenantDomain)
	}
	if !hasScopes(auth.Scopes, info.Resource.Scopes) {
		return CodeInvalidScope
	}
	info.Auth = auth
	info.KeyType = keyTypeOf(c.KeyType)
	return 0
}

// findSubscription returns the subscribedAPIs entry for api: same name,
// and the same version or "*" (3.x).
func findSubscription(c *jwt.Claims, api *API) *jwt.Subscription {
	if c.SubscribedAPIs == nil {
		return nil
	}
	subs := *c.SubscribedAPIs
	for i := range subs {
		if string(subs[i].Name) == api.Name && (string(subs[i].Version) == api.Version || subs[i].Version == "*") {
			return &subs[i]
		}
	}
	return nil
}

// hasScopes reports whether every required scope is granted.
func hasScopes(granted, required []string) bool {
	for _, r := range required {
		found := false
		for _, g := range granted {
			if g == r {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// keyTypeOf maps a keytype claim to a key type: SANDBOX (any case) is the
// sandbox, anything else production.
func keyTypeOf(kt string) string {
	if strings.EqualFold(kt, KeyTypeSandbox) {
		return KeyTypeSandbox
	}
	return KeyTypeProduction
}
