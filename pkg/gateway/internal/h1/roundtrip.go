package h1

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strconv"
	"syscall"
	"time"
)

// max1xx bounds the interim responses skipped before the final one.
const max1xx = 16

// requestBodyError is a failure to read the request body (the client's
// side), as opposed to the backend's.
type requestBodyError struct{ err error }

func (e *requestBodyError) Error() string { return "h1: reading the request body: " + e.err.Error() }
func (e *requestBodyError) Unwrap() error { return e.err }

// staleError is a failure on a reused connection before any byte of a
// response arrived: the backend had probably closed it while it was idle,
// so the request can be sent again on a new connection. Failed writes
// qualify always; a failed first read only for replayable requests.
type staleError struct{ err error }

func (e *staleError) Error() string { return e.err.Error() }
func (e *staleError) Unwrap() error { return e.err }

// RoundTrip implements http.RoundTripper for http:// URLs. It returns a
// *net.OpError with Op "dial" when no connection could be made and a
// net.Error whose Timeout is true when the backend did not answer in time.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil || req.URL.Scheme != "http" {
		closeBody(req)
		return nil, errors.New("h1: only http:// URLs are supported")
	}
	host := req.URL.Host
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(host, "80")
	}
	ctx := req.Context()
	body := req.Body
	if body == http.NoBody {
		body = nil
	}
	fresh := false
	for {
		c, err := t.getConn(ctx, host, fresh)
		if err != nil {
			closeBody(req)
			return nil, err
		}
		resp, err := t.exchange(ctx, c, req, body)
		if err == nil {
			return resp, nil
		}
		var stale *staleError
		if !c.reused || !errors.As(err, &stale) || ctx.Err() != nil {
			if body != nil {
				body.Close()
			}
			return nil, err
		}
		if body != nil {
			if req.GetBody == nil {
				body.Close()
				return nil, err
			}
			if body, err = req.GetBody(); err != nil {
				return nil, stale.err
			}
		}
		fresh = true
	}
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// exchange sends req on c and reads the response head. On error c is
// closed.
func (t *Transport) exchange(ctx context.Context, c *conn, req *http.Request, body io.ReadCloser) (resp *http.Response, err error) {
	stop := c.hook(ctx)
	c.replay = replayable(req)
	defer func() {
		if err != nil {
			canceled := c.canceled.Load()
			stop()
			c.close()
			if canceled {
				err = fmt.Errorf("h1: %w", context.Cause(ctx))
			}
		}
	}()
	rt := t.ResponseHeaderTimeout
	if rt > 0 {
		c.setDeadline(time.Now().Add(rt))
	} else if c.readDeadline {
		c.setDeadline(time.Time{}) // left by the last exchange, whose body was buffered
	}
	cl, chunked, err := t.writeHead(c, req, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		expect := hasToken(req.Header["Expect"], "100-continue")
		if expect && t.ExpectContinueTimeout > 0 {
			if err := c.bw.Flush(); err != nil {
				return nil, t.writeErr(c, err)
			}
			h, got, err := t.await100(c)
			if err != nil {
				return nil, err
			}
			if got && h.status >= 200 {
				// A final answer before the body: it is never sent, and the
				// connection cannot be reused.
				body.Close()
				return t.response(c, req, &h, stop, false)
			}
			c.setReadDeadline(time.Time{})
		}
		if err := t.writeBody(c, body, cl, chunked); err != nil {
			if resp, ok := t.earlyAnswer(c, req, stop, err); ok {
				body.Close()
				return resp, nil
			}
			return nil, err
		}
		body.Close()
		if rt > 0 {
			c.setReadDeadline(time.Now().Add(rt))
		}
	} else if err := c.bw.Flush(); err != nil {
		return nil, t.writeErr(c, err)
	}
	h, err := t.readFinalHead(c)
	if err != nil {
		return nil, err
	}
	return t.response(c, req, &h, stop, true)
}

// earlyAnswerWait bounds the wait for an answer the backend may have sent
// before it stopped reading the request body.
const earlyAnswerWait = time.Second

// earlyAnswer looks for a response the backend sent before it stopped
// reading the request body and closed (a 413 or 401 for an upload it
// refuses): the client gets that answer rather than an error. writeErr
// is why the body could not be written; a failure on the client's side,
// a cancellation or a timeout is no such case.
func (t *Transport) earlyAnswer(c *conn, req *http.Request, stop func() bool, writeErr error) (*http.Response, bool) {
	var rbe *requestBodyError
	if errors.As(writeErr, &rbe) || c.canceled.Load() || isTimeout(writeErr) {
		return nil, false
	}
	c.setReadDeadline(time.Now().Add(earlyAnswerWait))
	h, err := t.readFinalHead(c)
	if err != nil {
		return nil, false
	}
	resp, err := t.response(c, req, &h, stop, false)
	return resp, err == nil
}

