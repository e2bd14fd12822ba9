package gateway

import (
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// outboundProxy sends backend requests through an HTTP proxy, except to
// the hosts of backend.no_proxy (the original could not: issue #802).
type outboundProxy struct {
	url    *url.URL
	bypass []noProxyRule
}

// noProxyRule is one backend.no_proxy entry: every host ("*"), a
// network, or a domain with its subdomains.
type noProxyRule struct {
	all    bool
	prefix netip.Prefix
	domain string // lower case, without a leading dot
}

// parseProxyURL checks a backend.proxy_url; its errors never show the
// URL's password.
func parseProxyURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, errors.New(errProxyNotURL)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf(errProxyScheme, u.Scheme)
	}
	if u.Hostname() == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New(errProxyNotBare)
	}
	return u, nil
}

// Messages of parseProxyURL: fixed text, so that no part of the URL (its
// password) can show in them.
const (
	errProxyNotURL  = "not a URL; use http://host:port or http://user:password@host:port"
	errProxyScheme  = "scheme %q is not supported; use http:// or https://"
	errProxyNotBare = "give only the proxy's scheme, host and port, such as http://proxy.example.com:3128"
)

// parseNoProxy parses a backend.no_proxy entry: "*", an IP address, a
// CIDR, or a domain name (".example.com" and "example.com" both match
// example.com and its subdomains).
func parseNoProxy(s string) (noProxyRule, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "*":
		return noProxyRule{all: true}, nil
	case s == "":
		return noProxyRule{}, errors.New("empty; give a host, domain, address or CIDR")
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		return noProxyRule{prefix: p.Masked()}, nil
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return noProxyRule{prefix: netip.PrefixFrom(a, a.BitLen())}, nil
	}
	d := strings.ToLower(strings.TrimPrefix(s, "."))
	for _, c := range d {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return noProxyRule{}, fmt.Errorf("%q is not a host, domain, address or CIDR", s)
		}
	}
	return noProxyRule{domain: d}, nil
}

func newOutboundProxy(cfg BackendConfig) (*outboundProxy, error) {
	if cfg.ProxyURL == "" {
		return nil, nil
	}
	u, err := parseProxyURL(cfg.ProxyURL.Reveal())
	if err != nil {
		return nil, fmt.Errorf("backend.proxy_url: %w", err)
	}
	p := &outboundProxy{url: u}
	for _, e := range cfg.NoProxy {
		r, err := parseNoProxy(e)
		if err != nil {
			return nil, fmt.Errorf("backend.no_proxy: %w", err)
		}
		p.bypass = append(p.bypass, r)
	}
	return p, nil
}

// forRequest is http.Transport's Proxy function.
func (p *outboundProxy) forRequest(r *http.Request) (*url.URL, error) {
	if p.bypasses(r.URL.Hostname()) {
		return nil, nil
	}
	return p.url, nil
}

// bypasses reports whether host is reached directly.
func (p *outboundProxy) bypasses(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	addr, err := netip.ParseAddr(strings.Trim(host, "[]"))
	isAddr := err == nil
	for _, r := range p.bypass {
		switch {
		case r.all:
			return true
		case r.prefix.IsValid():
			if isAddr && r.prefix.Contains(addr.Unmap()) {
				return true
			}
		case host == r.domain || strings.HasSuffix(host, "."+r.domain):
			return true
		}
	}
	return false
}

// proxiedTransport gives a plain-HTTP request going to the proxy an
// absolute-form target: the gateway sets the backend path as the URL's
// Opaque, which net/http would otherwise send to the proxy as is.
type proxiedTransport struct {
	t *http.Transport
	p *outboundProxy
}

// RoundTrip implements http.RoundTripper.
func (pt *proxiedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "http" && strings.HasPrefix(req.URL.Opaque, "/") && !pt.p.bypasses(req.URL.Hostname()) {
		r2 := *req
		u := *req.URL
		u.Opaque = "//" + u.Host + u.Opaque
		r2.URL = &u
		req = &r2
	}
	resp, err := pt.t.RoundTrip(req)
	if err == nil && resp.StatusCode == http.StatusProxyAuthRequired {
		// The proxy's demand is the gateway's problem, not the client's.
		resp.Body.Close()
		return nil, fmt.Errorf("backend proxy %s refused the gateway's credentials (407); check MGW_BACKEND_PROXY_URL", pt.p.url.Host)
	}
	return resp, err
}
