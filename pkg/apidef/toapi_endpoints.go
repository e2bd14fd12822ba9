package apidef

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/mgwio/mgw/pkg/gateway"
)

// namedEndpoints reads x-wso2-endpoints: a list of {<name>: endpoint}
// (MGW 3.x), or one mapping of names.
func (c *converter) namedEndpoints(raw any) map[string]*gateway.Endpoint {
	named := map[string]*gateway.Endpoint{}
	if raw == nil {
		return named
	}
	loc := pointer(ExtEndpoints)
	raw = plainValue(raw)
	define := func(at string, m map[string]any) {
		for _, name := range sortedKeys(m) {
			if _, dup := named[name]; dup {
				c.add(at+"/"+escapeToken(name), "endpoint %q is defined twice in %s; keep one", name, ExtEndpoints)
				continue
			}
			named[name] = c.endpointValue(at+"/"+escapeToken(name), m[name], false)
		}
	}
	switch v := raw.(type) {
	case []any:
		for i, e := range v {
			m, ok := e.(map[string]any)
			if !ok {
				c.add(loc+"/"+strconv.Itoa(i), "each entry of %s must be a mapping {<name>: {urls: [...]}}, found %s", ExtEndpoints, describeValue(e))
				continue
			}
			define(loc+"/"+strconv.Itoa(i), m)
		}
	case map[string]any:
		define(loc, v)
	default:
		c.add(loc, "%s must be a list of {<name>: {urls: [...]}}, found %s", ExtEndpoints, describeValue(raw))
	}
	return named
}

// endpointExt reads an endpoint extension of an API or operation.
func (c *converter) endpointExt(loc string, ext map[string]any, name string) *gateway.Endpoint {
	raw, ok := ext[name]
	if !ok || raw == nil {
		return nil
	}
	return c.endpointValue(strings.TrimSuffix(loc, "/")+"/"+escapeToken(name), raw, true)
}

// endpointValue converts an endpoint object, or (when refOK) a reference
// "#/x-wso2-endpoints/<name>". It returns nil after reporting a problem.
func (c *converter) endpointValue(loc string, raw any, refOK bool) *gateway.Endpoint {
	if s, ok := raw.(string); ok {
		if !refOK {
			c.add(loc, "an entry of %s must be an endpoint {urls: [...]}, not a reference", ExtEndpoints)
			return nil
		}
		name, found := strings.CutPrefix(s, EndpointRefPrefix)
		if !found || name == "" {
			c.add(loc, "endpoint reference %q must look like %s<name>", s, EndpointRefPrefix)
			return nil
		}
		ep, defined := c.named[unescapeToken(name)]
		if !defined {
			c.add(loc, "endpoint reference %q: %s has no endpoint named %q; define it or fix the name", s, ExtEndpoints, name)
			return nil
		}
		return cloneEndpoint(ep)
	}
	var e mgwEndpoint
	if err := decodeStrict(raw, &e); err != nil {
		c.add(loc, "invalid endpoint: %v (expected {urls: [...], type: load_balance|failover})", err)
		return nil
	}
	return c.endpoint(loc, e)
}

// endpoint validates a decoded endpoint.
func (c *converter) endpoint(loc string, e mgwEndpoint) *gateway.Endpoint {
	before := len(c.problems)
	ep := &gateway.Endpoint{URLs: e.URLs}
	if len(e.URLs) == 0 {
		c.add(loc, "the endpoint has no urls; add at least one, e.g. urls: [https://backend/api]")
	}
	for i, u := range e.URLs {
		c.addErr(loc+"/urls/"+strconv.Itoa(i), checkEndpointURL(u))
	}
	switch e.Type {
	case "", gateway.EndpointHTTP:
		ep.Type = gateway.EndpointHTTP
		if len(e.URLs) > 1 {
			if e.Type == "" {
				ep.Type = gateway.EndpointLoadBalance
			} else {
				c.add(loc+"/type", "type http takes one URL, found %d; use load_balance or failover", len(e.URLs))
			}
		}
	case gateway.EndpointLoadBalance, gateway.EndpointFailover:
		ep.Type = e.Type
	default:
		c.add(loc+"/type", "endpoint type %q is not supported; use load_balance or failover (or leave it out for one URL)", e.Type)
	}
	if s := e.SecurityConfig; s != nil {
		at := loc + "/securityConfig"
		if s.Password != nil {
			c.add(at+"/password", "a backend password must not be written in the API definition; remove it and set it at deploy time (gateway configuration)")
		}
		switch {
		case !strings.EqualFold(s.Type, "basic"):
			c.add(at+"/type", "backend security type %q is not supported by mgw; use basic", s.Type)
		case s.Username == "":
			c.add(at+"/username", "basic backend security needs a username")
		default:
			c.addErr(at+"/username", checkText("username", s.Username))
			ep.BasicAuthUsername = s.Username
		}
	}
	if a := e.AdvanceEndpointConfig; a != nil {
		at := loc + "/advanceEndpointConfig"
		if a.TimeoutInMillis != nil {
			if t := *a.TimeoutInMillis; t <= 0 || t > math.MaxInt32 {
				c.add(at+"/timeoutInMillis", "timeoutInMillis must be a positive number of milliseconds, found %d", t)
			} else {
				ep.TimeoutMillis = int(t)
			}
		}
		if a.RetryConfig != nil {
			c.add(at+"/retryConfig", "retryConfig is not supported by mgw: the gateway does not retry backend calls; remove it")
		}
		if a.CircuitBreaker != nil {
			c.add(at+"/circuitBreaker", "circuitBreaker is not supported by mgw; remove it")
		}
	}
	if e.ProxyConfig != nil {
		c.add(loc+"/proxyConfig", "proxyConfig (a proxy between gateway and backend) is not supported by mgw; remove it")
	}
	if len(c.problems) > before {
		return nil
	}
	ep.URLs = slices.Clone(e.URLs)
	return ep
}

// cloneEndpoint copies an endpoint so resources never share one.
func cloneEndpoint(ep *gateway.Endpoint) *gateway.Endpoint {
	if ep == nil {
		return nil
	}
	cp := *ep
	cp.URLs = slices.Clone(ep.URLs)
	return &cp
}

// plainValue returns v as decoded JSON (map[string]any, []any, …), so that
// typed values set in memory read like values loaded from a file.
func plainValue(v any) any {
	switch v.(type) {
	case map[string]any, []any, string, bool, float64, nil:
		return v
	}
	data, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if json.Unmarshal(data, &out) != nil {
		return v
	}
	return out
}
