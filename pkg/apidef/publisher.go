package apidef

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/apim"
)

// FromPublisher turns one API DTO of the API Manager 2.6 Publisher (its
// apiDefinition is a Swagger 2 JSON string) into one OpenAPI 3 document
// carrying the MGW 3.x x-wso2-* extensions, so the document alone holds
// everything the gateway needs:
//
//   - info.title and info.version are the API's name and version;
//     x-wso2-basePath is context/version (or the context when it already
//     holds the version or a {version} placeholder), x-wso2-context the
//     context without it, and x-wso2-default-version, x-wso2-owner,
//     x-wso2-transports and x-wso2-api-id carry the rest;
//   - endpointConfig becomes x-wso2-production-endpoints and
//     x-wso2-sandbox-endpoints ({urls, type}); endpointSecurity becomes
//     their securityConfig, with the user name only, never the password;
//   - an enabled corsConfiguration becomes x-wso2-cors, authorizationHeader
//     x-wso2-auth-header and apiLevelPolicy x-wso2-throttling-tier;
//   - per operation, x-throttling-tier is copied to x-wso2-throttling-tier,
//     x-auth-type None adds x-wso2-disable-security, and x-scope becomes the
//     operation's security requirement on the OAuth2 scheme "default".
//
// The API Manager 2.6 enforces only x-scope, so the definition's own
// security requirements are replaced by that one (keeping them would make
// the gateway demand scopes the API Manager never checked); the security
// schemes themselves are kept. Swagger host/basePath (the API Manager's own
// gateway) are dropped too. The result passes the same validation as Load
// and converts with ToAPI without problems, so what mgw setup writes, mgw
// build can use. Errors name the API as "name:version" and never contain
// the backend password.
func FromPublisher(api apim.API) (*openapi3.T, error) {
	id := quoteID(api.Name, api.Version)
	fail := func(err error) error { return fmt.Errorf("API %s: %w", id, err) }

	if err := checkName(api.Name); err != nil {
		return nil, fail(err)
	}
	if err := checkVersion(api.Version); err != nil {
		return nil, fail(err)
	}
	if api.Type != "" && !strings.EqualFold(api.Type, "HTTP") {
		return nil, fail(fmt.Errorf("API type %q is not supported by mgw; only HTTP (REST) APIs are (WebSocket and SOAP-to-REST APIs are not)", api.Type))
	}
	basePath, apiContext, err := splitContext(api.Context, api.Version)
	if err != nil {
		return nil, fail(err)
	}
	if strings.TrimSpace(api.APIDefinition) == "" {
		return nil, fail(fmt.Errorf("apiDefinition is empty; the Publisher must return the API's Swagger definition (query with expand=true)"))
	}
	d, err := decode("apiDefinition", []byte(api.APIDefinition))
	if err != nil {
		return nil, fail(err)
	}
	doc := d.doc
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, fail(fmt.Errorf("apiDefinition has no paths; add at least one resource to the API in the Publisher"))
	}
	ec, err := parseEndpointConfig(api.EndpointConfig)
	if err != nil {
		return nil, fail(err)
	}
	prod, sand, err := endpointsFromConfig(ec, api.EndpointSecurity)
	if err != nil {
		return nil, fail(err)
	}

	// Swagger 2 host/basePath name the API Manager's gateway, not the
	// backend; as servers they would read as backends (MGW 3.x uses servers
	// when there is no production endpoint), so they are dropped.
	doc.Servers = nil
	if doc.Info == nil {
		doc.Info = &openapi3.Info{}
	}
	doc.Info.Title = api.Name
	doc.Info.Version = api.Version
	if doc.Info.Description == "" {
		doc.Info.Description = api.Description
	}
	ext, err := apiExtensionsFromDTO(api, basePath, apiContext)
	if err != nil {
		return nil, fail(err)
	}
	if prod != nil {
		ext[ExtProductionEndpoints] = prod
	}
	if sand != nil {
		ext[ExtSandboxEndpoints] = sand
	}
	if doc.Extensions == nil {
		doc.Extensions = map[string]any{}
	}
	for _, k := range []string{ExtBasePath, ExtContext, ExtDefaultVersion, ExtOwner, ExtTransports, ExtAPIID,
		ExtProductionEndpoints, ExtSandboxEndpoints, ExtCORS, ExtAuthHeader, ExtThrottlingTier, ExtSubscriptionTiers} {
		delete(doc.Extensions, k)
	}
	for k, v := range ext {
		doc.Extensions[k] = v
	}
	if err := operationsFromPublisher(doc); err != nil {
		return nil, fail(err)
	}
	_, problems := ToAPI("apiDefinition", doc)
	_, errs := validate(context.Background(), "apiDefinition", doc, nil)
	if all := append(problems, errs...); len(all) > 0 {
		return nil, fail(Problems(all))
	}
	return doc, nil
}

