package h1

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// serverExchange is the per-request state of Server: one allocation holds
// the request template, its URL, body reader and response writer.
type serverExchange struct {
	tmpl http.Request // filled by readRequest; req is it with a context
	req  *http.Request
	url  url.URL
	ctx  reqCtx
	body reqBody
	resp response
}

// requestError is a request the server answers with status and closes.
type requestError struct {
	status int
	msg    string
}

func (e *requestError) Error() string { return fmt.Sprintf("%d %s", e.status, e.msg) }

func badRequest(format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: "400 Bad Request: " + fmt.Sprintf(format, args...)}
}

// maxLeadingBlankLines is how many empty lines before a request line are
// skipped (RFC 9112 2.2: some clients send a CRLF after a POST body).
const maxLeadingBlankLines = 4

// readRequest reads a request head into ex. A *requestError is a request
// to refuse with its status; any other error is the connection's (closed,
// timed out) and gets no answer.
func (c *serverConn) readRequest(ex *serverExchange) error {
	ex.body.c, ex.body.ex = c, ex
	max := c.s.maxHeaderBytes()
	var block string
	var lines int
	var err error
	for skipped := 0; ; skipped++ {
		block, lines, c.scratch, err = readHeaderBlock(c.br, c.scratch, max)
		if errors.Is(err, errHeaderTooLarge) {
			return &requestError{status: http.StatusRequestHeaderFieldsTooLarge, msg: "431 Request Header Fields Too Large"}
		}
		if err != nil {
			return err
		}
		if block != "" || skipped == maxLeadingBlankLines {
			break
		}
	}
	if cap(c.scratch) > 64<<10 {
		c.scratch = nil // do not keep a huge head's buffer
	}
	line, fields := nextLine(block)
	r := &ex.tmpl
	if err := parseRequestLine(line, r); err != nil {
		return err
	}
	h := make(http.Header, lines)
	if err := parseFields(fields, lines, h); err != nil {
		return badRequest("%v", err)
	}
	r.Header = h
	r.RemoteAddr = c.remote
	if err := c.parseTarget(ex); err != nil {
		return err
	}
	if err := setHost(r); err != nil {
		return err
	}
	if err := setFraming(ex); err != nil {
		return err
	}
	r.Close = wantsClose(r)
	return nil
}

// parseRequestLine parses "METHOD SP request-target SP HTTP-version".
func parseRequestLine(line string, r *http.Request) error {
	sp1 := -1
	for i := 0; i < len(line); i++ {
		if line[i] == ' ' {
			sp1 = i
			break
		}
		if !isTokenChar(line[i]) {
			return badRequest("invalid method in request line %q", clip(line))
		}
	}
	if sp1 <= 0 {
		return badRequest("malformed request line %q", clip(line))
	}
	rest := line[sp1+1:]
	sp2 := -1
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == ' ' {
			sp2 = i
			break
		}
		if c < ' ' || c == 0x7f {
			return badRequest("control character in request target")
		}
	}
	if sp2 <= 0 {
		return badRequest("malformed request line %q", clip(line))
	}
	target, proto := rest[:sp2], rest[sp2+1:]
	major, minor, ok := parseVersion(proto)
	if !ok {
		return badRequest("malformed HTTP version %q", clip(proto))
	}
	if major != 1 || minor > 1 {
		return &requestError{status: http.StatusHTTPVersionNotSupported, msg: "505 HTTP Version Not Supported: this listener speaks HTTP/1.0 and HTTP/1.1"}
	}
	r.Method = line[:sp1]
	r.RequestURI = target
	r.ProtoMajor, r.ProtoMinor = 1, minor
	r.Proto = "HTTP/1.1"
	if minor == 0 {
		r.Proto = "HTTP/1.0"
	}
	return nil
}

// parseVersion parses "HTTP/d.d".
func parseVersion(v string) (major, minor int, ok bool) {
	if len(v) != 8 || v[:5] != "HTTP/" || v[6] != '.' {
		return 0, 0, false
	}
	a, b := v[5], v[7]
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, 0, false
	}
	return int(a - '0'), int(b - '0'), true
}

