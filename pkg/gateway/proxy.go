package gateway

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Kinds of backend errors, as metrics label them.
const (
	errConnect  = "connect"  // connection refused, unreachable, DNS
	errTLS      = "tls"      // backend certificate or handshake failure
	errTimeout  = "timeout"  // connect or response timeout
	errProtocol = "protocol" // broken or malformed response, reset
)

// trackedBody lets the transport read the client's body while recording
// whether anything was read; Close is left to the server, so the body
// stays usable for another attempt when nothing was read.
type trackedBody struct {
	r       io.ReadCloser
	touched atomic.Bool
	n       atomic.Int64
	failed  atomic.Bool // reading the client's body failed: the client's fault, not the backend's
}

// Read implements io.Reader.
func (b *trackedBody) Read(p []byte) (int, error) {
	b.touched.Store(true)
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	if err != nil && err != io.EOF {
		b.failed.Store(true)
	}
	return n, err
}

// Close implements io.Closer; it leaves the client's body to the server.
func (b *trackedBody) Close() error { return nil }

var errBodyConsumed = errors.New("mgw: request body already sent")

// getBody lets the transport retry a request whose body it never read.
func (ex *exchange) getBody() (io.ReadCloser, error) {
	if ex.body.touched.Load() {
		return nil, errBodyConsumed
	}
	return &ex.body, nil
}

// proxy forwards a routed request to the endpoint its key type selects.
func (g *Gateway) proxy(w http.ResponseWriter, r *http.Request, ex *exchange) {
	rt := ex.route
	if rt.icpt != nil && rt.icpt.req != nil {
		if r = g.interceptRequest(w, r, ex); r == nil {
			return
		}
	}
	grp := rt.prod
	if ex.info.KeyType != KeyTypeProduction {
		grp = rt.sand
	}
	if grp == nil {
		writeMissingEndpoint(w, ex.info.KeyType)
		return
	}
	out := &ex.out
	*out = *r // shallow copy: keeps the context, then every field is reset
	out.URL = &ex.outURL
	out.Header = g.outboundHeader(r, ex, grp)
	out.Body, out.GetBody = nil, nil
	out.TransferEncoding = nil
	out.Close = false
	out.Host = ""
	out.Form, out.PostForm, out.MultipartForm = nil, nil, nil
	out.Trailer = nil
	out.RemoteAddr, out.RequestURI = "", ""
	out.TLS = nil
	out.Response = nil
	out.Proto, out.ProtoMajor, out.ProtoMinor = "HTTP/1.1", 1, 1
	// An HTTP/2 request without a body still has a Body; only a length
	// that is not zero (or unknown, -1) means there is one to send.
	if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
		if g.maxBody > 0 && r.ContentLength > g.maxBody {
			g.writeFault(w, CodeBodyTooLarge)
			return
		}
		body := r.Body
		if g.maxBody > 0 {
			body = http.MaxBytesReader(ex.rec.ResponseWriter, body, g.maxBody)
		}
		ex.body.r = body
		out.Body = &ex.body
		out.GetBody = ex.getBody
	}

	n := len(grp.targets)
	start := grp.first()
	var resp *http.Response
	var err error
	if g.tracing != nil {
		end := g.tracing.backendSpan(r.Context(), out, ex)
		defer func() { end(resp, err) }()
	}
	for i := 0; i < n; i++ {
		t := &grp.targets[(start+i)%n]
		if i > 0 {
			// The transport may still hold the failed attempt's request.
			o := new(http.Request)
			*o = *out
			o.URL = new(url.URL)
			out = o
		}
		ex.setTarget(out.URL, t, r.URL.RawQuery)
		t0 := time.Now()
		resp, err = t.rt.RoundTrip(out)
		ex.backend += time.Since(t0)
		if err == nil {
			break
		}
		kind, sent := classify(err)
		if r.Context().Err() != nil {
			ex.status = 499 // the client went away; nobody to answer
			return
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			g.writeFault(w, CodeBodyTooLarge)
			return
		}
		if ex.body.failed.Load() {
			// A malformed or cut-off body is the client's error: answer
			// 400 and close, as for a malformed head, and do not count a
			// backend failure or retry elsewhere.
			w.Header().Set("Connection", "close")
			g.writeFault(w, CodeBadBody)
			return
		}
		ex.errKind = kind
		rt.api.stats.backendError(kind)
		retry := grp.kind != EndpointHTTP && i+1 < n && g.retryable(r, ex, sent)
		g.log.LogAttrs(r.Context(), slog.LevelWarn, "backend request failed",
			slog.String("request_id", ex.info.ID), slog.String("api", rt.api.label),
			slog.String("backend", t.url), slog.String("kind", kind),
			slog.Bool("retrying", retry), slog.String("error", err.Error()))
		if !retry {
			break
		}
	}
	if err != nil {
		code := CodeBackendUnreachable
		if ex.errKind == errTimeout {
			code = CodeBackendTimeout
		}
		g.writeFault(w, code)
		return
	}
	defer resp.Body.Close()
	if rt.icpt != nil && rt.icpt.res != nil && !g.interceptResponse(r, w, resp, ex) {
		return
	}
	g.copyResponse(w, resp, ex)
}

