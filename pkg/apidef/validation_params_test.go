package apidef

import (
	"strings"
	"testing"
)

// oneParamDoc is a marked document with one operation and parameter.
func oneParamDoc(path, param string) string {
	return `openapi: 3.0.3
info: {title: P, version: "1"}
x-wso2-basePath: /p/1
x-wso2-production-endpoints: {urls: ["http://127.0.0.1:1"]}
x-wso2-request-validation: true
paths:
  ` + path + `:
    get:
      parameters:
        - ` + param + `
      responses: {"200": {description: ok}}
`
}

// TestParamBuildProblems: parameters openapi3filter cannot decode at all
// (it refuses every request that has them, or every request) are build
// problems naming the parameter and the fix, at the parameter's location.
func TestParamBuildProblems(t *testing.T) {
	for _, tc := range []struct {
		name, path, param, loc, msg string
	}{
		{"cookie array exploded", "/a", `{name: c, in: cookie, schema: {type: array, items: {type: string}}}`,
			"/explode", "needs explode: false"},
		{"cookie object exploded", "/a", `{name: c, in: cookie, explode: true, schema: {type: object}}`,
			"/explode", "needs explode: false"},
		{"spaceDelimited single value", "/a", `{name: q, in: query, style: spaceDelimited, schema: {type: integer}}`,
			"/style", "applies to arrays and objects"},
		{"deepObject array", "/a", `{name: q, in: query, style: deepObject, explode: true, schema: {type: array, items: {type: string}}}`,
			"/style", "deepObject applies to objects"},
		{"pipeDelimited object exploded", "/a", `{name: q, in: query, style: pipeDelimited, explode: true, schema: {type: object}}`,
			"/explode", "need explode: false"},
		{"nested array items", "/a", `{name: q, in: query, schema: {type: array, items: {type: array, items: {type: string}}}}`,
			"/schema/items", "nested arrays and objects"},
		{"text content", "/a", `{name: q, in: query, content: {text/plain: {schema: {type: string}}}}`,
			"/content", "application/json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := ToAPI("p.yaml", mustDecode(t, oneParamDoc(tc.path, tc.param)))
			if len(problems) != 1 {
				t.Fatalf("problems = %v, want one", problems)
			}
			p := problems[0]
			if !strings.HasSuffix(p.Location, "/parameters/0"+tc.loc) || !strings.Contains(p.Message, tc.msg) {
				t.Errorf("problem = %q at %q, want %q at .../parameters/0%s", p.Message, p.Location, tc.msg, tc.loc)
			}
		})
	}
}

// TestParamUnchecked: shapes the gateway does not decode are compiled
// without the parameter (docs/ARCHITECTURE.md lists them), the others of
// the operation still are.
func TestParamUnchecked(t *testing.T) {
	for _, param := range []string{
		`{name: q, in: query, schema: {anyOf: [{type: integer}, {type: array, items: {type: string}}]}}`,
		`{name: q, in: query, schema: {allOf: [{type: integer}, {maximum: 3}]}}`,
		`{name: q, in: query, schema: {not: {type: integer}}}`,
		`{name: q, in: query, schema: {type: array, items: {oneOf: [{type: integer}, {type: string}]}}}`,
		`{name: q, in: query, style: deepObject, explode: true, schema: {type: object, properties: {r: {type: object}}}}`,
		`{name: q, in: query, schema: {type: object, properties: {a: {allOf: [{type: integer}]}}}}`,
		`{name: q, in: query}`,
	} {
		doc := oneParamDoc("/a", param)
		doc = strings.Replace(doc, "      parameters:\n", "      parameters:\n        - {name: n, in: query, schema: {type: integer}}\n", 1)
		api, problems := ToAPI("p.yaml", mustDecode(t, doc))
		if len(problems) > 0 {
			t.Fatalf("%s: %v", param, problems)
		}
		v := api.Resources[0].Validation
		if v == nil || len(v.Params) != 1 || v.Params[0].Name != "n" {
			t.Errorf("%s: params %+v, want only n", param, v)
		}
	}
}

// TestParamDeliberateDifferences pins where the gateway differs from
// openapi3filter on purpose (docs/ARCHITECTURE.md says why): a parameter
// whose schema has no type is checked as a string, where openapi3filter
// refuses every request that carries it; an absent optional cookie
// described by content is accepted, where openapi3filter refuses.
func TestParamDeliberateDifferences(t *testing.T) {
	specs := []paramSpec{
		{in: "query", schema: `{minLength: 2}`},
		{in: "cookie", schema: `{type: integer}`, content: true},
	}
	suite := newParamSuite(t, specs)
	for _, tc := range []struct {
		op         int
		r          paramReq
		gw, kinErr bool
	}{
		{0, paramReq{query: "v=abc"}, true, true},
		{0, paramReq{query: "v=a"}, false, true},
		{1, paramReq{}, true, true},
		{1, paramReq{cookie: "v=5"}, true, false},
	} {
		op := suite.ops[tc.op]
		kinErr, _, _ := op.kinDecision(tc.r)
		gwErr := op.gatewayDecision(tc.r)
		if (gwErr == nil) != tc.gw || (kinErr != nil) != tc.kinErr {
			t.Errorf("%s %s: gateway %v, kin-openapi %v", op.spec, tc.r, gwErr, kinErr)
		}
	}
}
