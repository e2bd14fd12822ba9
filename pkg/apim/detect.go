package apim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
)

// ErrNoAPIManager: the server does not speak the REST contract of any
// supported API Manager version (or not the one asked for).
var ErrNoAPIManager = errors.New("not an API Manager of a supported version")

// Probe checks, without credentials, that the server offers this client's
// Publisher REST API: an API Manager answers GET {publisher}/apis with 401
// (or, if open, a JSON list). It returns an ErrNoAPIManager error naming
// the URL and what was expected when the server answers 404, with an HTML
// or other non-JSON page, or with an unexpected status.
func (c *Client) Probe(ctx context.Context) error {
	_, err := c.probe(ctx)
	return err
}

// probe reports whether the contract is absent (404) separately from other
// problems, so Detect can move on to an older version.
func (c *Client) probe(ctx context.Context) (absent bool, err error) {
	rq := request{
		kind:   kindPublisher,
		op:     "find out which API Manager version the server runs",
		method: http.MethodGet,
		url:    c.publisher + "/apis?limit=1",
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return false, err
	}
	want := fmt.Sprintf("an %s answers GET %s with 401 and a JSON error (Publisher REST %s)", c.version.Product(), rq.url, c.publisher[strings.LastIndex(c.publisher, "/")+1:])
	fail := func(got string) error {
		e := c.newError(rq, ErrNoAPIManager, resp.attempts, nil)
		e.Status = resp.status
		e.msg = fmt.Sprintf("the server at %s is not an %s: %s, but it answered %s; check --server-url (the API Manager's base URL, e.g. https://apim:9443) and --apim-version",
			c.base, c.version.Product(), want, got)
		return e
	}
	body := bytes.TrimSpace(resp.body)
	kind := contentKind(resp)
	switch {
	case resp.status == http.StatusNotFound:
		return true, fail(statusText(resp.status))
	case kind == "html":
		return false, fail(fmt.Sprintf("%s with an HTML page", statusText(resp.status)))
	case resp.status == http.StatusUnauthorized || resp.status == http.StatusForbidden:
		if len(body) > 0 && body[0] != '{' {
			return false, fail(fmt.Sprintf("%s with a body that is not JSON (%s)", statusText(resp.status), describeStart(body)))
		}
		return false, nil
	case resp.status == http.StatusOK:
		if _, err := c.decodeProbeList(body); err != nil {
			return false, fail(fmt.Sprintf("200 OK with a body that is not an API list (%v)", err))
		}
		return false, nil
	}
	return false, fail(statusText(resp.status))
}

func (c *Client) decodeProbeList(body []byte) (int, error) {
	if c.version.modern() {
		l, err := DecodeModernAPIList(body)
		return len(l.List), err
	}
	l, err := DecodeAPIList(body)
	return len(l.List), err
}

// contentKind returns "html" for an HTML answer, "" otherwise.
func contentKind(resp response) string {
	if resp.header != nil {
		if mt, _, err := mime.ParseMediaType(resp.header.Get("Content-Type")); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
			return "html"
		}
	}
	b := bytes.ToLower(bytes.TrimSpace(resp.body))
	if bytes.HasPrefix(b, []byte("<!doctype html")) || bytes.HasPrefix(b, []byte("<html")) {
		return "html"
	}
	return ""
}

// Detect finds out which API Manager version the server at cfg.ServerURL
// runs, newest contract first: the Publisher REST API of 4.x (v4), then
// 3.x (v1), then 2.6 (v0.14); a 404 moves on to the next older one. Any
// other failure (unreachable server, HTML page, a body that is not JSON)
// stops at once with an error naming the URL and what was expected.
// cfg.Version, RESTVersion and DCRVersion are ignored.
func Detect(ctx context.Context, cfg Config) (Version, error) {
	var tried []string
	for _, v := range Versions() {
		c, err := New(Config{ServerURL: cfg.ServerURL, Version: v, CAFile: cfg.CAFile, Insecure: cfg.Insecure,
			Timeout: cfg.Timeout, Retries: cfg.Retries, RetryBaseDelay: cfg.RetryBaseDelay, RetryMaxDelay: cfg.RetryMaxDelay,
			Logger: cfg.Logger, UserAgent: cfg.UserAgent})
		if err != nil {
			return "", err
		}
		absent, err := c.probe(ctx)
		if err == nil {
			return v, nil
		}
		if !absent {
			return "", err
		}
		tried = append(tried, fmt.Sprintf("%s/apis (%s)", c.publisher, v))
	}
	base, _ := checkServerURL(cfg.ServerURL)
	return "", &RequestError{Kind: ErrNoAPIManager, Op: "find out which API Manager version the server runs", Method: http.MethodGet, URL: base, Status: http.StatusNotFound,
		msg: fmt.Sprintf("the server at %s is not an API Manager 2.6, 3.x or 4.x: %s all answered 404 Not Found; check --server-url (the API Manager's base URL, e.g. https://apim:9443)",
			base, strings.Join(tried, ", "))}
}