// writeErr classifies a failed write to the backend.
func (t *Transport) writeErr(c *conn, err error) error {
	err = fmt.Errorf("h1: writing the request to %s: %w", c.host, err)
	if c.reused && !c.canceled.Load() && !isTimeout(err) {
		return &staleError{err}
	}
	return err
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// await100 waits up to ExpectContinueTimeout for the backend's answer to
// an "Expect: 100-continue" request head. got is false when it did not
// answer in time; otherwise h is a 100 Continue or a final response.
func (t *Transport) await100(c *conn) (h head, got bool, err error) {
	c.setReadDeadline(time.Now().Add(t.ExpectContinueTimeout))
	for range max1xx {
		if _, err := c.br.Peek(1); err != nil {
			if isTimeout(err) && !c.canceled.Load() {
				return h, false, nil
			}
			return h, false, t.readErr(c, err, true)
		}
		h, err = t.readHead(c)
		if err != nil {
			return h, false, err
		}
		if h.status == http.StatusContinue || h.status >= 200 {
			return h, true, nil
		}
		if h.status == http.StatusSwitchingProtocols {
			return h, false, fmt.Errorf("h1: %s answered 101 Switching Protocols, which the gateway does not request", c.host)
		}
	}
	return h, false, fmt.Errorf("h1: %s sent more than %d interim responses", c.host, max1xx)
}

// readFinalHead reads response heads until a final (non-1xx) one.
func (t *Transport) readFinalHead(c *conn) (head, error) {
	for range max1xx {
		if _, err := c.br.Peek(1); err != nil {
			return head{}, t.readErr(c, err, true)
		}
		h, err := t.readHead(c)
		if err != nil {
			return h, err
		}
		if h.status >= 200 {
			return h, nil
		}
		if h.status == http.StatusSwitchingProtocols {
			return h, fmt.Errorf("h1: %s answered 101 Switching Protocols, which the gateway does not request", c.host)
		}
	}
	return head{}, fmt.Errorf("h1: %s sent more than %d interim responses", c.host, max1xx)
}

// readErr classifies a failed read; first means no byte of the response
// had arrived.
func (t *Transport) readErr(c *conn, err error, first bool) error {
	err = fmt.Errorf("h1: reading the response from %s: %w", c.host, err)
	if first && c.reused && c.replay && !c.canceled.Load() &&
		(errors.Is(err, io.EOF) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
		return &staleError{err}
	}
	return err
}

// replayable reports whether a request that reached a connection which
// then failed may be sent again, as net/http decides: the backend may
// have processed it, so only idempotent methods qualify.
func replayable(req *http.Request) bool {
	switch req.Method {
	case "GET", "HEAD", "OPTIONS", "TRACE":
		return true
	}
	return req.Header["Idempotency-Key"] != nil || req.Header["X-Idempotency-Key"] != nil
}

// readHead reads and parses one response head.
func (t *Transport) readHead(c *conn) (head, error) {
	block, lines, scratch, err := readHeaderBlock(c.br, c.scratch, t.maxHeader())
	c.scratch = scratch
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return head{}, t.readErr(c, err, false)
	}
	h, err := parseHead(block, lines)
	if err != nil {
		return h, fmt.Errorf("h1: malformed response from %s: %w", c.host, err)
	}
	return h, nil
}

// response builds the http.Response for a final head and its body
// reader. sent is false when the request body was not sent, which rules
// out reusing the connection.
func (t *Transport) response(c *conn, req *http.Request, h *head, stop func() bool, sent bool) (*http.Response, error) {
	f, err := responseFraming(req.Method, h)
	if err != nil {
		return nil, fmt.Errorf("h1: malformed response from %s: %w", c.host, err)
	}
	f.reuse = f.reuse && sent && !req.Close
	// Clear the header timeout: bodies stream for as long as they take.
	// A body already in the buffer needs no more reads; the next
	// exchange sets its own deadline first.
	if c.readDeadline && (f.length < 0 || int64(c.br.Buffered()) < f.length) {
		c.setReadDeadline(time.Time{})
	}
	if c.canceled.Load() {
		return nil, errCanceled
	}
	rb := &responseAndBody{}
	resp := &rb.resp
	*resp = http.Response{
		Status:        h.statusText,
		StatusCode:    h.status,
		Proto:         protoString(h.minor),
		ProtoMajor:    1,
		ProtoMinor:    h.minor,
		Header:        h.header,
		ContentLength: f.length,
		Close:         !f.reuse,
		Request:       req,
	}
	if f.chunked {
		resp.TransferEncoding = []string{"chunked"}
		delete(h.header, "Transfer-Encoding")
		if names := h.header["Trailer"]; names != nil {
			resp.Trailer = make(http.Header, len(names))
			for _, v := range names {
				for v != "" {
					var k string
					k, v = cutComma(v)
					if k = trimBlanks(k); k != "" {
						resp.Trailer[textproto.CanonicalMIMEHeaderKey(k)] = nil
					}
				}
			}
			delete(h.header, "Trailer")
		}
	}
	b := &rb.body
	*b = body{t: t, c: c, stop: stop, f: f, left: max(f.length, 0), trailer: &resp.Trailer}
	if f.length == 0 {
		b.finish(io.EOF)
		resp.Body = http.NoBody
		return resp, nil
	}
	resp.Body = b
	return resp, nil
}