// splitContext returns the base path the API is served at and its context
// without the version.
func splitContext(c, version string) (basePath, apiContext string, err error) {
	if err := checkContext("context", c, true); err != nil {
		return "", "", err
	}
	if c != "/" {
		c = strings.TrimSuffix(c, "/")
	}
	switch {
	case strings.Contains(c, "{version}"):
		basePath = strings.ReplaceAll(c, "{version}", version)
		apiContext = strings.ReplaceAll(strings.ReplaceAll(c, "/{version}", ""), "{version}", "")
	case strings.HasSuffix(c, "/"+version):
		basePath = c
		apiContext = strings.TrimSuffix(c, "/"+version)
	default:
		basePath = strings.TrimSuffix(c, "/") + "/" + version
		apiContext = c
	}
	if apiContext == "" {
		apiContext = "/"
	}
	return basePath, apiContext, nil
}

// apiExtensionsFromDTO builds the API-level extensions other than the
// endpoints.
func apiExtensionsFromDTO(api apim.API, basePath, apiContext string) (map[string]any, error) {
	ext := map[string]any{
		ExtBasePath: basePath,
		ExtContext:  apiContext,
	}
	if api.IsDefaultVersion {
		ext[ExtDefaultVersion] = true
	}
	if api.Provider != "" {
		if err := checkText("provider", api.Provider); err != nil {
			return nil, err
		}
		ext[ExtOwner] = api.Provider
	}
	if api.ID != "" {
		if err := checkText("API id", api.ID); err != nil {
			return nil, err
		}
		ext[ExtAPIID] = api.ID
	}
	if len(api.Transport) > 0 {
		for _, t := range api.Transport {
			if err := checkTransport(t); err != nil {
				return nil, err
			}
		}
		ext[ExtTransports] = slices.Clone(api.Transport)
	}
	if api.AuthorizationHeader != "" {
		if err := checkHeaderName(api.AuthorizationHeader); err != nil {
			return nil, fmt.Errorf("authorizationHeader: %w", err)
		}
		ext[ExtAuthHeader] = api.AuthorizationHeader
	}
	if len(api.Tiers) > 0 {
		for _, t := range api.Tiers {
			if strings.TrimSpace(t) == "" {
				return nil, fmt.Errorf("tiers: an empty subscription tier name")
			}
			if err := checkText("subscription tier", t); err != nil {
				return nil, fmt.Errorf("tiers: %w", err)
			}
		}
		ext[ExtSubscriptionTiers] = slices.Clone(api.Tiers)
	}
	if p := api.APILevelPolicy; p != nil && *p != "" {
		if err := checkText("apiLevelPolicy", *p); err != nil {
			return nil, err
		}
		ext[ExtThrottlingTier] = *p
	}
	if c := api.CORSConfiguration; c != nil && c.CORSConfigurationEnabled {
		ext[ExtCORS] = &mgwCORS{
			AllowOrigins:     nonEmpty(c.AccessControlAllowOrigins),
			AllowHeaders:     nonEmpty(c.AccessControlAllowHeaders),
			AllowMethods:     nonEmpty(c.AccessControlAllowMethods),
			AllowCredentials: c.AccessControlAllowCredentials,
		}
	}
	return ext, nil
}

// nonEmpty returns a copy of s, or nil when s is empty.
func nonEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}
