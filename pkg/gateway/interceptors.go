package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// routeInterceptors are the Go interceptors of one route. Routes without
// any have none (a nil pointer), so they pay one comparison.
type routeInterceptors struct {
	reqName, resName string
	req              intercept.RequestFunc
	res              intercept.ResponseFunc
}

// resolveInterceptors gives every route the interceptors its resource,
// else its API, names; a name the gateway was not built with is a problem.
func (g *Gateway) resolveInterceptors() []string {
	var problems []string
	var set intercept.Set
	if g.spec.Interceptors != nil {
		set = g.spec.Interceptors()
	}
	for _, ar := range g.router.apis {
		for _, r := range ar.routes {
			reqName, resName := r.res.RequestInterceptor, r.res.ResponseInterceptor
			if reqName == "" {
				reqName = ar.api.RequestInterceptor
			}
			if resName == "" {
				resName = ar.api.ResponseInterceptor
			}
			if reqName == "" && resName == "" {
				continue
			}
			ri := &routeInterceptors{reqName: reqName, resName: resName}
			missing := func(kind, name string) {
				problems = append(problems, fmt.Sprintf("API %s: resource %s %s: %s interceptor %q is not among the interceptors this gateway was built with; rebuild it with mgw build",
					ar.label, r.res.Method, r.res.Path, kind, name))
			}
			if reqName != "" {
				if ri.req = set.Request[reqName]; ri.req == nil {
					missing("request", reqName)
				}
			}
			if resName != "" {
				if ri.res = set.Response[resName]; ri.res == nil {
					missing("response", resName)
				}
			}
			r.icpt = ri
		}
	}
	return problems
}

// interceptRequest runs the route's request interceptor. It returns the
// request to forward, or nil when the client has been answered (early
// answer, panic, body too large).
func (g *Gateway) interceptRequest(w http.ResponseWriter, r *http.Request, ex *exchange) *http.Request {
	ic := ex.route.icpt
	req := interceptedRequest(r, ex)
	var limited *limitedBody
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
		if g.maxBody > 0 && r.ContentLength > g.maxBody {
			g.writeFault(w, CodeBodyTooLarge)
			return nil
		}
		req.Body, req.ContentLength = r.Body, r.ContentLength
		if g.maxBody > 0 {
			limited = &limitedBody{r: http.MaxBytesReader(ex.rec.ResponseWriter, r.Body, g.maxBody)}
			req.Body = limited
		}
	}
	var early *intercept.Response
	if !g.runInterceptor(r.Context(), w, ex, "request", ic.reqName, func() { early = ic.req(req) }) {
		return nil
	}
	if limited != nil && limited.over {
		g.writeFault(w, CodeBodyTooLarge)
		return nil
	}
	if early != nil {
		g.writeIntercepted(w, early, ex)
		return nil
	}
	ex.ireq = req
	out := new(http.Request)
	*out = *r
	out.Header = req.Header
	out.Header.Del("Content-Length") // the transport writes the body's own
	out.Body, out.ContentLength = req.Body, req.ContentLength
	if out.Body == nil {
		out.Body, out.ContentLength = http.NoBody, 0
	}
	if req.RawQuery != r.URL.RawQuery {
		u := *r.URL
		u.RawQuery = req.RawQuery
		out.URL = &u
	}
	return out
}

// interceptResponse runs the route's response interceptor on resp before
// anything is sent; false means the client has been answered (panic).
func (g *Gateway) interceptResponse(r *http.Request, w http.ResponseWriter, resp *http.Response, ex *exchange) bool {
	ic := ex.route.icpt
	res := &intercept.Response{Status: resp.StatusCode, Header: resp.Header, Body: resp.Body, ContentLength: resp.ContentLength, Request: ex.ireq}
	if res.Request == nil {
		res.Request = interceptedRequest(r, ex)
		res.Request.Body, res.Request.ContentLength = http.NoBody, 0 // already sent
	}
	body := resp.Body
	if !g.runInterceptor(r.Context(), w, ex, "response", ic.resName, func() { ic.res(res) }) {
		return false
	}
	resp.StatusCode, resp.Header = res.Status, res.Header
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	if res.Body != body {
		// A new body: the backend's length and trailers no longer apply.
		resp.Body, resp.ContentLength, resp.Trailer = res.Body, res.ContentLength, nil
		if resp.Body == nil {
			resp.Body, resp.ContentLength = http.NoBody, 0
		}
		if resp.ContentLength < 0 {
			resp.Header.Del("Content-Length")
		} else {
			resp.Header.Set("Content-Length", fmt.Sprint(resp.ContentLength))
		}
	}
	return true
}

