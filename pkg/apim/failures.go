package apim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"unicode"

	"github.com/go-resty/resty/v2"
)

// classify maps a transport error to an error kind and says whether the
// request is worth retrying (only dropped connections are).
func classify(err error) (kind error, retry bool) {
	var (
		recErr   tls.RecordHeaderError
		authErr  x509.UnknownAuthorityError
		hostErr  x509.HostnameError
		invErr   x509.CertificateInvalidError
		verErr   *tls.CertificateVerificationError
		alertErr tls.AlertError
		dnsErr   *net.DNSError
		opErr    *net.OpError
		netErr   net.Error
	)
	switch {
	case errors.As(err, &recErr), errors.As(err, &authErr), errors.As(err, &hostErr),
		errors.As(err, &invErr), errors.As(err, &verErr), errors.As(err, &alertErr),
		isPlainHTTP(err):
		return ErrTLS, false
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return ErrTimeout, false
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return ErrMalformed, false
	case errors.As(err, &dnsErr), errors.Is(err, syscall.ECONNREFUSED):
		return ErrUnreachable, false
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return ErrUnreachable, true
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return ErrUnreachable, false
	}
	return ErrUnreachable, false
}

// isPlainHTTP reports net/http's error for an http server on an https
// URL (it has no type of its own).
func isPlainHTTP(err error) bool {
	return strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}

// transportError explains a request that got no usable answer.
func (c *Client) transportError(rq request, kind, err error, attempts int) error {
	e := c.newError(rq, kind, attempts, err)
	site := c.siteOf(rq.url)
	switch kind {
	case ErrTLS:
		e.msg = c.tlsMessage(rq, site, err)
	case ErrTimeout:
		e.msg = fmt.Sprintf("the API Manager at %s did not answer within %s while trying to %s; raise --timeout if the server is slow, and check that it is running",
			site, c.timeout, rq.op)
	case ErrMalformed:
		e.msg = fmt.Sprintf("the API Manager at %s sent an answer larger than %d MiB to %s %s; check --server-url",
			site, maxBodyBytes>>20, rq.method, rq.url)
	default:
		var dnsErr *net.DNSError
		switch {
		case errors.Is(err, syscall.ECONNREFUSED):
			e.msg = fmt.Sprintf("cannot reach the API Manager at %s: connection refused; check --server-url and that the server is running", site)
		case errors.As(err, &dnsErr):
			e.msg = fmt.Sprintf("cannot reach the API Manager at %s: unknown host %q (%s); check --server-url and your DNS settings",
				site, dnsErr.Name, dnsErr.Err)
		case attempts > 1:
			e.msg = fmt.Sprintf("cannot reach the API Manager at %s: the connection was dropped on each of %d attempts to %s (%s); check that the server and any proxy in between are healthy",
				site, attempts, rq.op, c.redact(innerError(err)))
		default:
			e.msg = fmt.Sprintf("cannot reach the API Manager at %s: %s; check --server-url and that the server is running",
				site, c.redact(innerError(err)))
		}
	}
	return e
}

func (c *Client) tlsMessage(rq request, site string, err error) string {
	var (
		recErr  tls.RecordHeaderError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
	)
	switch {
	case errors.As(err, &recErr), isPlainHTTP(err):
		return fmt.Sprintf("the server at %s does not speak TLS: check the port in --server-url (the API Manager's HTTPS port is usually 9443)", site)
	case errors.As(err, &hostErr):
		return fmt.Sprintf("the API Manager's TLS certificate at %s is not trusted: it is not valid for this host (%s); use a host name the certificate names in --server-url, or -k/--insecure to skip verification (not recommended)",
			site, hostErr.Error())
	case errors.As(err, &invErr):
		return fmt.Sprintf("the API Manager's TLS certificate at %s is not trusted: %s; renew the server certificate, or use -k/--insecure to skip verification (not recommended)",
			site, invErr.Error())
	}
	var alertErr tls.AlertError
	if errors.As(err, &alertErr) {
		return fmt.Sprintf("the TLS handshake with the API Manager at %s failed (%s) while trying to %s; check the server's TLS settings",
			site, alertErr.Error(), rq.op)
	}
	return fmt.Sprintf("the API Manager's TLS certificate at %s is not trusted (%s): pass --ca-file <PEM> with the certificate of the CA that signed it (or the server certificate itself), or -k/--insecure to skip verification (not recommended)",
		site, c.redact(innerError(err)))
}

// serverError explains a 5xx answer that persisted through all retries.
func (c *Client) serverError(rq request, resp response) error {
	e := c.newError(rq, ErrServer, resp.attempts, nil)
	e.Status = resp.status
	e.ServerMessage = c.serverMessage(resp)
	e.msg = fmt.Sprintf("the API Manager at %s failed to %s: %s after %d attempt%s%s; check the API Manager's logs (repository/logs/wso2carbon.log)",
		c.siteOf(rq.url), rq.op, statusText(resp.status), resp.attempts, plural(resp.attempts), colonMessage(e.ServerMessage))
	return e
}

// canceled reports that the caller's context ended the request.
func (c *Client) canceled(ctx context.Context, rq request) error {
	return fmt.Errorf("%s at %s: %w", rq.op, c.siteOf(rq.url), context.Cause(ctx))
}

