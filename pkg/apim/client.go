// Package apim is a client for the REST APIs of WSO2 API Manager 2.6, 3.x
// and 4.x that mgw needs: dynamic client registration, the password grant,
// the Publisher API (APIs of a label or gateway environment, one API, its
// definition) and the Admin API (throttling policies). Detect finds out
// which release line a server runs; the newer payloads are mapped into the
// 2.6 model (API, ThrottlePolicy) so callers see one shape.
//
// Errors are meant for users: each is a *RequestError matching one of the
// Err* kinds and says what to do. Passwords, client secrets and tokens never
// appear in errors or log lines.
package apim

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// Defaults of Config.
const (
	DefaultRESTVersion    = "v0.14"
	DefaultDCRVersion     = "v0.14"
	DefaultTimeout        = 30 * time.Second
	DefaultRetries        = 3
	DefaultRetryBaseDelay = 200 * time.Millisecond
	DefaultRetryMaxDelay  = 2 * time.Second
	DefaultPageSize       = 100
	DefaultUserAgent      = "mgw"

	// MaxPageSize bounds Config.PageSize.
	MaxPageSize = 1000
	// maxBodyBytes bounds one answer: a page of 1,000 expanded APIs with
	// their Swagger definitions stays well below it.
	maxBodyBytes = 256 << 20
)

// Config says how to reach an API Manager.
type Config struct {
	// ServerURL is the base URL, e.g. https://apim:9443. https is required;
	// http is accepted only for localhost and loopback addresses.
	ServerURL string
	// Version is the API Manager release line; empty means V26. It decides
	// the REST and DCR versions and the payload shapes.
	Version Version
	// RESTVersion overrides the Publisher and Admin REST API version
	// (default: Version.RESTVersion()).
	RESTVersion string
	// DCRVersion overrides the client registration API version (default:
	// Version.DCRVersion()).
	DCRVersion string
	// CAFile is a PEM bundle of CA certificates trusted in addition to the
	// system roots.
	CAFile string
	// Insecure skips TLS certificate verification (not recommended).
	Insecure bool
	// Timeout bounds each request attempt; 0 means DefaultTimeout.
	Timeout time.Duration
	// Retries is how often a request is retried after a 5xx answer or a
	// dropped connection; 0 means DefaultRetries, a negative value disables
	// retries.
	Retries int
	// RetryBaseDelay and RetryMaxDelay bound the exponential backoff with
	// jitter between retries; 0 means the defaults (200ms, 2s).
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// PageSize is the number of APIs asked for per page; 0 means
	// DefaultPageSize.
	PageSize int
	// Logger receives one debug line per request attempt: method, URL,
	// status, duration. nil discards them.
	Logger *slog.Logger
	// UserAgent is sent with every request; empty means "mgw".
	UserAgent string
}

// Client talks to one API Manager. It is safe for concurrent use.
type Client struct {
	base      string // server URL without trailing slash
	version   Version
	publisher string
	admin     string
	dcr       string
	token     string

	timeout   time.Duration
	retries   int
	baseDelay time.Duration
	maxDelay  time.Duration
	pageSize  int
	userAgent string
	log       *slog.Logger
	http      *resty.Client

	mu          sync.RWMutex
	accessToken string
	secrets     []string
}

var versionRE = regexp.MustCompile(`^v[0-9]+(\.[0-9]+)*$`)