// retryable decides whether a failed attempt may go to the next target:
// always when nothing reached the backend, otherwise only for idempotent
// methods or a request body that was not read yet.
func (g *Gateway) retryable(r *http.Request, ex *exchange, sent bool) bool {
	if !sent {
		return true
	}
	if ex.body.touched.Load() {
		return false
	}
	switch r.Method {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return ex.body.r != nil // a body the backend never saw: nothing was processed
}

// classify names a transport error and says whether the request may have
// reached the backend.
func classify(err error) (kind string, sent bool) {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		if op.Timeout() {
			return errTimeout, false
		}
		return errConnect, false
	}
	var cve *tls.CertificateVerificationError
	var rhe tls.RecordHeaderError
	var ae tls.AlertError
	if errors.As(err, &cve) || errors.As(err, &rhe) || errors.As(err, &ae) {
		return errTLS, false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) {
		// net/http's handshake timeout error type is unexported.
		if strings.Contains(err.Error(), "TLS handshake timeout") {
			return errTimeout, false
		}
		return errTimeout, true
	}
	return errProtocol, true
}

// setTarget points the outbound URL at t with the request's backend path.
func (ex *exchange) setTarget(u *url.URL, t *target, rawQuery string) {
	u.Scheme, u.Host = t.scheme, t.host
	p := ex.info.BackendPath
	switch {
	case t.path == "" && p == "":
		u.Opaque = "/"
	case t.path == "":
		u.Opaque = p
	case p == "":
		u.Opaque = t.path
	default:
		u.Opaque = t.path + p
	}
	switch {
	case t.query == "":
		u.RawQuery = rawQuery
	case rawQuery == "":
		u.RawQuery = t.query
	default:
		u.RawQuery = t.query + "&" + rawQuery
	}
	ex.upstream = t.url
}

// smallBody is the size of the copy buffer for bodies whose
// Content-Length is at most that.
const smallBody = 4 << 10

// copyResponse sends the backend's response to the client, streaming the
// body. A body of unknown length is flushed as it arrives.
func (g *Gateway) copyResponse(w http.ResponseWriter, resp *http.Response, ex *exchange) {
	h := w.Header()
	conn := resp.Header["Connection"]
	for k, vv := range resp.Header {
		if isHopByHop(k) || listedIn(conn, k) {
			continue
		}
		h[k] = vv
	}
	for k := range resp.Trailer {
		h.Add("Trailer", k)
	}
	w.WriteHeader(resp.StatusCode)
	flush := resp.ContentLength < 0
	// Each response in flight holds its buffer: a body known to be small
	// gets a small one, so 50 concurrent 1 KiB answers keep 200 KiB, not
	// 1.6 MiB, alive (peak RSS is 2.5 times the live heap at GOGC=150).
	pool := &g.buffers
	if resp.ContentLength >= 0 && resp.ContentLength <= smallBody {
		pool = &g.smallBuffers
	}
	bufp := pool.Get().(*[]byte)
	defer pool.Put(bufp)
	buf := *bufp
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				ex.clientGone = true
				return
			}
			if flush {
				if f, ok := w.(http.Flusher); ok {
					f.Flush()
				}
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			// The backend broke off mid-body: abort so the client sees a
			// truncated response rather than a short but "complete" one.
			ex.errKind = errProtocol
			ex.route.api.stats.backendError(errProtocol)
			ex.aborted = true
			if f, ok := w.(http.Flusher); ok {
				f.Flush()
			}
			panic(http.ErrAbortHandler)
		}
	}
	for k, vv := range resp.Trailer {
		h[http.TrailerPrefix+k] = vv
	}
}