// statusError explains an answer with an unexpected status below 500.
func (c *Client) statusError(rq request, resp response) error {
	msg := c.serverMessage(resp)
	site := c.siteOf(rq.url)
	status := statusText(resp.status)
	e := c.newError(rq, ErrRejected, resp.attempts, nil)
	e.Status = resp.status
	e.ServerMessage = msg
	oauthCode := oauthErrorCode(resp.body)
	switch {
	case rq.kind == kindToken && oauthCode == "invalid_scope":
		e.Kind = ErrScope
		e.msg = fmt.Sprintf("the API Manager at %s refused to issue a token with the scopes mgw needs (%s%s); log in as a user whose role grants apim:api_view and apim:tier_view (e.g. admin)",
			site, status, colonMessage(msg))
	case (rq.kind == kindDCR || rq.kind == kindToken) &&
		(resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden ||
			oauthCode == "invalid_grant" || oauthCode == "invalid_client" || oauthCode == "unauthorized_client"):
		e.Kind = ErrCredentials
		e.msg = fmt.Sprintf("invalid user credentials or the user does not have required permissions: the API Manager at %s refused to %s (%s%s); check --username and the password",
			site, rq.op, status, colonMessage(msg))
	case resp.status == http.StatusUnauthorized:
		e.Kind = ErrCredentials
		e.msg = fmt.Sprintf("the API Manager at %s rejected the access token while trying to %s (%s%s): it may have expired or been revoked; run mgw setup again to log in",
			site, rq.op, status, colonMessage(msg))
	case resp.status == http.StatusForbidden && rq.scope != "":
		e.Kind = ErrScope
		e.Scopes = []string{rq.scope}
		e.msg = fmt.Sprintf("the API Manager at %s refused to %s (%s%s): the access token lacks scope %s; log in as a user whose role grants it (e.g. admin)",
			site, rq.op, status, colonMessage(msg), rq.scope)
	case resp.status == http.StatusNotFound:
		e.Kind = ErrNotFound
		e.msg = fmt.Sprintf("the API Manager at %s answered %s to %s %s while trying to %s%s; check --server-url and that the server is an %s (or pass --apim-version)",
			site, status, rq.method, rq.url, rq.op, colonMessage(msg), c.version.Product())
	case resp.status >= 300 && resp.status < 400:
		loc := ""
		if resp.header != nil {
			loc = resp.header.Get("Location")
		}
		e.msg = fmt.Sprintf("the API Manager at %s answered %s to %s %s (redirect to %q); mgw does not follow redirects: check --server-url",
			site, status, rq.method, rq.url, c.redact(loc))
	default:
		e.msg = fmt.Sprintf("the API Manager at %s refused to %s: %s%s", site, rq.op, status, colonMessage(msg))
	}
	return e
}

// malformed explains an answer that could not be decoded.
func (c *Client) malformed(rq request, resp response, err error) error {
	e := c.newError(rq, ErrMalformed, resp.attempts, err)
	e.Status = resp.status
	e.msg = fmt.Sprintf("the API Manager at %s sent a malformed answer to %s %s while trying to %s: %s; check that --server-url points to an %s",
		c.siteOf(rq.url), rq.method, rq.url, rq.op, c.redact(err.Error()), c.version.Product())
	return e
}

func (c *Client) newError(rq request, kind error, attempts int, cause error) *RequestError {
	return &RequestError{
		Kind:     kind,
		Op:       rq.op,
		Method:   rq.method,
		URL:      rq.url,
		Attempts: attempts,
		cause:    cause,
	}
}

// siteOf returns the server URL the user gave (scheme, host and port).
func (c *Client) siteOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return c.base
	}
	return u.Scheme + "://" + u.Host
}

// serverMessage extracts a short, single-line, redacted error text from an
// answer: the API Manager's Error DTO, an OAuth error or plain text.
func (c *Client) serverMessage(resp response) string {
	body := resp.body
	if len(body) == 0 {
		return ""
	}
	var fields map[string]any
	var parts []string
	if json.Unmarshal(body, &fields) == nil {
		for _, k := range []string{"error", "code", "message", "error_description", "description"} {
			v, ok := fields[k].(string)
			if ok && v != "" && !strings.EqualFold(v, http.StatusText(resp.status)) && !slices.Contains(parts, v) {
				parts = append(parts, v)
			}
		}
	} else if ct := resp.header.Get("Content-Type"); strings.HasPrefix(ct, "text/plain") {
		parts = append(parts, string(body))
	}
	return c.redact(shorten(strings.Join(parts, ": "), 300))
}

// oauthErrorCode returns the "error" member of an OAuth error body.
func oauthErrorCode(body []byte) string {
	var e OAuthError
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error
}

// innerError drops the "Get "URL": " prefix of a *url.Error: the messages
// name the server already.
func innerError(err error) string {
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Err != nil {
		return opErr.Err.Error()
	}
	return err.Error()
}

// shorten makes s a single line of printable characters of at most n
// runes.
func shorten(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || !unicode.IsPrint(r) && r != ' ' {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprintf("status %d", code)
}

func colonMessage(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + msg
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
