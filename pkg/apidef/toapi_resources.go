package apidef

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// resources builds the API's resources, sorted by path then method.
// apiDisable is the API-level x-wso2-disable-security, which an operation
// may override either way.
func (c *converter) resources(apiDisable bool) []gateway.Resource {
	if c.doc.Paths == nil || c.doc.Paths.Len() == 0 {
		c.add("#/paths", "the API has no paths; add at least one path with an operation")
		return nil
	}
	paths := c.doc.Paths.Map()
	keys := make([]string, 0, len(paths))
	for p := range paths {
		keys = append(keys, p)
	}
	sort.Strings(keys)

	var out []gateway.Resource
	shapes := map[string]string{} // normalized template → first path
	for _, p := range keys {
		loc := pointer("paths", p)
		shape, err := pathShape(p)
		if err != nil {
			c.addErr(loc, err)
		} else if first, dup := shapes[shape]; dup {
			c.add(loc, "path %q matches the same requests as %q (only parameter names differ); merge them into one path", p, first)
		} else {
			shapes[shape] = p
		}
		item := paths[p]
		if item == nil {
			continue
		}
		c.checkExtensions(loc, item.Extensions, nil, "on a path; put it on the operations")
		ops := item.Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		if len(methods) == 0 {
			c.add(loc, "path %q has no operations; add one (e.g. get) or remove the path", p)
		}
		for _, m := range methods {
			if r, ok := c.resource(p, m, ops[m], apiDisable); ok {
				out = append(out, r)
			}
		}
	}
	return out
}

// resource builds one operation.
func (c *converter) resource(p, method string, op *openapi3.Operation, apiDisable bool) (gateway.Resource, bool) {
	loc := pointer("paths", p, strings.ToLower(method))
	if err := checkHeaderName(method); err != nil {
		c.add(loc, "method %q is not a valid HTTP method", method)
		return gateway.Resource{}, false
	}
	r := gateway.Resource{Path: p, Method: strings.ToUpper(method), OperationID: op.OperationID}
	c.addErr(loc+"/operationId", checkText("operationId", op.OperationID))
	ext := op.Extensions
	c.checkExtensions(loc, ext, operationExtensions, "on an operation")
	r.AuthType = c.text(loc, ext, ExtAPIMAuthType, "x-auth-type")
	r.DisableSecurity = apiDisable
	if b, set, err := boolExt(ext, ExtDisableSecurity); err != nil {
		c.addErr(loc+"/"+ExtDisableSecurity, err)
	} else if set {
		r.DisableSecurity = b
	}
	r.Scopes = c.scopes(loc, op)
	r.ThrottlingTier = c.tier(loc, ext)
	r.RequestInterceptor, r.ResponseInterceptor = c.interceptors(loc, ext)
	var servers openapi3.Servers
	if op.Servers != nil {
		servers = *op.Servers
	}
	c.declareBackend(loc, ext, servers)
	r.Production = c.production(loc, ext, servers)
	r.Sandbox = c.endpointExt(loc, ext, ExtSandboxEndpoints)
	r.Validation = c.validation(loc, p, op)
	return r, true
}

// scopes collects, sorted and without duplicates, the scopes that the
// operation's security requirements (the document's when the operation
// sets none) ask of OAuth2 or OpenID Connect schemes, and its x-scope. As in
// MGW 3.x, requirements naming other or undeclared schemes give no scopes.
func (c *converter) scopes(loc string, op *openapi3.Operation) []string {
	reqs := c.doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	set := map[string]bool{}
	for _, req := range reqs {
		for scheme, list := range req {
			if !c.oauthScheme(scheme) {
				continue
			}
			for _, s := range list {
				set[s] = true
			}
		}
	}
	if s := c.str(loc, op.Extensions, ExtAPIMScope); s != "" {
		set[s] = true
	}
	if len(set) == 0 {
		return nil
	}
	out := make([]string, 0, len(set))
	for s := range set {
		if err := checkScope(s); err != nil {
			c.addErr(loc, err)
			continue
		}
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// pathShape checks a path template and returns it with parameter names
// removed ("/pets/{id}" → "/pets/{}"), so that templates matching the same
// requests compare equal.
func pathShape(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		return "", fmt.Errorf("path %q must start with /", p)
	}
	if bad := badRune(p, false); bad != "" {
		return "", fmt.Errorf("path %q contains %s; percent-encode it or remove it", p, bad)
	}
	if strings.ContainsAny(p, "?#") {
		return "", fmt.Errorf("path %q contains ? or #; declare query strings as parameters instead", p)
	}
	var shape strings.Builder
	params := map[string]bool{}
	for rest := p; rest != ""; {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			shape.WriteString(rest)
			break
		}
		if rest[open] == '}' {
			return "", fmt.Errorf("path %q has a } without a matching {; path parameters are written {name}", p)
		}
		shape.WriteString(rest[:open])
		end := strings.IndexAny(rest[open+1:], "{}/")
		if end < 0 || rest[open+1+end] != '}' {
			return "", fmt.Errorf("path %q has a { that is not closed by } in the same segment; path parameters are written {name}", p)
		}
		name := rest[open+1 : open+1+end]
		if name == "" {
			return "", fmt.Errorf("path %q has an empty parameter {}; name it, e.g. {id}", p)
		}
		if params[name] {
			return "", fmt.Errorf("path %q uses the parameter {%s} twice; give each parameter its own name", p, name)
		}
		params[name] = true
		shape.WriteString("{}")
		rest = rest[open+1+end+1:]
	}
	return shape.String(), nil
}

// oauthScheme reports whether name is a declared oauth2 or openIdConnect
// security scheme.
func (c *converter) oauthScheme(name string) bool {
	if c.doc.Components == nil {
		return false
	}
	ref := c.doc.Components.SecuritySchemes[name]
	if ref == nil || ref.Value == nil {
		return false
	}
	return ref.Value.Type == "oauth2" || ref.Value.Type == "openIdConnect"
}