// responseAndBody puts a response and its body reader in one allocation.
type responseAndBody struct {
	resp http.Response
	body body
}

// writeHead writes the request line and header. It returns the body's
// length (-1 when unknown) and whether it is sent chunked.
func (t *Transport) writeHead(c *conn, req *http.Request, body io.ReadCloser) (int64, bool, error) {
	if !validToken(req.Method) {
		return 0, false, fmt.Errorf("h1: invalid method %q", clip(req.Method))
	}
	target := req.URL.Opaque
	if target == "" {
		target = req.URL.EscapedPath()
	}
	if target == "" {
		target = "/"
	}
	if !validTarget(target) || !validTarget(req.URL.RawQuery) {
		return 0, false, fmt.Errorf("h1: invalid request target %q", clip(target))
	}
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	if !validValue(host) {
		return 0, false, fmt.Errorf("h1: invalid Host %q", clip(host))
	}
	bw := c.bw
	bw.WriteString(req.Method)
	bw.WriteByte(' ')
	bw.WriteString(target)
	if req.URL.RawQuery != "" {
		bw.WriteByte('?')
		bw.WriteString(req.URL.RawQuery)
	}
	bw.WriteString(" HTTP/1.1\r\nHost: ")
	bw.WriteString(host)
	bw.WriteString("\r\n")
	if ua := req.Header["User-Agent"]; len(ua) > 0 && ua[0] != "" {
		if !validValue(ua[0]) {
			return 0, false, errors.New("h1: invalid User-Agent header value")
		}
		bw.WriteString("User-Agent: ")
		bw.WriteString(ua[0])
		bw.WriteString("\r\n")
	}
	for k, vv := range req.Header {
		switch k {
		case "Host", "User-Agent", "Content-Length", "Transfer-Encoding", "Trailer", "Connection":
			continue
		}
		if !validToken(k) {
			return 0, false, fmt.Errorf("h1: invalid header name %q", clip(k))
		}
		for _, v := range vv {
			if !validValue(v) {
				return 0, false, fmt.Errorf("h1: invalid value for header %s", k)
			}
			bw.WriteString(k)
			bw.WriteString(": ")
			bw.WriteString(v)
			bw.WriteString("\r\n")
		}
	}
	if req.Close {
		bw.WriteString("Connection: close\r\n")
	}
	cl, chunked := req.ContentLength, false
	switch {
	case body == nil:
		cl = 0
		switch req.Method {
		case "POST", "PUT", "PATCH":
			bw.WriteString("Content-Length: 0\r\n")
		}
	case cl > 0:
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(c.num[:0], cl, 10))
		bw.WriteString("\r\n")
	default:
		cl, chunked = -1, true
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	_, err := bw.WriteString("\r\n")
	if err != nil {
		return 0, false, t.writeErr(c, err)
	}
	return cl, chunked, nil
}

// writeBody streams the request body: data read from the client is
// flushed to the backend before the next (possibly blocking) read.
func (t *Transport) writeBody(c *conn, body io.Reader, cl int64, chunked bool) error {
	known := cl
	if chunked {
		known = -1
	}
	bufp, pool := t.getBuf(known)
	defer pool.Put(bufp)
	buf := *bufp
	bw := c.bw
	left := cl
	for chunked || left > 0 {
		p := buf
		if !chunked && int64(len(p)) > left {
			p = p[:left]
		}
		n, rerr := body.Read(p)
		if n > 0 {
			if chunked {
				bw.Write(strconv.AppendInt(c.num[:0], int64(n), 16))
				bw.WriteString("\r\n")
				bw.Write(p[:n])
				bw.WriteString("\r\n")
			} else {
				bw.Write(p[:n])
				left -= int64(n)
			}
		}
		if rerr == io.EOF {
			if !chunked && left > 0 {
				return &requestBodyError{fmt.Errorf("body ended %d bytes short of its Content-Length: %w", left, io.ErrUnexpectedEOF)}
			}
			break
		}
		if rerr != nil {
			return &requestBodyError{rerr}
		}
		if chunked || left > 0 {
			if t.ResponseHeaderTimeout > 0 {
				c.setWriteDeadline(time.Now().Add(t.ResponseHeaderTimeout))
			}
			if err := bw.Flush(); err != nil {
				return fmt.Errorf("h1: writing the request body to %s: %w", c.host, err)
			}
		}
	}
	if chunked {
		bw.WriteString("0\r\n\r\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("h1: writing the request body to %s: %w", c.host, err)
	}
	return nil
}

// validToken reports a non-empty token (RFC 9110 5.6.2): a valid method
// or header field name.
func validToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isTokenChar(s[i]) {
			return false
		}
	}
	return true
}

// validTarget rejects blanks and control characters in a request target.
func validTarget(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}