// parseTarget sets the request's URL from its request target. Plain
// origin-form paths take a fast path; everything else goes through
// url.ParseRequestURI as net/http does.
func (c *serverConn) parseTarget(ex *serverExchange) error {
	r := &ex.tmpl
	target := r.RequestURI
	if r.Method == http.MethodConnect {
		// Authority form only: host and port, nothing else.
		u, err := url.ParseRequestURI("http://" + target)
		if target == "" || target[0] == '/' || err != nil || u.Host == "" || u.User != nil ||
			u.Path != "" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
			return badRequest("CONNECT needs an authority-form target such as host:443")
		}
		ex.url = url.URL{Host: u.Host}
		r.URL = &ex.url
		return nil
	}
	if simplePath(target) {
		ex.url = url.URL{}
		p := target
		for i := 0; i < len(target); i++ {
			if target[i] == '?' {
				p = target[:i]
				ex.url.RawQuery = target[i+1:]
				ex.url.ForceQuery = ex.url.RawQuery == ""
				break
			}
		}
		ex.url.Path = p
		r.URL = &ex.url
		return nil
	}
	u, err := url.ParseRequestURI(target)
	if err != nil {
		return badRequest("malformed request target %q", clip(target))
	}
	r.URL = u
	return nil
}

// simplePath reports an origin-form target whose path has only characters
// that need no unescaping, so that Path is the target's path itself.
func simplePath(target string) bool {
	if target == "" || target[0] != '/' {
		return false
	}
	for i := 0; i < len(target); i++ {
		c := target[i]
		switch {
		case c == '?':
			return true
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '/' || c == '-' || c == '.' || c == '_' || c == '~':
		default:
			return false
		}
	}
	return true
}

// setHost sets r.Host from the URL of an absolute-form target or the Host
// header, which must appear once (HTTP/1.1 needs it), and removes the
// header as net/http does.
func setHost(r *http.Request) error {
	hosts, ok := r.Header["Host"]
	if len(hosts) > 1 {
		return badRequest("more than one Host header")
	}
	if !ok && r.ProtoMinor == 1 {
		return badRequest("missing Host header; HTTP/1.1 requests must name the host")
	}
	if ok {
		if !validHost(hosts[0]) {
			return badRequest("invalid Host header %q", clip(hosts[0]))
		}
		delete(r.Header, "Host")
	}
	switch {
	case r.URL.Host != "":
		r.Host = r.URL.Host
	case ok:
		r.Host = hosts[0]
	}
	return nil
}

// validHost allows the characters of a host, an IP literal and a port.
func validHost(h string) bool {
	for i := 0; i < len(h); i++ {
		c := h[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c >= 0x80: // internationalised names, as net/http allows
		default:
			switch c {
			case '-', '.', '_', '~', ':', '[', ']', '%', '!', '$', '&', '\'', '(', ')', '*', '+', ',', ';', '=':
			default:
				return false
			}
		}
	}
	return true
}

// setFraming decides how the request body is delimited (RFC 9112 6):
// chunked, Content-Length or none. A request with both, with conflicting
// lengths or another transfer coding is refused, so that no request can
// be read one way here and another way by a backend.
func setFraming(ex *serverExchange) error {
	r := &ex.tmpl
	te, hasTE := r.Header["Transfer-Encoding"]
	cl, hasCL := r.Header["Content-Length"]
	b := &ex.body
	switch {
	case hasTE && hasCL:
		return badRequest("both Transfer-Encoding and Content-Length are set; send one")
	case hasTE:
		if len(te) != 1 || !equalFold(te[0], "chunked") {
			return &requestError{status: http.StatusNotImplemented, msg: "501 Not Implemented: unsupported Transfer-Encoding; only chunked is"}
		}
		if r.ProtoMinor == 0 {
			return badRequest("Transfer-Encoding in an HTTP/1.0 request")
		}
		delete(r.Header, "Transfer-Encoding")
		r.TransferEncoding = []string{"chunked"}
		r.ContentLength = -1
		b.chunked = true
	case hasCL:
		n, err := parseLength(cl)
		if err != nil {
			return badRequest("%v", err)
		}
		r.ContentLength = n
		b.left = n
	}
	if r.ContentLength == 0 {
		b.done = true
		r.Body = http.NoBody
	} else {
		r.Body = b
	}
	if ev, ok := r.Header["Expect"]; ok {
		if len(ev) != 1 || !equalFold(ev[0], "100-continue") {
			return &requestError{status: http.StatusExpectationFailed, msg: "417 Expectation Failed: only Expect: 100-continue is supported"}
		}
		b.expectContinue = r.ProtoMinor == 1 && !b.done
	}
	return nil
}

// wantsClose reports whether the client asked to close the connection
// after this request: "Connection: close", or HTTP/1.0 without
// "Connection: keep-alive".
func wantsClose(r *http.Request) bool {
	conn := r.Header["Connection"]
	if hasToken(conn, "close") {
		return true
	}
	return r.ProtoMinor == 0 && !hasToken(conn, "keep-alive")
}
