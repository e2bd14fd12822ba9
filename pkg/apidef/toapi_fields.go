package apidef

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// basePath returns x-wso2-basePath ({version} replaced), or as in MGW 3.x
// the path of the first servers URL, and the context: x-wso2-context, or
// the base path without a trailing /<version>.
func (c *converter) basePath(ext map[string]any, servers openapi3.Servers, version string) (basePath, apiContext string) {
	loc := pointer(ExtBasePath)
	raw, ok := ext[ExtBasePath]
	if !ok {
		raw, ok = c.serversBasePath(servers)
	}
	if !ok {
		c.add("#", "%s is missing (and the first servers URL has no path to use instead); add it at the top level, e.g. %s: /petstore/v1", ExtBasePath, ExtBasePath)
		return "", ""
	}
	bp, isString := raw.(string)
	if !isString {
		c.add(loc, "%s must be a string such as /petstore/v1, found %s", ExtBasePath, describeValue(raw))
		return "", ""
	}
	if err := checkContext(ExtBasePath, bp, true); err != nil {
		c.addErr(loc, err)
		return "", ""
	}
	if bp != "/" {
		bp = strings.TrimSuffix(bp, "/")
	}
	bp = strings.ReplaceAll(bp, "{version}", version)
	apiContext = bp
	if v := "/" + version; version != "" && strings.HasSuffix(bp, v) && bp != v {
		apiContext = strings.TrimSuffix(bp, v)
	}
	if ctx := c.str("#", ext, ExtContext); ctx != "" {
		if err := checkContext(ExtContext, ctx, false); err != nil {
			c.addErr(pointer(ExtContext), err)
		} else {
			apiContext = ctx
		}
	}
	return bp, apiContext
}

// str reads an optional string extension, reporting a wrong type.
func (c *converter) str(loc string, ext map[string]any, name string) string {
	s, err := stringExt(ext, name)
	if err != nil {
		c.addErr(strings.TrimSuffix(loc, "/")+"/"+escapeToken(name), err)
	}
	return s
}

// text is str that also refuses control characters.
func (c *converter) text(loc string, ext map[string]any, name, what string) string {
	s := c.str(loc, ext, name)
	if err := checkText(what, s); err != nil {
		c.addErr(strings.TrimSuffix(loc, "/")+"/"+escapeToken(name), err)
		return ""
	}
	return s
}

// boolean reads an optional boolean extension.
func (c *converter) boolean(loc string, ext map[string]any, name string) bool {
	b, _, err := boolExt(ext, name)
	if err != nil {
		c.addErr(strings.TrimSuffix(loc, "/")+"/"+escapeToken(name), err)
	}
	return b
}

// tier reads x-wso2-throttling-tier, else x-throttling-tier.
func (c *converter) tier(loc string, ext map[string]any) string {
	if t := c.text(loc, ext, ExtThrottlingTier, "throttling tier"); t != "" {
		return t
	}
	return c.text(loc, ext, ExtAPIMThrottlingTier, "throttling tier")
}

// subscriptionTiers reads x-wso2-subscription-tiers: the subscription
// policies the API Manager offers for the API (its "tiers").
func (c *converter) subscriptionTiers(ext map[string]any) []string {
	raw, ok := ext[ExtSubscriptionTiers]
	if !ok {
		return nil
	}
	loc := pointer(ExtSubscriptionTiers)
	var list []string
	if err := decodeStrict(raw, &list); err != nil {
		c.add(loc, "%s must be a list of subscription policy names such as [Gold, Unlimited]: %v", ExtSubscriptionTiers, err)
		return nil
	}
	for _, t := range list {
		if strings.TrimSpace(t) == "" {
			c.add(loc, "%s holds an empty name; remove it", ExtSubscriptionTiers)
			continue
		}
		c.addErr(loc, checkText("subscription tier", t))
	}
	return list
}

func (c *converter) transports(ext map[string]any) []string {
	raw, ok := ext[ExtTransports]
	if !ok {
		return nil
	}
	loc := pointer(ExtTransports)
	var list []string
	if err := decodeStrict(raw, &list); err != nil {
		c.add(loc, "%s must be a list such as [http, https]: %v", ExtTransports, err)
		return nil
	}
	for _, t := range list {
		c.addErr(loc, checkTransport(t))
	}
	return list
}

// securityTypes are the values of x-wso2-application-security.security-types.
var securityTypes = map[string]bool{"oauth2": true, "basic_auth": true, "api_key": true}

// appSecurity reads x-wso2-application-security: the accepted
// credentials and whether they are optional (a request without any passes
// as anonymous).
func (c *converter) appSecurity(ext map[string]any) ([]string, bool) {
	raw, ok := ext[ExtApplicationSecurity]
	if !ok {
		return nil, false
	}
	loc := pointer(ExtApplicationSecurity)
	var as mgwAppSecurity
	if err := decodeStrict(raw, &as); err != nil {
		c.add(loc, "%s: %v", ExtApplicationSecurity, err)
		return nil, false
	}
	if len(as.SecurityTypes) == 0 {
		c.add(loc, "security-types is empty; list one or more of oauth2, basic_auth, api_key")
	}
	for _, t := range as.SecurityTypes {
		if !securityTypes[t] {
			c.add(loc, "security type %q is not supported; use oauth2, basic_auth or api_key", t)
		}
	}
	return as.SecurityTypes, as.Optional
}

func (c *converter) cors(ext map[string]any) *gateway.CORS {
	raw, ok := ext[ExtCORS]
	if !ok {
		return nil
	}
	loc := pointer(ExtCORS)
	var mc mgwCORS
	if err := decodeStrict(raw, &mc); err != nil {
		c.add(loc, "%s: %v", ExtCORS, err)
		return nil
	}
	for _, list := range [][]string{mc.AllowOrigins, mc.AllowHeaders, mc.AllowMethods, mc.ExposeHeaders} {
		for _, v := range list {
			c.addErr(loc, checkText("CORS value", v))
		}
	}
	if mc.MaxAgeSeconds < 0 {
		c.add(loc, "access-control-max-age must not be negative")
	}
	return &gateway.CORS{
		Enabled:          true,
		AllowOrigins:     mc.AllowOrigins,
		AllowMethods:     mc.AllowMethods,
		AllowHeaders:     mc.AllowHeaders,
		ExposeHeaders:    mc.ExposeHeaders,
		AllowCredentials: mc.AllowCredentials,
		MaxAgeSeconds:    mc.MaxAgeSeconds,
	}
}
