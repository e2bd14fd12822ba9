package apidef

import (
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

// FromPublisher names the API and says what is wrong; it never prints the
// backend password.
func TestFromPublisherErrors(t *testing.T) {
	const secret = "p4ss-w0rd-never-shown"
	tests := []struct {
		name   string
		change func(*apim.API)
		want   string
	}{
		{"empty name", func(a *apim.API) { a.Name = " " }, "the API name is empty"},
		{"name with newline", func(a *apim.API) { a.Name = "Shop\nEvil" }, `API name "Shop\nEvil" contains a newline`},
		{"empty version", func(a *apim.API) { a.Version = "" }, "the API version is empty"},
		{"version with slash", func(a *apim.API) { a.Version = "1/2" }, "contains one of / ? # { }"},
		{"version with space", func(a *apim.API) { a.Version = "1 2" }, "contains white space"},
		{"version dot-dot", func(a *apim.API) { a.Version = ".." }, `API version ".." is not allowed`},
		{"WebSocket API", func(a *apim.API) { a.Type = "WS" }, `API type "WS" is not supported by mgw`},
		{"SOAP to REST API", func(a *apim.API) { a.Type = "SOAPTOREST" }, `API type "SOAPTOREST" is not supported by mgw`},
		{"context without slash", func(a *apim.API) { a.Context = "shop" }, `context "shop" must start with /`},
		{"context with space", func(a *apim.API) { a.Context = "/sh op" }, "contains white space"},
		{"context with dot-dot", func(a *apim.API) { a.Context = "/shop/../admin" }, "contains .."},
		{"context with query", func(a *apim.API) { a.Context = "/shop?x" }, "contains ? or #"},
		{"context with other braces", func(a *apim.API) { a.Context = "/{tenant}/shop" }, "only the {version} placeholder is allowed"},
		{"context with empty segment", func(a *apim.API) { a.Context = "/a//b" }, "empty segment"},
		{"no apiDefinition", func(a *apim.API) { a.APIDefinition = "" }, "apiDefinition is empty"},
		{"apiDefinition not JSON", func(a *apim.API) { a.APIDefinition = "{not json" }, "apiDefinition:1: invalid JSON"},
		{"apiDefinition not an API", func(a *apim.API) { a.APIDefinition = `{"hello": "world"}` }, "not an API definition"},
		{"apiDefinition without paths", func(a *apim.API) {
			a.APIDefinition = `{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}}`
		}, "apiDefinition has no paths"},
		{"apiDefinition with external ref", func(a *apim.API) {
			a.APIDefinition = strings.Replace(a.APIDefinition, `"#/definitions/Item"`, `"http://169.254.169.254/latest"`, 1)
		}, "points outside this file"},
		{"empty endpointConfig", func(a *apim.API) { a.EndpointConfig = "" }, "endpointConfig is empty"},
		{"endpointConfig not JSON", func(a *apim.API) { a.EndpointConfig = "[" }, "endpointConfig is not a JSON object"},
		{"endpointConfig wrong shape", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "http", "production_endpoints": "https://x"}`
		}, "endpointConfig production_endpoints: expected a {\"url\": …} object"},
		{"no endpoint type", func(a *apim.API) { a.EndpointConfig = `{"production_endpoints": {"url": "https://x.example.com"}}` }, "no endpoint_type"},
		{"SOAP endpoint", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "address", "production_endpoints": {"url": "https://x.example.com/soap"}}`
		}, `endpoint type "address" (SOAP) is not supported by mgw`},
		{"dynamic endpoint", func(a *apim.API) { a.EndpointConfig = `{"endpoint_type": "default"}` }, `endpoint type "default" (dynamic endpoint`},
		{"unknown endpoint type", func(a *apim.API) { a.EndpointConfig = `{"endpoint_type": "awslambda"}` }, `endpoint type "awslambda" is not supported by mgw`},
		{"no URL", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "http", "production_endpoints": {"url": ""}}`
		}, "no production or sandbox URL"},
		{"two URLs for http", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "http", "production_endpoints": [{"url": "https://a.example.com"}, {"url": "https://b.example.com"}]}`
		}, "endpoint type http has 2 URLs"},
		{"relative URL", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "http", "sandbox_endpoints": {"url": "/api"}}`
		}, `sandbox endpoint: endpoint URL "/api" is not an absolute http(s) URL`},
		{"URL with credentials", func(a *apim.API) {
			a.EndpointConfig = `{"endpoint_type": "http", "production_endpoints": {"url": "https://u:` + secret + `@x.example.com"}}`
		}, "contains user information"},
		{"digest endpoint security", func(a *apim.API) {
			a.EndpointSecurity = &apim.EndpointSecurity{Type: "digest", Username: "u", Password: secret}
		}, `endpoint security type "digest" is not supported by mgw; use basic`},
		{"basic without username", func(a *apim.API) {
			a.EndpointSecurity = &apim.EndpointSecurity{Type: "basic", Password: secret}
		}, "basic but has no username"},
		{"bad transport", func(a *apim.API) { a.Transport = []string{"http", "jms"} }, `transport "jms" is not supported`},
		{"bad authorization header", func(a *apim.API) { a.AuthorizationHeader = "Auth:X" }, `header name "Auth:X" is not a valid HTTP header name`},
		{"policy with newline", func(a *apim.API) { p := "Gold\n"; a.APILevelPolicy = &p }, `apiLevelPolicy "Gold\n" contains a newline`},
		{"scope with space", func(a *apim.API) {
			a.APIDefinition = strings.Replace(a.APIDefinition, `"x-scope":"items:write"`, `"x-scope":"items write"`, 1)
		}, `#/paths/~1items/post: scope "items write" contains white space`},
		{"x-scope not a string", func(a *apim.API) {
			a.APIDefinition = strings.Replace(a.APIDefinition, `"x-scope":"items:write"`, `"x-scope":["items:write"]`, 1)
		}, "x-scope must be a string, found a list"},
		{"bad path template", func(a *apim.API) {
			a.APIDefinition = strings.Replace(a.APIDefinition, `"/items/{id}"`, `"/items/{id"`, 1)
		}, `apiDefinition: #/paths/~1items~1{id: path "/items/{id" has a { that is not closed`},
		{"default scheme taken", func(a *apim.API) {
			a.APIDefinition = strings.Replace(a.APIDefinition, `"shop_auth":{"type":"oauth2"`, `"default":{"type":"basic"},"shop_auth":{"type":"oauth2"`, 1)
		}, `declares a security scheme "default" of type "http"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dto := readDTO(t, "endpoint_security")
			dto.EndpointSecurity.Password = secret
			tt.change(&dto)
			_, err := FromPublisher(dto)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "API "+quoteID(dto.Name, dto.Version)+": ") {
				t.Errorf("the error does not name the API: %v", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q lacks %q", msg, tt.want)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("the password is in the error: %v", msg)
			}
		})
	}
}

// Contexts may carry the version; the base path then does not repeat it.
func TestSplitContext(t *testing.T) {
	tests := []struct{ context, version, base, ctx string }{
		{"/shop", "1.0.0", "/shop/1.0.0", "/shop"},
		{"/shop/", "1.0.0", "/shop/1.0.0", "/shop"},
		{"/shop/1.0.0", "1.0.0", "/shop/1.0.0", "/shop"},
		{"/{version}/shop", "2", "/2/shop", "/shop"},
		{"/shop/{version}", "2", "/shop/2", "/shop"},
		{"/t/acme.com/shop", "v1", "/t/acme.com/shop/v1", "/t/acme.com/shop"},
		{"/", "1", "/1", "/"},
		{"/1", "1", "/1", "/"},
	}
	for _, tt := range tests {
		base, ctx, err := splitContext(tt.context, tt.version)
		if err != nil || base != tt.base || ctx != tt.ctx {
			t.Errorf("splitContext(%q, %q) = %q, %q, %v; want %q, %q", tt.context, tt.version, base, ctx, err, tt.base, tt.ctx)
		}
	}
}

// The loosely shaped endpointConfig of the API Manager is read in all its
// forms.
func TestParseEndpointConfig(t *testing.T) {
	ec, err := parseEndpointConfig(`{"endpoint_type": "failover", "algoCombo": "rr",
		"production_endpoints": {"url": "https://p", "config": {"actionDuration": "30000"}},
		"production_failovers": [{"url": "https://f1"}, {"url": "https://f2"}],
		"sandbox_endpoints": [{"url": "https://s"}], "sandbox_failovers": null, "unknown": 1}`)
	if err != nil {
		t.Fatal(err)
	}
	urls := func(list []apim.EndpointURL) (out []string) {
		for _, u := range list {
			out = append(out, u.URL)
		}
		return out
	}
	if ec.EndpointType != "failover" || ec.Algorithm != "rr" ||
		strings.Join(urls(ec.ProductionEndpoints), ",") != "https://p" ||
		strings.Join(urls(ec.ProductionFailovers), ",") != "https://f1,https://f2" ||
		strings.Join(urls(ec.SandboxEndpoints), ",") != "https://s" || ec.SandboxFailovers != nil {
		t.Errorf("got %s", jsonString(ec))
	}
	tmpl, err := readFile("testdata/apim/mgw260-test-endpointConfig-template.json")
	if err != nil {
		t.Fatal(err)
	}
	if ec, err := parseEndpointConfig(tmpl); err != nil || ec.EndpointType != "http" || len(ec.ProductionEndpoints) != 1 {
		t.Errorf("template: %v %s", err, jsonString(ec))
	}
}
