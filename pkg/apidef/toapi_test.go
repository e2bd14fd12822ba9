package apidef

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

// base is a minimal definition ToAPI accepts; cases edit it.
const base = `openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
x-wso2-basePath: /pets/{version}
x-wso2-production-endpoints: {urls: ['https://pets.example.com/api']}
paths:
  /pets:
    get:
      responses: {'200': {description: ok}}
`

func edit(pairs ...string) string {
	s := base
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			panic("edit: " + pairs[i] + " not in base")
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

const getOp = "    get:\n      responses: {'200': {description: ok}}\n"

func TestToAPIBase(t *testing.T) {
	api, problems := ToAPI("pets.yaml", mustDecode(t, base))
	if len(problems) > 0 {
		t.Fatal(Problems(problems))
	}
	want := gateway.API{
		Name: "Pets", Version: "1.0.0", Context: "/pets", BasePath: "/pets/1.0.0",
		Production: &gateway.Endpoint{Type: gateway.EndpointHTTP, URLs: []string{"https://pets.example.com/api"}},
		Resources:  []gateway.Resource{{Path: "/pets", Method: "GET"}},
	}
	if !reflect.DeepEqual(api, want) {
		t.Errorf("got %s", jsonString(api))
	}
}

// optional: true makes credentials optional (MGW 3.x's field).
func TestToAPIOptionalSecurity(t *testing.T) {
	for doc, want := range map[string]bool{
		edit("paths:", "x-wso2-application-security: {security-types: [oauth2, api_key], optional: true}\npaths:"):  true,
		edit("paths:", "x-wso2-application-security: {security-types: [oauth2, api_key], optional: false}\npaths:"): false,
		base: false,
	} {
		api, problems := ToAPI("pets.yaml", mustDecode(t, doc))
		if len(problems) > 0 {
			t.Fatal(Problems(problems))
		}
		if api.OptionalSecurity != want {
			t.Errorf("OptionalSecurity = %v, want %v for\n%s", api.OptionalSecurity, want, doc)
		}
	}
}

// ToAPI reports what is wrong, where, and what to do.
func TestToAPIProblems(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		want []string // "location: message part", one per expected problem
	}{
		{"missing basePath", edit("x-wso2-basePath: /pets/{version}\n", ""),
			[]string{"#: x-wso2-basePath is missing"}},
		{"basePath not a string", edit("/pets/{version}", "[a]"),
			[]string{"#/x-wso2-basePath: x-wso2-basePath must be a string"}},
		{"basePath relative", edit("/pets/{version}", "pets"),
			[]string{"#/x-wso2-basePath: x-wso2-basePath \"pets\" must start with /"}},
		{"basePath with newline", edit("/pets/{version}", `"/pets\nv1"`),
			[]string{"#/x-wso2-basePath: x-wso2-basePath \"/pets\\nv1\" contains a newline"}},
		{"basePath with query", edit("/pets/{version}", "/pets?x=1"),
			[]string{"contains ? or #"}},
		{"basePath with dot segments", edit("/pets/{version}", "/pets/../admin"),
			[]string{"contains .."}},
		{"no backend at all", edit("x-wso2-production-endpoints: {urls: ['https://pets.example.com/api']}\n", "",
			"      responses: {'200': {description: ok}}\n", "      responses: {'200': {description: ok}}\n  /cats:\n"+getOp),
			[]string{"#: no backend for any operation"}},
		{"one resource without backend", edit("x-wso2-production-endpoints: {urls: ['https://pets.example.com/api']}\n", "",
			"      responses: {'200': {description: ok}}\n", "      responses: {'200': {description: ok}}\n      x-wso2-sandbox-endpoints: {urls: ['https://sandbox.example.com']}\n  /cats:\n"+getOp),
			[]string{"#/paths/~1cats/get: no backend for this operation"}},
		{"relative URL", edit("https://pets.example.com/api", "/api"),
			[]string{"#/x-wso2-production-endpoints/urls/0: endpoint URL \"/api\" is not an absolute http(s) URL"}},
		{"ftp URL", edit("https://pets.example.com/api", "ftp://pets.example.com/api"),
			[]string{"is not an absolute http(s) URL"}},
		{"URL without host", edit("https://pets.example.com/api", "https:///api"),
			[]string{"has no host"}},
		{"URL with control character", edit("'https://pets.example.com/api'", `"https://pets.example.com/a\u0007pi"`),
			[]string{"the control character U+0007"}},
		{"URL with credentials", edit("https://pets.example.com/api", "https://bob:hunter2@pets.example.com/api"),
			[]string{"contains user information; remove it and use securityConfig"}},
		{"no urls", edit("{urls: ['https://pets.example.com/api']}", "{type: failover}"),
			[]string{"#/x-wso2-production-endpoints: the endpoint has no urls"}},
		{"typo in endpoint", edit("{urls: ['https://pets.example.com/api']}", "{url: ['https://pets.example.com/api']}"),
			[]string{`invalid endpoint: unknown field "url"`}},
		{"bad endpoint type", edit("{urls: ['https://pets.example.com/api']}", "{urls: ['https://a.example.com'], type: round_robin}"),
			[]string{"#/x-wso2-production-endpoints/type: endpoint type \"round_robin\" is not supported"}},
		{"password in definition", edit("{urls: ['https://pets.example.com/api']}", "{urls: ['https://a.example.com'], securityConfig: {type: basic, username: bob, password: hunter2}}"),
			[]string{"#/x-wso2-production-endpoints/securityConfig/password: a backend password must not be written in the API definition"}},
		{"digest backend security", edit("{urls: ['https://pets.example.com/api']}", "{urls: ['https://a.example.com'], securityConfig: {type: digest, username: bob}}"),
			[]string{"backend security type \"digest\" is not supported by mgw"}},
		{"bad timeout", edit("{urls: ['https://pets.example.com/api']}", "{urls: ['https://a.example.com'], advanceEndpointConfig: {timeoutInMillis: -5}}"),
			[]string{"timeoutInMillis must be a positive number"}},
		{"proxy", edit("{urls: ['https://pets.example.com/api']}", "{urls: ['https://a.example.com'], proxyConfig: {host: p}}"),
			[]string{"proxyConfig (a proxy between gateway and backend) is not supported by mgw"}},
		{"unknown endpoint reference", edit("{urls: ['https://pets.example.com/api']}", "'#/x-wso2-endpoints/nope'"),
			[]string{`x-wso2-endpoints has no endpoint named "nope"`}},
		{"malformed endpoint reference", edit("{urls: ['https://pets.example.com/api']}", "'#/components/nope'"),
			[]string{`endpoint reference "#/components/nope" must look like #/x-wso2-endpoints/<name>`}},
		{"endpoint defined twice", edit("paths:", "x-wso2-endpoints:\n  - a: {urls: ['https://a.example.com']}\n  - a: {urls: ['https://b.example.com']}\npaths:"),
			[]string{`#/x-wso2-endpoints/1/a: endpoint "a" is defined twice`}},
		{"response cache", edit("paths:", "x-wso2-response-cache: {enabled: true, cacheTimeoutInSeconds: 300}\npaths:"),
			[]string{"#/x-wso2-response-cache: x-wso2-response-cache is not supported by mgw"}},
		{"mutual ssl", edit("paths:", "x-wso2-mutual-ssl: mandatory\npaths:"),
			[]string{"#/x-wso2-mutual-ssl: x-wso2-mutual-ssl is not supported by mgw"}},
		{"Java interceptor", edit("paths:", "x-wso2-request-interceptor: java:org.example.Check\npaths:"),
			[]string{`#/x-wso2-request-interceptor: "org.example.Check" is a Java interceptor, which only the MGW 3.x runtime can run; write it as a Go function`}},
		{"interceptor name that is code", edit("      responses:", "      x-wso2-response-interceptor: 'f(); os.Exit(1)'\n      responses:"),
			[]string{`#/paths/~1pets/get/x-wso2-response-interceptor: "f(); os.Exit(1)" is not the name of a Go function`}},
		{"interceptor name that is a keyword", edit("paths:", "x-wso2-response-interceptor: func\npaths:"),
			[]string{`"func" is not the name of a Go function`}},
		{"interceptor name that is not a string", edit("paths:", "x-wso2-request-interceptor: [a]\npaths:"),
			[]string{`#/x-wso2-request-interceptor`}},
		{"unknown extension", edit("paths:", "x-wso2-basepath: /typo\npaths:"),
			[]string{"#/x-wso2-basepath: extension x-wso2-basepath is not supported by mgw at the API level; remove it or check its spelling"}},
		{"API-level extension on an operation", edit("      responses:", "      x-wso2-cors: {}\n      responses:"),
			[]string{"#/paths/~1pets/get/x-wso2-cors: extension x-wso2-cors is not supported by mgw on an operation"}},
		{"extension on a path item", edit("    get:", "    x-wso2-throttling-tier: Gold\n    get:"),
			[]string{"#/paths/~1pets/x-wso2-throttling-tier: extension x-wso2-throttling-tier is not supported by mgw on a path; put it on the operations"}},
		{"optional not a boolean", edit("paths:", "x-wso2-application-security: {security-types: [oauth2], optional: 'yes'}\npaths:"),
			[]string{"#/x-wso2-application-security: x-wso2-application-security:"}},
		{"unknown security type", edit("paths:", "x-wso2-application-security: {security-types: [oauth2, jwt]}\npaths:"),
			[]string{`security type "jwt" is not supported; use oauth2, basic_auth or api_key`}},
		{"bad transport", edit("paths:", "x-wso2-transports: [http, ws]\npaths:"),
			[]string{`#/x-wso2-transports: transport "ws" is not supported; use http and/or https`}},
		{"wrong type of disable-security", edit("      responses:", "      x-wso2-disable-security: 'yes'\n      responses:"),
			[]string{"#/paths/~1pets/get/x-wso2-disable-security: x-wso2-disable-security must be true or false, found a string"}},
		{"bad auth header", edit("paths:", "x-wso2-auth-header: 'X Auth'\npaths:"),
			[]string{`#/x-wso2-auth-header: header name "X Auth" is not a valid HTTP header name`}},
		{"bad CORS field", edit("paths:", "x-wso2-cors: {access-control-allow-origin: ['*']}\npaths:"),
			[]string{`#/x-wso2-cors: x-wso2-cors: unknown field "access-control-allow-origin"`}},
		{"colliding paths", edit("  /pets:\n", "  /pets/{id}:\n"+getOp+"  /pets/{petId}:\n"),
			[]string{`#/paths/~1pets~1{petId}: path "/pets/{petId}" matches the same requests as "/pets/{id}"`}},
		{"unbalanced open brace", edit("  /pets:", "  /pets/{id:"),
			[]string{`path "/pets/{id" has a { that is not closed`}},
		{"unbalanced close brace", edit("  /pets:", "  /pets/id}:"),
			[]string{`path "/pets/id}" has a } without a matching {`}},
		{"empty parameter", edit("  /pets:", "  /pets/{}:"),
			[]string{"has an empty parameter {}"}},
		{"repeated parameter", edit("  /pets:", "  /pets/{id}/{id}:"),
			[]string{"uses the parameter {id} twice"}},
		{"path with newline", edit("  /pets:", `  "/pets\nx":`),
			[]string{`path "/pets\nx" contains a newline`}},
		{"path with space", edit("  /pets:", `  "/my pets":`),
			[]string{`path "/my pets" contains white space (U+0020)`}},
		{"path not starting with slash", edit("  /pets:", "  pets:"),
			[]string{`path "pets" must start with /`}},
		{"path without operations", edit(getOp, ""),
			[]string{`path "/pets" has no operations`}},
		{"name with control character", edit("title: Pets", `title: "Pe\u0000ts"`),
			[]string{`#/info/title: API name "Pe\x00ts" contains the control character U+0000`}},
		{"empty version", edit("version: 1.0.0", "version: ''"),
			[]string{"#/info/version: the API version is empty"}},
		{"version with slash", edit("version: 1.0.0", "version: 1/0"),
			[]string{`API version "1/0" contains one of / ? # { }`}},
		{"scope with space", edit("      responses:", "      x-scope: 'read pets'\n      responses:"),
			[]string{`scope "read pets" contains white space`}},
		{"tier with tab", edit("      responses:", "      x-wso2-throttling-tier: \"Gold\\t\"\n      responses:"),
			[]string{`throttling tier "Gold\t" contains a tab`}},
		// All problems are reported, not just the first.
		{"many at once", edit("x-wso2-basePath: /pets/{version}\n", "x-wso2-mutual-ssl: mandatory\n",
			"https://pets.example.com/api", "/relative",
			"  /pets:", "  /pets/{id:"),
			[]string{"x-wso2-basePath is missing", "x-wso2-mutual-ssl is not supported", "is not an absolute http(s) URL", "is not closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, problems := ToAPI("pets.yaml", mustDecode(t, tt.doc))
			all := Problems(problems).Error()
			if len(problems) != len(tt.want) {
				t.Errorf("got %d problems, want %d:\n%s", len(problems), len(tt.want), all)
			}
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("problems lack %q:\n%s", w, all)
				}
			}
			for _, p := range problems {
				if p.Path != "pets.yaml" || !strings.HasPrefix(p.Location, "#") {
					t.Errorf("problem without path or location: %+v", p)
				}
			}
			if strings.Contains(all, "hunter2") {
				t.Errorf("a password reached a message:\n%s", all)
			}
		})
	}
}

