package apidef

import (
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

// TestValidationCompileErrors: a schema the gateway cannot run is a
// problem naming the file and the schema's JSON pointer when the
// operation asks for validation, and a recorded reason otherwise.
func TestValidationCompileErrors(t *testing.T) {
	doc := mustDecode(t, badPatternDoc)
	_, problems := ToAPI("bad.yaml", doc)
	if len(problems) != 1 {
		t.Fatalf("problems = %v, want one", problems)
	}
	p := problems[0]
	if p.Path != "bad.yaml" || p.Location != "#/components/schemas/Code/pattern" || !strings.Contains(p.Message, "RE2") {
		t.Errorf("problem = %q", p.Error())
	}

	unmarked := strings.Replace(badPatternDoc, "x-wso2-request-validation: true\n", "", 1)
	api, problems := ToAPI("bad.yaml", mustDecode(t, unmarked))
	if len(problems) > 0 {
		t.Fatalf("unmarked: %v", problems)
	}
	v := api.Resources[0].Validation
	if v == nil || !strings.HasPrefix(v.Skipped, "#/components/schemas/Code/pattern: ") || v.Body != nil || len(api.Schemas) != 0 {
		t.Errorf("unmarked: validation %+v, schemas %d", v, len(api.Schemas))
	}
	if _, err := Load("dangling.yaml", []byte(danglingRefDoc)); err == nil {
		t.Errorf("a $ref to nothing must not load")
	}
}

// TestValidationCompile: parameters (path-item ones included), the JSON
// body and responses are compiled; a recursive schema is a cycle.
func TestValidationCompile(t *testing.T) {
	api, problems := ToAPI("rec.yaml", mustDecode(t, recursiveDoc))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	v := api.Resources[0].Validation
	if v == nil || !v.Request {
		t.Fatalf("validation = %+v", v)
	}
	want := []gateway.ParamRule{
		{Name: "q", In: "query", Explode: true, Schema: v.Params[0].Schema},
		{Name: "X-N", In: "header", Schema: v.Params[1].Schema},
		{Name: "id", In: "path", Required: true, Schema: v.Params[2].Schema},
	}
	if len(v.Params) != 3 {
		t.Fatalf("params = %+v", v.Params)
	}
	for i := range want {
		if v.Params[i] != want[i] || v.Params[i].Schema == 0 {
			t.Errorf("param %d = %+v, want %+v", i, v.Params[i], want[i])
		}
	}
	if v.Body == nil || v.Body.JSON == 0 || len(v.Responses) != 1 || v.Responses[0].JSON != v.Body.JSON {
		t.Fatalf("body %+v responses %+v: the body and the response share one schema", v.Body, v.Responses)
	}
	node := api.Schemas[v.Body.JSON-1]
	if len(node.Properties) != 2 || node.Properties[1].Schema != v.Body.JSON {
		t.Errorf("Node.next must refer back to Node: %+v", node.Properties)
	}
	sv, err := gateway.NewSchemaValidator(api.Schemas)
	if err != nil {
		t.Fatal(err)
	}
	if err := sv.ValidateJSON(v.Body.JSON, []byte(`{"next":{"next":{"all":{"next":{}}}}}`)); err != nil {
		t.Errorf("deep recursive value: %v", err)
	}
	if err := sv.ValidateJSON(v.Body.JSON, []byte(`{"next":{"next":5}}`)); err == nil || err.Error() != "/next/next: expected object, got a number" {
		t.Errorf("deep invalid value: %v", err)
	}
}

// TestValidationExtensionType: a non-boolean x-wso2-request-validation is
// one problem at its location, not one per operation.
func TestValidationExtensionType(t *testing.T) {
	doc := strings.Replace(recursiveDoc, "x-wso2-request-validation: true", `x-wso2-request-validation: "yes"`, 1)
	doc = strings.Replace(doc, "  /a/{id}:", "  /b:\n    get:\n      responses: {\"200\": {description: ok}}\n  /a/{id}:", 1)
	_, problems := ToAPI("t.yaml", mustDecode(t, doc))
	if len(problems) != 1 || problems[0].Location != "#/x-wso2-request-validation" || !strings.Contains(problems[0].Message, "true or false") {
		t.Errorf("problems = %v", problems)
	}
}

// TestValidationProblemLine: with the source text, a schema problem also
// names the line of the schema keyword.
func TestValidationProblemLine(t *testing.T) {
	_, problems := ToAPI("bad.yaml", mustDecode(t, badPatternDoc))
	problems = AddLines("bad.yaml", []byte(badPatternDoc), problems)
	if len(problems) != 1 || problems[0].Line != 16 || !strings.HasPrefix(problems[0].Error(), "bad.yaml:16: #/components/schemas/Code/pattern: ") {
		t.Errorf("problems = %v", problems)
	}
}
