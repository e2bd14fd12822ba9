package gateway

import (
	"context"
	"net/http"
	"net/netip"
	"time"
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
}

type exchangeKey struct{}

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