func TestToAPINil(t *testing.T) {
	if _, problems := ToAPI("x.yaml", nil); len(problems) != 1 {
		t.Errorf("problems = %v", problems)
	}
}

// Resource-level settings override the API's; named endpoints are copied,
// never shared.
func TestToAPIOverrides(t *testing.T) {
	doc := mustDecode(t, `openapi: 3.0.3
info: {title: Pets, version: '2'}
x-wso2-basePath: /pets/2
x-wso2-context: /pets
x-wso2-default-version: true
x-wso2-owner: alice
x-wso2-disable-security: true
x-throttling-tier: Bronze
x-wso2-application-security: {security-types: [oauth2, api_key]}
x-wso2-production-endpoints: '#/x-wso2-endpoints/main'
x-wso2-endpoints:
  - main: {urls: ['https://a.example.com', 'https://b.example.com'], advanceEndpointConfig: {timeoutInMillis: 1500}}
security: [{oauth: [read]}]
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://idp.example.com/token', scopes: {read: r, write: w}}}}
    basic: {type: http, scheme: basic}
paths:
  /pets:
    get:
      responses: {'200': {description: ok}}
    post:
      x-wso2-disable-security: false
      x-wso2-throttling-tier: Gold
      x-throttling-tier: Silver
      x-scope: admin
      security: [{oauth: [write]}, {basic: [ignored]}]
      x-wso2-production-endpoints: '#/x-wso2-endpoints/main'
      responses: {'200': {description: ok}}
`)
	api, problems := ToAPI("pets.yaml", doc)
	if len(problems) > 0 {
		t.Fatal(Problems(problems))
	}
	main := &gateway.Endpoint{Type: gateway.EndpointLoadBalance, URLs: []string{"https://a.example.com", "https://b.example.com"}, TimeoutMillis: 1500}
	want := gateway.API{
		Name: "Pets", Version: "2", Context: "/pets", BasePath: "/pets/2", IsDefaultVersion: true,
		Provider: "alice", ThrottlingTier: "Bronze", SecurityTypes: []string{"oauth2", "api_key"},
		Production: main,
		Resources: []gateway.Resource{
			{Path: "/pets", Method: "GET", DisableSecurity: true, Scopes: []string{"read"}},
			{Path: "/pets", Method: "POST", ThrottlingTier: "Gold", Scopes: []string{"admin", "write"}, Production: main},
		},
	}
	if !reflect.DeepEqual(api, want) {
		t.Errorf("got %s\nwant %s", jsonString(api), jsonString(want))
	}
	if api.Production == api.Resources[1].Production || &api.Production.URLs[0] == &api.Resources[1].Production.URLs[0] {
		t.Error("a named endpoint is shared between the API and a resource")
	}
}
