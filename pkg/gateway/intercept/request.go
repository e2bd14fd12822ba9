package intercept

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/netip"
)

// Request is a request on its way to the backend.
type Request struct {
	// Method is the request method; read-only.
	Method string
	// Path is the normalised path the client asked for, base path
	// included; BackendPath is what follows the API's base path. Both are
	// read-only: routing has happened.
	Path        string
	BackendPath string
	// RawQuery is the query string without '?', as it will be sent to the
	// backend; it may be changed.
	RawQuery string
	// Header holds the client's headers; changes are sent to the backend.
	// Hop-by-hop headers are removed and the X-Forwarded-* headers set
	// afterwards, as for any request.
	Header http.Header
	// Body is the request body, never nil (http.NoBody when there is none);
	// ContentLength is its length, -1 when unknown. Replace both, or use
	// SetBody. Reading Body consumes it: ReadBody reads it and puts the
	// bytes back.
	Body          io.ReadCloser
	ContentLength int64
	// API, APIVersion and Resource name what the request matched: the
	// API's name and version and the resource's path template.
	API        string
	APIVersion string
	Resource   string
	// RequestID is the gateway's request id (X-Request-ID).
	RequestID string
	// ClientIP is the client's address (see server.trusted_proxies).
	ClientIP netip.Addr
	// KeyType is "PRODUCTION" or "SANDBOX": the endpoint that will serve
	// the request.
	KeyType string
	// Auth describes the authenticated caller; zero for resources without
	// security.
	Auth Auth

	ctx context.Context
}

// Auth is what authentication learned about the caller.
type Auth struct {
	// Authenticated is true once credentials were verified.
	Authenticated bool
	// Scheme is "jwt", "oauth2" (opaque token), "basic" or "apikey".
	Scheme string
	// Subject is the end user: a JWT's sub, the key manager's end user,
	// the basic-auth user.
	Subject string
	// ConsumerKey is the OAuth client id of the application.
	ConsumerKey string
	// ApplicationID, ApplicationName, ApplicationOwner and
	// ApplicationTier describe the calling application.
	ApplicationID    string
	ApplicationName  string
	ApplicationOwner string
	ApplicationTier  string
	// SubscriptionTier is the application's subscription policy for the
	// API.
	SubscriptionTier string
	// Scopes are the scopes the token granted.
	Scopes []string

	// token is the verified JWT's claims: shared and undecoded until
	// Claims replaces it with a decoded copy of this Auth's own. One
	// pointer, so the Request stays in its allocation size class.
	token *TokenClaims
}

// HasScope reports whether the token granted scope.
func (a *Auth) HasScope(scope string) bool {
	for _, s := range a.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// NewRequest returns a Request for ctx; the gateway fills the rest. Tests
// of interceptors may use it too.
func NewRequest(ctx context.Context) *Request {
	if ctx == nil {
		ctx = context.Background()
	}
	return &Request{ctx: ctx, Header: http.Header{}, Body: http.NoBody}
}

// Context is the request's context: it is cancelled when the client goes
// away or the gateway shuts down.
func (r *Request) Context() context.Context {
	if r.ctx == nil {
		return context.Background()
	}
	return r.ctx
}

// ReadBody reads the whole body and leaves an unread copy in its place, so
// the backend still receives it. The gateway's server.max_body_bytes
// limits what can be read; over it, the error is an *http.MaxBytesError
// and the client gets 413.
func (r *Request) ReadBody() ([]byte, error) {
	b, err := readAll(r.Body, -1)
	if err != nil {
		return nil, err
	}
	r.SetBody(b)
	return b, nil
}

// SetBody replaces the body and its length; the Content-Length sent to the
// backend follows. The client's body, if unread, is left to the gateway.
func (r *Request) SetBody(b []byte) {
	if len(b) == 0 {
		r.Body, r.ContentLength = http.NoBody, 0
		return
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
}

// readAll reads body to the end, at most limit bytes when limit >= 0.
func readAll(body io.Reader, limit int64) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	if limit >= 0 {
		body = io.LimitReader(body, limit+1)
	}
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if limit >= 0 && int64(len(b)) > limit {
		return nil, &http.MaxBytesError{Limit: limit}
	}
	return b, nil
}
