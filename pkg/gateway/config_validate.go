package gateway

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// validate checks values that decode fine but make no sense, and returns
// each problem prefixed with where the value came from.
func (c *Config) validate(spec *Spec) []string {
	var out []string
	bad := func(path, format string, args ...any) {
		out = append(out, c.where(path)+": "+fmt.Sprintf(format, args...))
	}
	port := func(path string, p int) {
		if p < 0 || p > 65535 {
			bad(path, "%d is not a TCP port; use 1-65535, or 0 for any free port", p)
		}
	}
	port("http.port", c.HTTP.Port)
	for _, p := range c.Tracing.validate() {
		bad("tracing.endpoint", "%s", p)
	}
	port("https.port", c.HTTPS.Port)
	if (c.HTTPS.CertFile == "") != (c.HTTPS.KeyFile == "") {
		bad("https", "set both cert_file and key_file (MGW_TLS_CERT_FILE, MGW_TLS_KEY_FILE) to enable HTTPS, or neither")
	}
	if c.HTTPS.ClientCAFile != "" && c.HTTPS.CertFile == "" {
		bad("https.client_ca_file", "mutual TLS needs HTTPS: set https.cert_file and https.key_file too")
	}
	if c.HTTPS.ClientAuth != "require" && c.HTTPS.ClientAuth != "optional" {
		bad("https.client_auth", "%q is not allowed; use require or optional", c.HTTPS.ClientAuth)
	}
	if !c.HTTP.Enabled && c.HTTPS.CertFile == "" {
		bad("http.enabled", "no listener is left: enable http or configure https")
	}
	if c.HTTP.Enabled && c.HTTPS.CertFile != "" && c.HTTP.Port == c.HTTPS.Port && c.HTTP.Port != 0 && c.HTTP.Host == c.HTTPS.Host {
		bad("https.port", "HTTP and HTTPS cannot share port %d", c.HTTP.Port)
	}
	for _, d := range []struct {
		path string
		v    time.Duration
	}{
		{"server.read_header_timeout", c.Server.ReadHeaderTimeout},
		{"server.read_timeout", c.Server.ReadTimeout},
		{"server.write_timeout", c.Server.WriteTimeout},
		{"server.idle_timeout", c.Server.IdleTimeout},
		{"server.shutdown_delay", c.Server.ShutdownDelay},
		{"server.shutdown_grace", c.Server.ShutdownGrace},
		{"backend.response_timeout", c.Backend.ResponseTimeout},
		{"backend.idle_conn_timeout", c.Backend.IdleConnTimeout},
		{"analytics.upload_period", c.Analytics.UploadPeriod},
	} {
		if d.v < 0 {
			bad(d.path, "must not be negative")
		}
	}
	if c.Backend.ConnectTimeout <= 0 {
		bad("backend.connect_timeout", "must be positive, such as 5s")
	}
	if c.Backend.ProxyURL != "" {
		if _, err := parseProxyURL(c.Backend.ProxyURL.Reveal()); err != nil {
			bad("backend.proxy_url", "%v", err)
		}
	}
	for i, e := range c.Backend.NoProxy {
		if _, err := parseNoProxy(e); err != nil {
			bad("backend.no_proxy", "item %d: %v", i+1, err)
		}
	}
	if c.Backend.MaxIdleConnsPerHost < 1 {
		bad("backend.max_idle_conns_per_host", "must be at least 1")
	}
	if c.Server.Engine != EngineH1 && c.Server.Engine != EngineNetHTTP {
		bad("server.engine", "is %q; use h1 or net/http", c.Server.Engine)
	}
	if c.Backend.Engine != EngineH1 && c.Backend.Engine != EngineNetHTTP {
		bad("backend.engine", "is %q; use h1 or net/http", c.Backend.Engine)
	}
	if c.Server.MaxHeaderBytes < 0 || c.Server.MaxHeaderBytes > 1<<30 {
		bad("server.max_header_bytes", "must be between 0 (Go's default of 1MiB) and 1GiB")
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q is not a level; use debug, info, warn or error", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", "%q is not a format; use text or json", c.Log.Format)
	}
	for i, p := range c.Server.TrustedProxies {
		if _, err := parsePrefix(p); err != nil {
			bad("server.trusted_proxies", "item %d: %v", i+1, err)
		}
	}
	out = append(out, c.validateAPIs(spec)...)
	out = append(out, c.validateSecurity()...)
	out = append(out, c.validateAnalytics()...)
	out = append(out, c.validateThrottling()...)
	out = append(out, c.validateValidation()...)
	return out
}