// runInterceptor calls fn; a panic is logged with its stack and answered
// with a 500 fault, and false returned.
func (g *Gateway) runInterceptor(ctx context.Context, w http.ResponseWriter, ex *exchange, kind, name string, fn func()) (ok bool) {
	defer func() {
		if p := recover(); p != nil {
			ok = false
			if p == http.ErrAbortHandler {
				panic(p)
			}
			g.log.LogAttrs(ctx, slog.LevelError, "interceptor panicked",
				slog.String("request_id", ex.info.ID), slog.String("api", ex.route.api.label),
				slog.String("kind", kind), slog.String("interceptor", name),
				slog.String("panic", fmt.Sprint(p)), slog.String("stack", string(debug.Stack())))
			if !ex.rec.wrote {
				g.writeFault(w, CodeInternal)
			}
		}
	}()
	fn()
	return true
}

// writeIntercepted sends a request interceptor's own answer.
func (g *Gateway) writeIntercepted(w http.ResponseWriter, res *intercept.Response, ex *exchange) {
	resp := &http.Response{StatusCode: res.Status, Header: res.Header, Body: res.Body, ContentLength: res.ContentLength}
	if resp.StatusCode < 100 || resp.StatusCode > 999 {
		g.log.Error("interceptor answered with an invalid status", "request_id", ex.info.ID, "interceptor", ex.route.icpt.reqName, "status", resp.StatusCode)
		g.writeFault(w, CodeInternal)
		return
	}
	if resp.Header == nil {
		resp.Header = http.Header{}
	}
	if resp.Body == nil {
		resp.Body, resp.ContentLength = http.NoBody, 0
		resp.Header.Set("Content-Length", "0")
	}
	defer resp.Body.Close()
	g.copyResponse(w, resp, ex)
}

// interceptedRequest is the interceptors' view of r; the header is r's.
func interceptedRequest(r *http.Request, ex *exchange) *intercept.Request {
	req := intercept.NewRequest(r.Context())
	req.Method, req.Path, req.BackendPath = r.Method, ex.info.Path, ex.info.BackendPath
	req.RawQuery, req.Header = r.URL.RawQuery, r.Header
	req.API, req.APIVersion, req.Resource = ex.info.API.Name, ex.info.API.Version, ex.info.Resource.Path
	req.RequestID, req.ClientIP, req.KeyType = ex.info.ID, ex.info.ClientIP, ex.info.KeyType
	req.Auth = authFor(&ex.info.Auth)
	return req
}

// authFor copies what security learned into the interceptors' view. The
// JWT claims stay undecoded until an interceptor asks for them; decoding
// makes a map of the request's own, so the shared claims never change.
func authFor(a *AuthContext) intercept.Auth {
	ia := intercept.Auth{
		Authenticated: a.Authenticated, Scheme: a.Scheme, Subject: a.Username,
		ConsumerKey: a.ConsumerKey, ApplicationID: a.ApplicationID, ApplicationName: a.ApplicationName,
		ApplicationOwner: a.ApplicationOwner, ApplicationTier: a.ApplicationTier,
		SubscriptionTier: a.SubscriptionTier, Scopes: append([]string(nil), a.Scopes...),
	}
	ia.SetTokenClaims(a.token)
	return ia
}

// limitedBody notes that reading the client's body went over
// server.max_body_bytes, so the client gets 413 whatever the interceptor
// did with the error.
type limitedBody struct {
	r    io.ReadCloser
	over bool
}

// Read implements io.Reader.
func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		// Declared in the branch: errors.As makes it escape, and every
		// Read would allocate it.
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			b.over = true
		}
	}
	return n, err
}

// Close implements io.Closer; the client's body is left to the server.
func (b *limitedBody) Close() error { return nil }
