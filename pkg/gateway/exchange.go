package gateway

import (
	"net/http"
	"net/url"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// exchange is the per-request state: one allocation holds the request
// info, the response recorder and the outbound request.
type exchange struct {
	info        RequestInfo
	ctx         exchangeCtx // the request's context for the middleware chain
	rec         recorder
	hv          [5]string // backing store for single-value headers
	api         *apiRoute
	route       *route
	segs        [16]string
	body        trackedBody
	out         http.Request
	outURL      url.URL
	backend     time.Duration
	upstream    string
	errKind     string
	status      int // overrides the recorded status (499: client gone)
	trustedPeer bool
	clientGone  bool
	aborted     bool
	ireq        *intercept.Request // what the request interceptor saw, for the response one
}

// Slots of exchange.hv.
const (
	hvID = iota
	hvForwardedFor
	hvForwardedHost
	hvTraceparent
	hvUserAgent
)

// header returns a one-element header value backed by the exchange, which
// saves an allocation per header.
func (ex *exchange) header(slot int, v string) []string {
	ex.hv[slot] = v
	return ex.hv[slot : slot+1 : slot+1]
}

// recorder notes the status and size of the response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

// WriteHeader implements http.ResponseWriter, noting the first final
// status.
func (r *recorder) WriteHeader(code int) {
	if !r.wrote && code >= 200 {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter, counting bytes.
func (r *recorder) Write(p []byte) (int, error) {
	if !r.wrote {
		r.status, r.wrote = http.StatusOK, true
	}
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Flush implements http.Flusher.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the server's writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
