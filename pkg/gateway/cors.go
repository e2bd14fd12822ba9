package gateway

import (
	"net/http"
	"strconv"
	"strings"
)

// corsDefaults are API Manager's default corsConfiguration lists, used
// when a policy leaves methods or headers empty.
var (
	corsDefaultMethods = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"}
	corsDefaultHeaders = []string{"authorization", "Access-Control-Allow-Origin", "Content-Type", "SOAPAction", "apikey"}
)

// corsPolicies holds the CORS rule of every API.
type corsPolicies struct {
	rules map[*API]*corsRule
}

// corsRule is one API's CORS policy, prepared for the hot path.
type corsRule struct {
	anyOrigin   bool
	origins     map[string]bool
	credentials bool
	methods     map[string]bool
	methodList  string
	anyHeader   bool
	headers     map[string]bool
	headerList  string
	expose      string
	maxAge      string
}

// newCORS prepares the CORS rules: an API's own configuration, else the
// gateway's cors section. It installs no middleware: serveHTTP calls
// handle right after routing, before the method check and authentication.
func (g *Gateway) newCORS() (Middleware, error) {
	def := &CORS{
		Enabled:          g.cfg.CORS.Enabled,
		AllowOrigins:     g.cfg.CORS.AllowOrigins,
		AllowMethods:     g.cfg.CORS.AllowMethods,
		AllowHeaders:     g.cfg.CORS.AllowHeaders,
		ExposeHeaders:    g.cfg.CORS.ExposeHeaders,
		AllowCredentials: g.cfg.CORS.AllowCredentials,
		MaxAgeSeconds:    int(g.cfg.CORS.MaxAge.Seconds()),
	}
	p := &corsPolicies{rules: map[*API]*corsRule{}}
	for i := range g.spec.APIs {
		a := &g.spec.APIs[i]
		c := a.CORS
		if c == nil {
			c = def
		}
		if r := newCORSRule(c); r != nil {
			p.rules[a] = r
		}
	}
	if len(p.rules) > 0 {
		g.cors = p
	}
	return nil, nil
}

func newCORSRule(c *CORS) *corsRule {
	if c == nil || !c.Enabled {
		return nil
	}
	r := &corsRule{origins: map[string]bool{}, methods: map[string]bool{}, headers: map[string]bool{}, credentials: c.AllowCredentials}
	for _, o := range c.AllowOrigins {
		if o == "*" {
			r.anyOrigin = true
		}
		r.origins[strings.TrimSuffix(o, "/")] = true
	}
	if r.anyOrigin {
		// "*" with credentials would let every site act as the user.
		r.credentials = false
	}
	methods := c.AllowMethods
	if len(methods) == 0 {
		methods = corsDefaultMethods
	}
	for _, m := range methods {
		r.methods[strings.ToUpper(m)] = true
	}
	r.methodList = strings.ToUpper(strings.Join(methods, ", "))
	headers := c.AllowHeaders
	if len(headers) == 0 {
		headers = corsDefaultHeaders
	}
	for _, h := range headers {
		if h == "*" {
			r.anyHeader = true
		}
		r.headers[strings.ToLower(h)] = true
	}
	r.headerList = strings.Join(headers, ", ")
	r.expose = strings.Join(c.ExposeHeaders, ", ")
	if c.MaxAgeSeconds > 0 {
		r.maxAge = strconv.Itoa(c.MaxAgeSeconds)
	}
	return r
}

// handle applies api's CORS policy. It answers a preflight request itself
// (without authentication) and returns true; for other requests it sets
// the response headers and returns false.
func (p *corsPolicies) handle(w http.ResponseWriter, r *http.Request, api *API) bool {
	rule := p.rules[api]
	if rule == nil {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if origin == "" {
		return false
	}
	if !rule.anyOrigin && !rule.origins[origin] {
		if preflight {
			// Answered without CORS headers: the browser refuses.
			w.WriteHeader(http.StatusNoContent)
			return true
		}
		return false
	}
	allowOrigin := origin
	if rule.anyOrigin && !rule.credentials {
		allowOrigin = "*"
	}
	if !preflight {
		h.Set("Access-Control-Allow-Origin", allowOrigin)
		if rule.credentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
		if rule.expose != "" {
			h.Set("Access-Control-Expose-Headers", rule.expose)
		}
		return false
	}
	if !rule.methods[r.Header.Get("Access-Control-Request-Method")] || !rule.headersAllowed(r.Header.Values("Access-Control-Request-Headers")) {
		w.WriteHeader(http.StatusNoContent)
		return true
	}
	h.Add("Vary", "Access-Control-Request-Method")
	h.Add("Vary", "Access-Control-Request-Headers")
	h.Set("Access-Control-Allow-Origin", allowOrigin)
	if rule.credentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	h.Set("Access-Control-Allow-Methods", rule.methodList)
	if rule.anyHeader {
		if req := strings.Join(r.Header.Values("Access-Control-Request-Headers"), ", "); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
	} else {
		h.Set("Access-Control-Allow-Headers", rule.headerList)
	}
	if rule.maxAge != "" {
		h.Set("Access-Control-Max-Age", rule.maxAge)
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// headersAllowed reports whether every requested header is allowed.
func (rule *corsRule) headersAllowed(values []string) bool {
	if rule.anyHeader {
		return true
	}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			name = strings.ToLower(strings.TrimSpace(name))
			if name != "" && !rule.headers[name] {
				return false
			}
		}
	}
	return true
}
