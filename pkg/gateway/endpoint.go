package gateway

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/h1"
)

// endpointGroup is a resolved Endpoint: its targets, how to pick among
// them and the transport (connection pool) that reaches them.
type endpointGroup struct {
	kind    string
	targets []target
	next    atomic.Uint64 // round-robin counter for load_balance
	auth    []string      // Authorization header value, nil for none
}

// target is one backend base URL, split for cheap per-request joining.
type target struct {
	scheme string
	host   string
	path   string // without a trailing "/"
	query  string
	url    string // for logs: without the query, which may hold a key
	rt     http.RoundTripper
}

// transportKey identifies transports that can share a connection pool.
type transportKey struct {
	connect, response time.Duration
}

// Values of server.engine and backend.engine.
const (
	EngineH1      = "h1"
	EngineNetHTTP = "net/http"
)

// backendTransport reaches backends with one pair of timeouts: plain
// HTTP through the h1 engine (no helper goroutines per exchange), HTTPS
// through net/http, which also negotiates HTTP/2.
type backendTransport struct {
	plain   *h1.Transport
	tls     *http.Transport
	proxied http.RoundTripper // tls behind backend.proxy_url, for every scheme
}

// forScheme returns the round tripper for a target's scheme.
func (b *backendTransport) forScheme(scheme string) http.RoundTripper {
	switch {
	case b.proxied != nil:
		return b.proxied
	case scheme == "http" && b.plain != nil:
		return b.plain
	}
	return b.tls
}

// transports creates one backendTransport per distinct pair of timeouts
// so that endpoints with equal settings share keep-alive connections.
type transports struct {
	cfg   BackendConfig
	tls   *tls.Config
	proxy *outboundProxy // nil without backend.proxy_url
	byKey map[transportKey]*backendTransport
}

func newTransports(cfg BackendConfig) (*transports, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.CAFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		pem, err := os.ReadFile(cfg.CAFile)
		if err != nil {
			return nil, fmt.Errorf("backend.ca_file: cannot read %s: %s", cfg.CAFile, pathErr(err))
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("backend.ca_file: %s holds no PEM certificate", cfg.CAFile)
		}
		tc.RootCAs = pool
	}
	proxy, _ := newOutboundProxy(cfg) // Config.validate reports a bad proxy setting
	return &transports{cfg: cfg, tls: tc, proxy: proxy, byKey: map[transportKey]*backendTransport{}}, nil
}

func (ts *transports) get(connect, response time.Duration) *backendTransport {
	k := transportKey{connect, response}
	if t, ok := ts.byKey[k]; ok {
		return t
	}
	d := &net.Dialer{Timeout: connect, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConnsPerHost:   ts.cfg.MaxIdleConnsPerHost,
		IdleConnTimeout:       ts.cfg.IdleConnTimeout,
		TLSHandshakeTimeout:   connect,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: response,
		TLSClientConfig:       ts.tls.Clone(),
		// Bodies pass through byte for byte: never ask for or undo gzip.
		DisableCompression:     true,
		MaxResponseHeaderBytes: 1 << 20,
		ReadBufferSize:         16 << 10,
		WriteBufferSize:        16 << 10,
	}
	bt := &backendTransport{tls: t}
	ts.byKey[k] = bt
	if ts.proxy != nil {
		// net/http speaks to proxies (absolute-form requests, CONNECT
		// tunnels, Proxy-Authorization); h1 does not.
		t.Proxy = ts.proxy.forRequest
		bt.proxied = &proxiedTransport{t: t, p: ts.proxy}
		return bt
	}
	if ts.cfg.Engine == EngineNetHTTP {
		return bt
	}
	bt.plain = &h1.Transport{
		DialTimeout:            connect,
		ResponseHeaderTimeout:  response,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConnsPerHost:    ts.cfg.MaxIdleConnsPerHost,
		IdleConnTimeout:        ts.cfg.IdleConnTimeout,
		MaxResponseHeaderBytes: 1 << 20,
		// 4 KiB holds a typical head and small body in one read; larger
		// bodies are read past the buffer in 32 KiB copies anyway. Each
		// idle backend connection keeps both buffers: 16 KiB ones cost
		// 3-4 MiB of peak RSS at 50 connections (make bench).
		BufferSize: 4 << 10,
	}
	return bt
}

