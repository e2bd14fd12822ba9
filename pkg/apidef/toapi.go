package apidef

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// ToAPI derives the runtime model of one API from its workspace document.
// It collects every problem rather than stopping at the first; the API is
// usable only when there are none. Problems carry path and a JSON pointer.
//
// Resources are sorted by path then method. Scopes come from the
// operation's security requirements (the document's when the operation has
// none) and x-scope; throttling tiers from x-wso2-throttling-tier or
// x-throttling-tier; endpoints from the operation, else the API (references
// "#/x-wso2-endpoints/<name>" are resolved). Strings are kept exactly as
// written; only control characters and what cannot work (relative backend
// URLs, unbalanced path templates, …) are refused. Features mgw does not
// implement are named in a problem.
func ToAPI(path string, doc *openapi3.T) (gateway.API, []Problem) {
	c := &converter{path: path, doc: doc, declared: map[string]bool{}}
	if doc == nil {
		c.add("#", "no document")
		return gateway.API{}, c.problems
	}
	api := c.api()
	return api, c.problems
}

// converter accumulates problems while building a gateway.API.
type converter struct {
	path     string
	doc      *openapi3.T
	problems []Problem
	// named are the x-wso2-endpoints entries; a nil value marks one that
	// has problems of its own.
	named map[string]*gateway.Endpoint
	// declared holds the locations (API "#" or operations) that declare a
	// backend, even an invalid one: those get no "no backend" problem on
	// top of the problem with their endpoint.
	declared map[string]bool
	// schemas collects the API's compiled schemas, apiValidation is the
	// API's x-wso2-request-validation once read (toapi_validation.go).
	schemas       *schemaCompiler
	apiValidation *bool
}

func (c *converter) add(loc, format string, args ...any) {
	c.problems = append(c.problems, Problem{Path: c.path, Location: loc, Message: fmt.Sprintf(format, args...)})
}

func (c *converter) addErr(loc string, err error) {
	if err != nil {
		c.add(loc, "%s", err.Error())
	}
}

func (c *converter) api() gateway.API {
	var api gateway.API
	ext := c.doc.Extensions
	c.checkExtensions("#", ext, apiExtensions, "at the API level")

	if c.doc.Info == nil {
		c.add("#/info", "info is missing; add info.title (the API name) and info.version")
	} else {
		api.Name, api.Version = c.doc.Info.Title, c.doc.Info.Version
		c.addErr("#/info/title", checkName(api.Name))
		c.addErr("#/info/version", checkVersion(api.Version))
	}
	api.BasePath, api.Context = c.basePath(ext, c.doc.Servers, api.Version)
	api.IsDefaultVersion = c.boolean("#", ext, ExtDefaultVersion)
	api.Provider = c.text("#", ext, ExtOwner, "owner")
	if h := c.str("#", ext, ExtAuthHeader); h != "" {
		c.addErr(pointer(ExtAuthHeader), checkHeaderName(h))
		api.AuthHeader = h
	}
	api.Transports = c.transports(ext)
	api.ThrottlingTier = c.tier("#", ext)
	api.SubscriptionTiers = c.subscriptionTiers(ext)
	api.SecurityTypes, api.OptionalSecurity = c.appSecurity(ext)
	api.CORS = c.cors(ext)
	api.RequestInterceptor, api.ResponseInterceptor = c.interceptors("#", ext)

	c.named = c.namedEndpoints(ext[ExtEndpoints])
	c.declareBackend("#", ext, c.doc.Servers)
	api.Production = c.production("#", ext, c.doc.Servers)
	api.Sandbox = c.endpointExt("#", ext, ExtSandboxEndpoints)
	apiDisable := c.boolean("#", ext, ExtDisableSecurity)

	api.Resources = c.resources(apiDisable)
	if c.schemas != nil {
		api.Schemas = c.schemas.schemas
	}
	api.DisableSecurity = apiDisable
	var orphans []string
	for i := range api.Resources {
		r := &api.Resources[i]
		if !r.DisableSecurity {
			api.DisableSecurity = false
		}
		loc := pointer("paths", r.Path, strings.ToLower(r.Method))
		if !c.declared["#"] && !c.declared[loc] {
			orphans = append(orphans, loc)
		}
	}
	c.noBackend(orphans, len(api.Resources))
	return api
}

// declareBackend records that loc names a backend.
func (c *converter) declareBackend(loc string, ext map[string]any, servers openapi3.Servers) {
	_, prod := ext[ExtProductionEndpoints]
	_, sand := ext[ExtSandboxEndpoints]
	if prod || sand || len(servers) > 0 {
		c.declared[loc] = true
	}
}

// noBackend reports the operations that have no endpoint: once for the
// API when none has any, else once per operation.
func (c *converter) noBackend(orphans []string, total int) {
	const fix = "add %s (e.g. %s: {urls: [https://backend/api]}) or %s, or an absolute servers URL"
	if len(orphans) == 0 {
		return
	}
	if len(orphans) == total && total > 1 {
		c.add("#", "no backend for any operation: "+fix+" at the top level", ExtProductionEndpoints, ExtProductionEndpoints, ExtSandboxEndpoints)
		return
	}
	for _, loc := range orphans {
		c.add(loc, "no backend for this operation: "+fix+" to the operation or the API", ExtProductionEndpoints, ExtProductionEndpoints, ExtSandboxEndpoints)
	}
}

// checkExtensions reports x-wso2-* extensions mgw does not support or
// does not know.
func (c *converter) checkExtensions(loc string, ext map[string]any, known map[string]bool, where string) {
	for _, k := range sortedKeys(ext) {
		if !strings.HasPrefix(k, "x-wso2-") {
			continue
		}
		at := strings.TrimSuffix(loc, "/") + "/" + escapeToken(k)
		if what, ok := unsupportedFeatures[k]; ok {
			c.add(at, "%s", unsupportedMessage(k, what))
			continue
		}
		if !known[k] {
			names := make([]string, 0, len(known))
			for n := range known {
				names = append(names, n)
			}
			sort.Strings(names)
			c.add(at, "extension %s is not supported by mgw %s; remove it or check its spelling (supported here: %s)", k, where, strings.Join(names, ", "))
		}
	}
}
