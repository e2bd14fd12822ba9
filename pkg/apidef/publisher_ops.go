package apidef

import (
	"fmt"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// operationsFromPublisher adds the x-wso2-* operation extensions and turns
// x-scope into security requirements on the "default" OAuth2 scheme.
func operationsFromPublisher(doc *openapi3.T) error {
	scopes := map[string]bool{}
	for _, p := range doc.Paths.InMatchingOrder() {
		ops := doc.Paths.Value(p).Operations()
		methods := make([]string, 0, len(ops))
		for m := range ops {
			methods = append(methods, m)
		}
		sort.Strings(methods)
		for _, method := range methods {
			op := ops[method]
			loc := pointer("paths", p, strings.ToLower(method))
			if op.Extensions == nil {
				op.Extensions = map[string]any{}
			}
			tier, err := stringExt(op.Extensions, ExtAPIMThrottlingTier)
			if err != nil {
				return fmt.Errorf("%s: %w", loc, err)
			}
			if tier != "" {
				if err := checkText("throttling tier", tier); err != nil {
					return fmt.Errorf("%s: %w", loc, err)
				}
				op.Extensions[ExtThrottlingTier] = tier
			}
			authType, err := stringExt(op.Extensions, ExtAPIMAuthType)
			if err != nil {
				return fmt.Errorf("%s: %w", loc, err)
			}
			scope, err := stringExt(op.Extensions, ExtAPIMScope)
			if err != nil {
				return fmt.Errorf("%s: %w", loc, err)
			}
			switch {
			case scope != "":
				if err := checkScope(scope); err != nil {
					return fmt.Errorf("%s: %w", loc, err)
				}
				scopes[scope] = true
				op.Security = &openapi3.SecurityRequirements{{DefaultSecurityScheme: {scope}}}
			case authType == "None":
				op.Security = &openapi3.SecurityRequirements{}
			default:
				op.Security = nil
			}
			if authType == "None" {
				op.Extensions[ExtDisableSecurity] = true
			} else {
				delete(op.Extensions, ExtDisableSecurity)
			}
		}
	}
	doc.Security = nil
	if len(scopes) == 0 {
		return nil
	}
	return addDefaultScheme(doc, scopes)
}

// addDefaultScheme declares the OAuth2 scheme "default" listing scopes, with
// the descriptions the API Manager keeps in x-wso2-security.
func addDefaultScheme(doc *openapi3.T, scopes map[string]bool) error {
	desc := apimScopeDescriptions(doc.Extensions[ExtAPIMSecurity])
	if doc.Components == nil {
		doc.Components = &openapi3.Components{}
	}
	if doc.Components.SecuritySchemes == nil {
		doc.Components.SecuritySchemes = openapi3.SecuritySchemes{}
	}
	ref := doc.Components.SecuritySchemes[DefaultSecurityScheme]
	if ref == nil || ref.Value == nil {
		ref = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{Type: "oauth2"}}
		doc.Components.SecuritySchemes[DefaultSecurityScheme] = ref
	}
	s := ref.Value
	if s.Type != "oauth2" {
		return fmt.Errorf("apiDefinition declares a security scheme %q of type %q; mgw needs that name for the API Manager's scopes: rename the scheme", DefaultSecurityScheme, s.Type)
	}
	if s.Flows == nil {
		s.Flows = &openapi3.OAuthFlows{}
	}
	flow := s.Flows.Implicit
	if flow == nil {
		flow = &openapi3.OAuthFlow{AuthorizationURL: "https://test.com"}
		s.Flows.Implicit = flow
	}
	if flow.Scopes == nil {
		flow.Scopes = map[string]string{}
	}
	names := make([]string, 0, len(scopes))
	for name := range scopes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, ok := flow.Scopes[name]; !ok {
			flow.Scopes[name] = desc[name]
		}
	}
	return nil
}

// apimScopeDescriptions reads x-wso2-security: {apim: {x-wso2-scopes:
// [{key, name, description, roles}]}} as written by the API Manager 2.x.
// Anything else yields no descriptions.
func apimScopeDescriptions(v any) map[string]string {
	out := map[string]string{}
	var sec struct {
		APIM struct {
			Scopes []struct {
				Key         string `json:"key"`
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"x-wso2-scopes"`
		} `json:"apim"`
	}
	if v == nil || decodeLoose(v, &sec) != nil {
		return out
	}
	for _, s := range sec.APIM.Scopes {
		d := s.Description
		if d == "" {
			d = s.Name
		}
		out[s.Key] = d
	}
	return out
}