func (ts *transports) closeIdle() {
	for _, t := range ts.byKey {
		if t.plain != nil {
			t.plain.CloseIdleConnections()
		}
		t.tls.CloseIdleConnections()
	}
}

// endpointSource names an endpoint in error messages and the variables
// that configure it.
type endpointSource struct {
	api  *API
	env  string // "production" or "sandbox"
	what string // "production endpoint" or "resource GET /x production endpoint"
}

// resolveEndpoint merges a compiled-in endpoint with its deploy-time
// override. Either may be nil; both nil gives a nil group.
func resolveEndpoint(ep *Endpoint, ov *EndpointOverride, cfg *Config, ts *transports, src endpointSource) (*endpointGroup, error) {
	if ep == nil && (ov == nil || len(ov.URLs) == 0) {
		return nil, nil
	}
	var kind, username string
	var urls []string
	var timeout time.Duration
	connect := cfg.Backend.ConnectTimeout
	if ep != nil {
		kind, urls, username = ep.Type, ep.URLs, ep.BasicAuthUsername
		if ep.TimeoutMillis > 0 {
			timeout = time.Duration(ep.TimeoutMillis) * time.Millisecond
		}
	}
	var password Secret
	if ov != nil {
		if ov.Type != "" {
			kind = ov.Type
		}
		if len(ov.URLs) > 0 {
			urls = ov.URLs
		}
		if ov.Timeout > 0 {
			timeout = ov.Timeout
		}
		if ov.ConnectTimeout > 0 {
			connect = ov.ConnectTimeout
		}
		if ov.Username != "" {
			username = ov.Username
		}
		password = ov.Password
	}
	if timeout == 0 {
		timeout = cfg.Backend.ResponseTimeout
	}
	label := fmt.Sprintf("API %s/%s: %s", src.api.Name, src.api.Version, src.what)
	if kind == "" {
		kind = EndpointHTTP
	}
	if err := checkEndpoint(kind, urls); err != nil {
		return nil, fmt.Errorf("%s%v", label, err)
	}
	bt := ts.get(connect, timeout)
	g := &endpointGroup{kind: kind}
	for _, raw := range urls {
		u, _ := url.Parse(raw)
		g.targets = append(g.targets, target{
			scheme: u.Scheme,
			host:   u.Host,
			path:   strings.TrimSuffix(u.EscapedPath(), "/"),
			query:  u.RawQuery,
			url:    u.Scheme + "://" + u.Host + u.EscapedPath(),
			rt:     bt.forScheme(u.Scheme),
		})
	}
	envVar := fmt.Sprintf("MGW_API_%s_%s_PASSWORD", EnvName(src.api), strings.ToUpper(src.env))
	switch {
	case username != "" && password == "":
		return nil, fmt.Errorf("%s uses backend basic auth as %q but has no password: set %s or apis.%q.%s.password_file",
			label, username, envVar, src.api.Name+"/"+src.api.Version, src.env)
	case username == "" && password != "":
		return nil, fmt.Errorf("%s has a backend password but no username: set apis.%q.%s.username", label, src.api.Name+"/"+src.api.Version, src.env)
	case username != "":
		if strings.Contains(username, ":") {
			return nil, fmt.Errorf("%s: basic-auth username %q must not contain \":\"", label, username)
		}
		cred := base64.StdEncoding.EncodeToString([]byte(username + ":" + password.Reveal()))
		g.auth = []string{"Basic " + cred}
	}
	return g, nil
}

// checkEndpoint checks an endpoint's kind and URLs; errors start with
// ": " or " " to follow the endpoint's name.
func checkEndpoint(kind string, urls []string) error {
	if !validEndpointType(kind) {
		return fmt.Errorf(": type %q is not http, load_balance or failover", kind)
	}
	if len(urls) == 0 {
		return fmt.Errorf(" has no URLs")
	}
	if kind == EndpointHTTP && len(urls) > 1 {
		return fmt.Errorf(": type http takes one URL, not %d; use load_balance or failover", len(urls))
	}
	for i, raw := range urls {
		if err := checkBackendURL(raw); err != nil {
			return fmt.Errorf(": URL %d: %v", i+1, err)
		}
	}
	return nil
}

// first returns the index of the first target to try.
func (g *endpointGroup) first() int {
	if g.kind == EndpointLoadBalance && len(g.targets) > 1 {
		return int((g.next.Add(1) - 1) % uint64(len(g.targets)))
	}
	return 0
}
