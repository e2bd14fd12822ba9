package apidef

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

const petsYAML = `openapi: 3.0.3
info:
  title: Pets
  version: 1.0.0
x-wso2-basePath: /pets/v1
x-wso2-production-endpoints:
  urls: [https://pets.example.com/api]
paths:
  /pets/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
`

// Load reads YAML and JSON, OpenAPI 3.0/3.1 and Swagger 2 (converted).
func TestLoadFormats(t *testing.T) {
	tests := []struct {
		name, text string
	}{
		{"openapi 3.0 yaml", petsYAML},
		{"openapi 3.1 yaml", strings.Replace(petsYAML, "3.0.3", "3.1.0", 1)},
		{"openapi 3.0 json", `{"openapi": "3.0.0", "info": {"title": "Pets", "version": "1.0.0"},
			"x-wso2-basePath": "/pets/v1", "x-wso2-production-endpoints": {"urls": ["https://pets.example.com/api"]},
			"paths": {"/pets/{id}": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
			"responses": {"200": {"description": "ok"}}}}}}`},
		{"swagger 2 yaml, version as a number", `swagger: 2.0
info: {title: Pets, version: 1.0.0}
x-wso2-basePath: /pets/v1
x-wso2-production-endpoints: {urls: [https://pets.example.com/api]}
paths:
  /pets/{id}:
    get:
      parameters: [{name: id, in: path, required: true, type: string}]
      responses: {200: {description: ok}}
`},
		{"swagger 2 json with tabs", "{\n\t\"swagger\": \"2.0\",\n\t\"info\": {\"title\": \"Pets\", \"version\": \"1.0.0\"},\n\t\"x-wso2-basePath\": \"/pets/v1\",\n\t\"x-wso2-production-endpoints\": {\"urls\": [\"https://pets.example.com/api\"]},\n\t\"paths\": {\"/pets/{id}\": {\"get\": {\"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"required\": true, \"type\": \"string\"}], \"responses\": {\"200\": {\"description\": \"ok\"}}}}}\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Load("pets.yaml", []byte(tt.text))
			if err != nil {
				t.Fatal(err)
			}
			api, problems := ToAPI("pets.yaml", doc)
			if len(problems) > 0 {
				t.Fatal(Problems(problems))
			}
			if api.Name != "Pets" || api.BasePath != "/pets/v1" || len(api.Resources) != 1 ||
				api.Resources[0].Path != "/pets/{id}" || api.Resources[0].Method != "GET" ||
				api.Production == nil || api.Production.URLs[0] != "https://pets.example.com/api" {
				t.Errorf("unexpected API: %s", jsonString(api))
			}
		})
	}
}

// Errors say where: path:line for syntax, a JSON pointer (and the line when
// known) for the rest.
func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		location   string
		message    string
	}{
		{"yaml syntax", "openapi: 3.0.0\ninfo:\n  title: [x\n  version: 1\n", 4, "", "invalid YAML"},
		{"yaml duplicate key", "openapi: 3.0.0\ninfo: {}\ninfo: {}\n", 3, "", `key "info" is already defined at line 2`},
		{"json syntax", "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {,}\n}\n", 3, "", "invalid JSON"},
		{"json trailing data", "{\"openapi\": \"3.0.0\"}\n{}\n", 2, "", "exactly one document"},
		{"empty", "  \n", 0, "", "the file is empty"},
		{"two documents", petsYAML + "---\n" + petsYAML, 15, "", "more than one YAML document"},
		{"not a mapping", "- a\n- b\n", 1, "", "not a mapping"},
		{"no version field", "info: {title: x, version: '1'}\npaths: {}\n", 1, "#", "no openapi"},
		{"unknown openapi version", "openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n", 1, "#/openapi", `"4.0.0" is not supported`},
		{"unknown swagger version", "swagger: '1.2'\n", 1, "#/swagger", `"1.2" is not supported`},
		{"both versions", "openapi: 3.0.0\nswagger: '2.0'\n", 2, "#", "both openapi and swagger"},
		{"external ref", strings.Replace(petsYAML, "schema: {type: string}", "schema: {$ref: 'other.yaml#/Id'}", 1), 12,
			"#/paths/~1pets~1{id}/get/parameters/0/schema/$ref", "points outside this file"},
		{"file ref is never read", strings.Replace(petsYAML, "schema: {type: string}", "schema: {$ref: '/etc/passwd'}", 1), 12,
			"#/paths/~1pets~1{id}/get/parameters/0/schema/$ref", "points outside this file"},
		{"dangling non-schema ref", strings.Replace(petsYAML, "'200': {description: ok}", "'200': {$ref: '#/components/responses/Ok'}", 1), 14,
			"#/paths/~1pets~1{id}/get/responses/200/$ref", "points to nothing"},
		{"missing info version", strings.Replace(petsYAML, "  version: 1.0.0\n", "", 1), 2, "#/info", "version"},
		{"wrong type", strings.Replace(petsYAML, "      responses:", "      tags: 7\n      responses:", 1), 13,
			"#/paths/~1pets~1{id}/get/tags", "not a valid API definition: cannot unmarshal number into field Operation.tags"},
		{"unsupported feature named when the document does not load",
			"openapi: 3.0.0\ninfo: {title: x, version: '1'}\nx-wso2-mutual-ssl: mandatory\npaths:\n  /a:\n    get:\n      security: [oops]\n      responses: {'200': {description: ok}}\n",
			3, "#/x-wso2-mutual-ssl", "not supported by mgw"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("api.yaml", []byte(tt.text))
			if err == nil {
				t.Fatal("no error")
			}
			var ps Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error is not Problems: %T %v", err, err)
			}
			p := ps[0]
			if p.Path != "api.yaml" || p.Line != tt.line || p.Location != tt.location || !strings.Contains(p.Message, tt.message) {
				t.Errorf("got %+v\nwant line %d, location %q, message containing %q", p, tt.line, tt.location, tt.message)
			}
			if !strings.HasPrefix(err.Error(), "api.yaml") {
				t.Errorf("error does not start with the path: %v", err)
			}
		})
	}
}

