package gateway

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/keymanager"
)

// kmValidator validates opaque tokens with the key manager.
type kmValidator struct {
	v          *keymanager.Validator
	introspect bool
	skew       time.Duration
}

// newKMValidator prepares the key manager client; it makes no call.
func newKMValidator(cfg *Config) (*kmValidator, error) {
	km := cfg.KeyManager
	client, err := securityClient(km.CAFile, km.Timeout)
	if err != nil {
		return nil, err
	}
	base := strings.TrimSuffix(km.URL, "/")
	c := &keymanager.Client{
		SOAPURL:       base + "/services/APIKeyValidationService",
		IntrospectURL: km.IntrospectURL,
		Username:      km.Username,
		Password:      km.Password.Reveal(),
		HTTP:          client,
	}
	if c.IntrospectURL == "" {
		c.IntrospectURL = base + "/oauth2/introspect"
	}
	size := cfg.Security.TokenCacheSize
	if size <= 0 {
		size = 1000
	}
	k := &kmValidator{introspect: km.Mode == "introspect", skew: cfg.JWT.Skew}
	k.v = &keymanager.Validator{
		TTL: km.CacheTTL, NegativeTTL: km.NegativeCacheTTL, Timeout: km.Timeout, Size: size, Skew: cfg.JWT.Skew,
	}
	if k.introspect {
		k.v.Key = func(r keymanager.Request) string { return r.Token }
		k.v.Fetch = func(ctx context.Context, r keymanager.Request) (*keymanager.Info, error) {
			return c.Introspect(ctx, r.Token)
		}
	} else {
		// The original's key-validation cache key: token, context/version,
		// resource and verb.
		k.v.Key = func(r keymanager.Request) string {
			return r.Token + ":" + r.Context + r.Resource + ":" + r.Verb
		}
		k.v.Fetch = c.ValidateKey
	}
	return k, nil
}

// kmContext is the API's context as validateKey wants it: the base path
// with "/<version>" appended when absent.
func kmContext(api *API) string {
	ctx := api.BasePath
	if ctx == "" {
		ctx = api.Context
	}
	if !strings.HasSuffix(ctx, "/"+api.Version) {
		ctx += "/" + api.Version
	}
	return ctx
}

// kmUnavailableDetail explains a 900900 fault sent because the key
// manager did not answer (fail closed).
const kmUnavailableDetail = "The key manager could not validate the token; try again later"

// opaqueAuth validates an opaque OAuth2 token; it returns 0 or a fault
// code (CodeAuthGeneral when the key manager cannot be reached).
func (s *security) opaqueAuth(r *http.Request, token string, info *RequestInfo) int {
	req := keymanager.Request{
		Context: kmContext(info.API), Version: info.API.Version, Token: token,
		Resource: info.Resource.Path, Verb: info.Resource.Method,
	}
	ki, err := s.km.v.Validate(r.Context(), req)
	if err != nil {
		if !errors.Is(err, context.Canceled) {
			s.g.log.Warn("key manager call failed", "request_id", info.ID, "error", err.Error())
		}
		return CodeAuthGeneral
	}
	if !ki.Authorized {
		if _, known := faults[ki.ValidationStatus]; known && ki.ValidationStatus >= CodeAuthGeneral && ki.ValidationStatus <= CodeInvalidScope {
			return ki.ValidationStatus
		}
		return CodeInvalidCredentials
	}
	if keymanager.Expired(ki, s.now(), s.km.skew) {
		return CodeInvalidCredentials
	}
	scopes := ki.Scopes
	if s.km.introspect && !hasScopes(scopes, info.Resource.Scopes) {
		return CodeInvalidScope
	}
	info.Auth = AuthContext{
		Authenticated:          true,
		Scheme:                 schemeOAuth2,
		Username:               ki.EndUserName,
		ConsumerKey:            ki.ConsumerKey,
		ApplicationID:          ki.ApplicationID,
		ApplicationName:        ki.ApplicationName,
		ApplicationOwner:       ki.Subscriber,
		ApplicationTier:        ki.ApplicationTier,
		SubscriptionTier:       ki.Tier,
		SubscriberTenantDomain: ki.SubscriberTenantDomain,
		APIPublisher:           ki.APIPublisher,
		Scopes:                 scopes,
		EndUserToken:           ki.EndUserToken,
	}
	info.KeyType = keyTypeOf(ki.Type)
	return 0
}
