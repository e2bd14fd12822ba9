package gateway

import (
	"context"
	"net/http"
	"net/netip"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// Key types select which of an API's endpoints serves a request.
const (
	KeyTypeProduction = "PRODUCTION"
	KeyTypeSandbox    = "SANDBOX"
)

// Middleware wraps the handler that forwards a routed request. It runs
// only for requests that matched an API resource and method, and finds
// what was matched with InfoFrom. Security, throttling and analytics plug
// in this way (see Gateway.Use).
type Middleware func(next http.Handler) http.Handler

// RequestInfo is what the gateway knows about a routed request.
// Middleware may change KeyType (security sets it from the credentials)
// and must treat the rest as read-only.
type RequestInfo struct {
	// ID is the request id, from a well-formed X-Request-ID header or
	// generated; it is sent to the backend and back to the client.
	ID string
	// API and Resource are the matched API and operation.
	API      *API
	Resource *Resource
	// KeyType is KeyTypeProduction (the default) or KeyTypeSandbox.
	KeyType string
	// ClientIP is the client's address: the peer, or with trusted proxies
	// the rightmost untrusted X-Forwarded-For entry.
	ClientIP netip.Addr
	// Path is the normalised request path.
	Path string
	// BackendPath is Path without the API's base path: what is appended to
	// the endpoint URL.
	BackendPath string
	// Start is when the gateway received the request.
	Start time.Time
	// Auth is what security learned about the caller; zero for
	// unauthenticated resources. Security sets it, throttling and
	// analytics read it.
	Auth AuthContext
	// Throttled reports that a throttling policy was exceeded; with
	// ThrottledOut set the request was let through anyway
	// (stopOnQuotaReach false) and analytics marks it.
	Throttled    bool
	ThrottledOut bool
	// ThrottleReason names the exceeded level for analytics, e.g.
	// "SUBSCRIPTION_LIMIT_EXCEEDED" or "APPLICATION_LIMIT_EXCEEDED".
	ThrottleReason string
	// SecurityTime and ThrottlingTime are what authentication and the
	// throttling decision took, for analytics' latency breakdown
	// (throttling is timed only with Redis; in memory it is a few
	// hundred nanoseconds).
	SecurityTime   time.Duration
	ThrottlingTime time.Duration
}

// AuthContext describes the authenticated caller of a request, as the
// original gateway's AuthenticationContext did.
type AuthContext struct {
	// Authenticated is true once credentials were verified.
	Authenticated bool
	// Scheme is how: "jwt", "oauth2" (opaque token), "basic" or "apikey".
	Scheme string
	// Username is the end user (JWT sub, KM endUserName, basic user).
	Username string
	// ConsumerKey is the OAuth client id of the application.
	ConsumerKey string
	// Application of the caller.
	ApplicationID    string
	ApplicationName  string
	ApplicationOwner string
	ApplicationTier  string
	// SubscriptionTier is the subscription policy of the application to
	// this API ("Unauthenticated" when there is none).
	SubscriptionTier string
	// SubscriberTenantDomain and APIPublisher come from the subscription.
	SubscriberTenantDomain string
	APIPublisher           string
	// Scopes granted by the token.
	Scopes []string
	// EndUserToken is the end-user JWT the key manager issued with an
	// opaque token's validation, if any; it goes to the backend in
	// security.end_user_jwt_header. It is a credential: never log it.
	EndUserToken string

	// token is the verified JWT's claims (JSON, claim mapping applied)
	// for the interceptors' Auth.Claims; nil for other credentials. It is
	// shared with the token cache and every request with the same token,
	// and never changes.
	token *intercept.TokenClaims
}

type exchangeKey struct{}

// exchangeCtx is a request's context with its exchange as a value. It
// lives inside the exchange, so attaching it costs no allocation beyond
// the request copy; everything else is the parent's.
type exchangeCtx struct {
	context.Context
	ex *exchange
}

// Value implements context.Context.
func (c *exchangeCtx) Value(key any) any {
	if _, ok := key.(exchangeKey); ok {
		return c.ex
	}
	return c.Context.Value(key)
}

// InfoFrom returns the RequestInfo of a request the gateway routed, or nil.
func InfoFrom(ctx context.Context) *RequestInfo {
	if ex, ok := ctx.Value(exchangeKey{}).(*exchange); ok {
		return &ex.info
	}
	return nil
}

func exchangeFrom(ctx context.Context) *exchange {
	ex, _ := ctx.Value(exchangeKey{}).(*exchange)
	return ex
}