// New checks cfg and returns a Client. It does not contact the server.
func New(cfg Config) (*Client, error) {
	base, err := checkServerURL(cfg.ServerURL)
	if err != nil {
		return nil, err
	}
	version := cfg.Version
	if version == "" {
		version = V26
	}
	if !isKnownVersion(version) {
		return nil, fmt.Errorf("API Manager version %q is not supported: use 2.6, 3.x or 4.x", cfg.Version)
	}
	rest := orDefault(cfg.RESTVersion, version.RESTVersion())
	dcr := orDefault(cfg.DCRVersion, version.DCRVersion())
	if !versionRE.MatchString(rest) {
		return nil, fmt.Errorf("REST API version %q is not valid: use a version like %q", rest, DefaultRESTVersion)
	}
	if !versionRE.MatchString(dcr) {
		return nil, fmt.Errorf("client registration API version %q is not valid: use a version like %q", dcr, DefaultDCRVersion)
	}
	c := &Client{
		base:      base,
		version:   version,
		publisher: base + "/api/am/publisher/" + rest,
		admin:     base + "/api/am/admin/" + rest,
		dcr:       base + "/client-registration/" + dcr + "/register",
		token:     base + "/oauth2/token",
		timeout:   cfg.Timeout,
		retries:   cfg.Retries,
		baseDelay: cfg.RetryBaseDelay,
		maxDelay:  cfg.RetryMaxDelay,
		pageSize:  cfg.PageSize,
		userAgent: orDefault(cfg.UserAgent, DefaultUserAgent),
		log:       cfg.Logger,
	}
	switch {
	case c.timeout < 0:
		return nil, fmt.Errorf("timeout %s is negative: give a positive duration such as 30s", c.timeout)
	case c.timeout == 0:
		c.timeout = DefaultTimeout
	}
	switch {
	case c.retries < 0:
		c.retries = 0
	case c.retries == 0:
		c.retries = DefaultRetries
	}
	if c.baseDelay <= 0 {
		c.baseDelay = DefaultRetryBaseDelay
	}
	if c.maxDelay <= 0 {
		c.maxDelay = DefaultRetryMaxDelay
	}
	if c.maxDelay < c.baseDelay {
		c.maxDelay = c.baseDelay
	}
	switch {
	case c.pageSize < 0 || c.pageSize > MaxPageSize:
		return nil, fmt.Errorf("page size %d is out of range: use 1 to %d", c.pageSize, MaxPageSize)
	case c.pageSize == 0:
		c.pageSize = DefaultPageSize
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	tlsCfg, err := tlsConfig(cfg.CAFile, cfg.Insecure)
	if err != nil {
		return nil, err
	}
	c.http = newResty(tlsCfg, restyLogger{c})
	return c, nil
}

// Version returns the API Manager release line the client speaks.
func (c *Client) Version() Version { return c.version }

// SetAccessToken sets the bearer token used for the Publisher and Admin
// APIs (the access_token of PasswordToken).
func (c *Client) SetAccessToken(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accessToken = token
	c.rememberSecretLocked(token)
}

func (c *Client) bearer() string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.accessToken
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// checkServerURL validates the base URL and returns it without a trailing
// slash.
func checkServerURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("the API Manager URL is empty: pass --server-url (e.g. https://apim.example.com:9443) or set MGW_SERVER_URL")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("the API Manager URL %q is not valid: give the base URL with scheme, host and port, e.g. https://apim.example.com:9443", raw)
	}
	if u.User != nil {
		return "", fmt.Errorf("the API Manager URL must not carry a user name or password: remove it from the URL and pass --username (the password comes from MGW_PASSWORD or --password-stdin)")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the API Manager URL %q must not have a query or fragment: give only the base URL, e.g. https://%s", raw, u.Host)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("the API Manager URL %q uses http: the API Manager is reached over https (http is only allowed for localhost debugging); use https://%s", raw, u.Host)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig builds the TLS settings: system roots plus caFile, or no
// verification at all when insecure.
func tlsConfig(caFile string, insecure bool) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if insecure {
		cfg.InsecureSkipVerify = true // the user asked for it with -k/--insecure
		return cfg, nil
	}
	if caFile == "" {
		return cfg, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("cannot read the CA file given with --ca-file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the CA file %s holds no PEM certificate: give a file with one or more \"-----BEGIN CERTIFICATE-----\" blocks", caFile)
	}
	cfg.RootCAs = pool
	return cfg, nil
}

// newResty returns a resty client without retries of its own (Client.do
// retries), that does not follow redirects (credentials must not travel
// elsewhere; the 3xx answer is reported instead) and that sends its
// internal messages to the debug log.
func newResty(tlsCfg *tls.Config, log resty.Logger) *resty.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsCfg
	hc := &http.Client{
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	rc := resty.NewWithClient(hc)
	rc.SetRetryCount(0)
	rc.SetLogger(log)
	rc.SetDisableWarn(true)
	rc.SetResponseBodyLimit(maxBodyBytes)
	return rc
}

// restyLogger routes resty's own messages, redacted, to the debug log.
type restyLogger struct{ c *Client }

func (l restyLogger) Errorf(format string, v ...interface{}) { l.debug(format, v...) }
func (l restyLogger) Warnf(format string, v ...interface{})  { l.debug(format, v...) }
func (l restyLogger) Debugf(format string, v ...interface{}) { l.debug(format, v...) }

func (l restyLogger) debug(format string, v ...interface{}) {
	l.c.log.Debug("resty: " + l.c.redact(fmt.Sprintf(format, v...)))
}
