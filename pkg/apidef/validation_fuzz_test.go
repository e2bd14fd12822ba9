package apidef

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

// hasDuplicateKeys reports whether a JSON text has an object with a key
// twice (a deliberate difference: see validation_conformance_test.go).
func hasDuplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		obj    bool
		keys   map[string]bool
		expect bool // next string token in an object is a key
	}
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		top := func() *frame {
			if len(stack) == 0 {
				return nil
			}
			return stack[len(stack)-1]
		}
		f := top()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				if f != nil && f.obj {
					f.expect = true
				}
				stack = append(stack, &frame{obj: true, keys: map[string]bool{}, expect: true})
				continue
			case '[':
				if f != nil && f.obj {
					f.expect = true
				}
				stack = append(stack, &frame{})
				continue
			default:
				stack = stack[:len(stack)-1]
				continue
			}
		case string:
			if f != nil && f.obj && f.expect {
				if f.keys[t] {
					return true
				}
				f.keys[t] = true
				f.expect = false
				continue
			}
		}
		if f != nil && f.obj {
			f.expect = true
		}
	}
}

// FuzzValidatorMatchesKin: for the keyword suite's schemas, the gateway's
// decision on any input equals kin-openapi's.
func FuzzValidatorMatchesKin(f *testing.F) {
	data, err := os.ReadFile("testdata/validation/keywords.yaml")
	if err != nil {
		f.Fatal(err)
	}
	doc, err := Load("keywords.yaml", data)
	if err != nil {
		f.Fatal(err)
	}
	sc := newSchemaCompiler()
	idx := map[string]int{}
	var names []string
	for name, ref := range doc.Components.Schemas {
		idx[name] = sc.ref(ref, "#/components/schemas/"+name)
		names = append(names, name)
	}
	sort.Strings(names)
	v, err := gateway.NewSchemaValidator(sc.schemas)
	if err != nil {
		f.Fatal(err)
	}
	var cases map[string][]string
	b, _ := json.Marshal(doc.Extensions["x-cases"])
	_ = json.Unmarshal(b, &cases)
	for i, name := range names {
		for _, in := range cases[name] {
			f.Add(uint8(i), []byte(in))
		}
	}
	for _, in := range genericInputs {
		f.Add(uint8(0), []byte(in))
	}
	f.Fuzz(func(t *testing.T, which uint8, in []byte) {
		name := names[int(which)%len(names)]
		if hasDuplicateKeys(in) {
			t.Skip("duplicate keys: a deliberate difference")
		}
		want, kinErr := kinAccepts(doc.Components.Schemas[name].Value, in)
		gotErr := v.ValidateJSON(idx[name], in)
		if gotErr != nil && strings.Contains(gotErr.Error(), "too complex") {
			t.Skip("over the work budget: a deliberate difference")
		}
		if (gotErr == nil) != want {
			t.Errorf("schema %s, input %q: gateway %v, kin-openapi %v", name, in, gotErr, kinErr)
		}
	})
}

// FuzzCompileSchemas: any document either fails with problems that say
// where, or compiles into schemas the gateway accepts; never a panic.
func FuzzCompileSchemas(f *testing.F) {
	for _, p := range []string{"testdata/validation/keywords.yaml", "testdata/validation/mgw320-validation_api.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{badPatternDoc, danglingRefDoc, recursiveDoc} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		api, problems := ToAPI("fuzz.yaml", doc)
		for _, p := range problems {
			if p.Message == "" || p.Path != "fuzz.yaml" {
				t.Errorf("problem without message or file: %+v", p)
			}
		}
		if len(problems) > 0 {
			return
		}
		if _, err := gateway.NewSchemaValidator(api.Schemas); err != nil {
			t.Errorf("compiled schemas refused by the gateway: %v", err)
		}
		spec := &gateway.Spec{Label: "fuzz", APIs: []gateway.API{api}}
		if err := spec.Validate(); err != nil && strings.Contains(err.Error(), "schema") {
			t.Errorf("compiled schemas fail Spec.Validate: %v", err)
		}
		// Every compiled schema can validate something without panicking.
		v, _ := gateway.NewSchemaValidator(api.Schemas)
		for i := range api.Schemas {
			var ve *gateway.ValidationError
			if err := v.ValidateJSON(i+1, []byte(`{"a":[1,"x",null,{"b":true}]}`)); err != nil && !errors.As(err, &ve) {
				t.Errorf("schema %d: unexpected error type %T", i+1, err)
			}
		}
	})
}

const badPatternDoc = `openapi: 3.0.3
info: {title: Bad, version: "1"}
x-wso2-basePath: /bad/1
x-wso2-production-endpoints: {urls: ["http://127.0.0.1:1"]}
x-wso2-request-validation: true
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Code"}
      responses: {"200": {description: ok}}
components:
  schemas:
    Code: {type: string, pattern: "^(?!x)[a-z]+$"}
`

const danglingRefDoc = `openapi: 3.0.3
info: {title: Dangling, version: "1"}
x-wso2-basePath: /d/1
x-wso2-production-endpoints: {urls: ["http://127.0.0.1:1"]}
paths:
  /a:
    post:
      x-wso2-request-validation: true
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/parameters/Nope"}
      responses: {"200": {description: ok}}
`

const recursiveDoc = `openapi: 3.0.3
info: {title: Rec, version: "1"}
x-wso2-basePath: /r/1
x-wso2-production-endpoints: {urls: ["http://127.0.0.1:1"]}
x-wso2-request-validation: true
paths:
  /a/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
    post:
      parameters:
        - {name: q, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}
        - {name: X-N, in: header, schema: {type: number}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Node"}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Node"}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {$ref: "#/components/schemas/Node"}
        all: {allOf: [{$ref: "#/components/schemas/Node"}]}
`