// What real MGW 3.x definitions contain but the gateway does not use is a
// warning, not an error.
func TestLoadTolerates(t *testing.T) {
	text := `openapi: 3.0.0
info: {title: Pets, version: 1.0.0}
x-wso2-basePath: /pets
x-wso2-production-endpoints: {urls: ['https://pets.example.com']}
security: [{undeclared: []}]
paths:
  /a:
    get:
      operationId: same
      parameters: [{name: q, in: query}]
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/Missing'}}}
  /b:
    get:
      operationId: same
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    implicitNoScopes: {type: oauth2, flows: {implicit: {authorizationUrl: 'https://idp.example.com/authorize'}}}
`
	doc, warnings, err := LoadWithWarnings("pets.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line    int
		message string
	}{
		{14, `"#/components/schemas/Missing" points to a schema that is not defined`},
		{5, `names "undeclared"`},
		{8, `parameter "q" schema is invalid: parameter must contain exactly one of content and schema`},
		{6, `same operation id "same"`},
		{21, "'scopes' is missing"},
	}
	all := Problems(warnings).Error()
	if len(warnings) != len(want) {
		t.Errorf("got %d warnings, want %d:\n%s", len(warnings), len(want), all)
	}
	for _, w := range want {
		found := false
		for _, p := range warnings {
			if p.Line == w.line && strings.Contains(p.Message, w.message) {
				found = true
			}
		}
		if !found {
			t.Errorf("no warning at line %d saying %q in:\n%s", w.line, w.message, all)
		}
	}
	if doc.Components.Schemas["Missing"] == nil {
		t.Error("the dangling schema was not defined as {}")
	}
}

// YAML features are read as YAML means them, within limits.
func TestLoadYAMLDetails(t *testing.T) {
	t.Run("date-like version stays text", func(t *testing.T) {
		doc, err := Load("x.yaml", []byte(strings.Replace(petsYAML, "version: 1.0.0", "version: 2020-01-01", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Info.Version != "2020-01-01" {
			t.Errorf("version = %q", doc.Info.Version)
		}
	})
	t.Run("anchors, aliases and merge keys", func(t *testing.T) {
		text := strings.Replace(petsYAML, "x-wso2-production-endpoints:\n  urls: [https://pets.example.com/api]\n",
			"x-base: &ep {urls: ['https://pets.example.com/api']}\nx-wso2-production-endpoints: {<<: *ep, type: failover}\nx-wso2-sandbox-endpoints: *ep\n", 1)
		doc, err := Load("x.yaml", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		api, problems := ToAPI("x.yaml", doc)
		if len(problems) > 0 || api.Production.Type != "failover" || api.Sandbox.URLs[0] != "https://pets.example.com/api" {
			t.Errorf("%v %s", problems, jsonString(api))
		}
	})
	t.Run("alias bomb", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("openapi: 3.0.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
		for i := 1; i < 12; i++ {
			fmt.Fprintf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
		}
		_, err := Load("bomb.yaml", []byte(b.String()))
		if err == nil || !strings.Contains(err.Error(), "too large once its YAML aliases are expanded") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("deep nesting", func(t *testing.T) {
		text := "openapi: 3.0.0\nx: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "\n"
		if _, err := Load("deep.yaml", []byte(text)); err == nil {
			t.Error("no error")
		}
	})
}