// parsePrefix accepts a CIDR or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%q is not a CIDR such as 10.0.0.0/8", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is neither an address nor a CIDR such as 10.0.0.0/8", s)
	}
	return netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()), nil
}

// findAPI looks an API up by its "name/version" key.
func findAPI(spec *Spec, key string) *API {
	for i := range spec.APIs {
		if spec.APIs[i].Name+"/"+spec.APIs[i].Version == key {
			return &spec.APIs[i]
		}
	}
	return nil
}

func (c *Config) validateAPIs(spec *Spec) []string {
	var out []string
	for _, key := range sortedKeys(c.APIs) {
		base := joinPath("apis", key)
		api := findAPI(spec, key)
		if api == nil {
			var names []string
			for i := range spec.APIs {
				if i == 10 {
					names = append(names, "…")
					break
				}
				names = append(names, spec.APIs[i].Name+"/"+spec.APIs[i].Version)
			}
			out = append(out, fmt.Sprintf("%s: no API %q in this gateway; keys are \"name/version\": %s", c.whereKey(base), key, strings.Join(names, ", ")))
			continue
		}
		o := c.APIs[key]
		for _, e := range []struct {
			name string
			ep   *EndpointOverride
			orig *Endpoint
		}{{"production", o.Production, api.Production}, {"sandbox", o.Sandbox, api.Sandbox}} {
			if e.ep == nil {
				continue
			}
			p := base + "." + e.name
			if e.ep.Type != "" && !validEndpointType(e.ep.Type) {
				out = append(out, fmt.Sprintf("%s: %q is not an endpoint type; use http, load_balance or failover", c.where(p+".type"), e.ep.Type))
			}
			for i, u := range e.ep.URLs {
				if err := checkBackendURL(u); err != nil {
					out = append(out, fmt.Sprintf("%s: item %d: %v", c.where(p+".urls"), i+1, err))
				}
			}
			if e.orig == nil && len(e.ep.URLs) == 0 {
				out = append(out, fmt.Sprintf("%s: the API has no %s endpoint to change; give urls", c.whereKey(p), e.name))
			}
			if e.orig == nil && e.ep.Type == "" && len(e.ep.URLs) > 1 {
				out = append(out, fmt.Sprintf("%s: several urls for a new endpoint need a type (load_balance or failover)", c.where(p+".urls")))
			}
			if e.ep.Timeout < 0 {
				out = append(out, c.where(p+".timeout")+": must not be negative")
			}
			if e.ep.ConnectTimeout < 0 {
				out = append(out, c.where(p+".connect_timeout")+": must not be negative")
			}
		}
	}
	return out
}

// whereKey is where for a mapping key, whose origin is that of any value
// under it.
func (c *Config) whereKey(p string) string {
	for _, k := range sortedKeys(c.origins) {
		if o := c.origins[k]; strings.HasPrefix(k, p+".") {
			if isEnvOrigin(o) {
				return fmt.Sprintf("%s (%s)", o, p)
			}
			return o + ": " + p
		}
	}
	return p
}

func validEndpointType(t string) bool {
	return t == EndpointHTTP || t == EndpointLoadBalance || t == EndpointFailover
}

// checkBackendURL accepts absolute http(s) URLs without credentials or a
// fragment. Its errors never show a password written into the URL.
func checkBackendURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		if strings.Contains(s, "@") {
			return fmt.Errorf("not a valid URL (not shown: it may hold credentials)")
		}
		return fmt.Errorf("%q is not a valid URL", s)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not hold credentials; use the endpoint's basic-auth username and password settings", u.Redacted())
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q must start with http:// or https://", s)
	}
	if u.Host == "" {
		return fmt.Errorf("%q has no host", s)
	}
	if u.Fragment != "" || strings.HasSuffix(s, "#") {
		return fmt.Errorf("%q must not have a #fragment", s)
	}
	if u.Opaque != "" {
		return fmt.Errorf("%q is not a hierarchical URL", s)
	}
	return nil
}
