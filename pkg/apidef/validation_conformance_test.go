package apidef

import (
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// Deliberate differences from kin-openapi (also in docs/ARCHITECTURE.md):
//   - Duplicate object keys: encoding/json keeps the last value, the gateway
//     validates every occurrence (and counts each for maxProperties). The
//     inputs here and the fuzz target avoid duplicate keys.
//   - readOnly/writeOnly and discriminator are not applied: the suite
//     compares with Schema.VisitJSON, which does not apply them either.
//   - Formats kin-openapi does not define by default (email, uuid, ipv4,
//     ipv6, uri) are compared with the definitions kinFormats registers
//     per call: kin-openapi's own email, RFC 9562 uuid and IP validators,
//     and for uri an absolute URI as net/url parses it.

// kinFormats are the optional formats the gateway checks, defined for
// kin-openapi the same way.
func kinFormats() openapi3.SchemaValidationOption {
	return openapi3.WithStringFormatValidators(map[string]openapi3.StringFormatValidator{
		"email": openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForEmail),
		"uuid":  openapi3.NewRegexpFormatValidator(openapi3.FormatOfStringForUUIDOfRFC9562),
		"ipv4":  openapi3.NewIPValidator(true),
		"ipv6":  openapi3.NewIPValidator(false),
		"uri": openapi3.NewCallbackValidator(func(s string) error {
			u, err := url.Parse(s)
			if err != nil {
				return err
			}
			if u.Scheme == "" {
				return errors.New("not an absolute URI")
			}
			return nil
		}),
	})
}

// kinAccepts is kin-openapi's decision: the text decodes as JSON and
// VisitJSON accepts the value.
func kinAccepts(s *openapi3.Schema, data []byte) (bool, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return false, err
	}
	err := s.VisitJSON(v, kinFormats())
	return err == nil, err
}

// genericInputs are tried against every schema.
var genericInputs = []string{
	`null`, `true`, `false`, `0`, `-1`, `1.5`, `1e2`, `""`, `"x"`, `"2024-01-01"`,
	`[]`, `[1,"a",null]`, `{}`, `{"id":1,"name":"n"}`, `{"a":"x","b":1}`,
	` {"id" : 1 , "name" : "n\u00e9" } `, `[`, `{"a":}`, `tru`, `"unterminated`, `1 2`, `{"a":1,}`,
	`[1,]`, `"\x"`, "\"tab\there\"", `{"a":"\ud800"}`, ``, `   `, `nul`, `-01`, `{1:2}`,
}

// mgw320Cases are inputs for the schemas of MGW 3.2's validation test API
// (the reference file is kept as it was published, without x-cases).
var mgw320Cases = map[string][]string{
	"Pet": {
		`{"name":"doggie","photoUrls":["u"]}`, `{"name":"doggie"}`, `{"photoUrls":[]}`,
		`{"id":1,"name":"d","photoUrls":[],"status":"sold","category":{"id":2,"name":"c"},"tags":[{"id":1,"name":"t"}]}`,
		`{"name":"d","photoUrls":[],"status":"lost"}`, `{"name":"d","photoUrls":[1]}`, `{"name":"d","photoUrls":[],"id":1.5}`,
		`{"name":"d","photoUrls":[],"category":{"id":"x"}}`, `{"name":"d","photoUrls":[],"tags":[{"name":5}]}`,
	},
	"Order": {`{"id":1,"petId":2,"quantity":3,"shipDate":"2020-01-01T00:00:00Z","status":"placed","complete":false}`, `{"quantity":3000000000}`, `{"shipDate":"yesterday"}`, `{"complete":"no"}`},
	"User":  {`{"id":1,"username":"u","userStatus":1}`, `{"userStatus":"active"}`, `{"email":5}`},
}

// conformanceSchemas compiles every component schema of a document.
func conformanceSchemas(t *testing.T, path string) (*openapi3.T, map[string]int, *gateway.SchemaValidator) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path, data)
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	sc := newSchemaCompiler()
	idx := map[string]int{}
	for name, ref := range doc.Components.Schemas {
		idx[name] = sc.ref(&openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: ref.Value}, "")
	}
	if len(sc.problems) > 0 {
		t.Fatalf("compile: %+v", sc.problems)
	}
	v, err := gateway.NewSchemaValidator(sc.schemas)
	if err != nil {
		t.Fatal(err)
	}
	return doc, idx, v
}

// TestValidationConformance: for every schema of the keyword suite and of
// MGW 3.2's validation test API, and many inputs, the gateway accepts
// exactly what kin-openapi accepts.
func TestValidationConformance(t *testing.T) {
	for _, file := range []string{"testdata/validation/keywords.yaml", "testdata/validation/mgw320-validation_api.yaml"} {
		doc, idx, v := conformanceSchemas(t, file)
		cases := map[string][]string{}
		if raw, ok := doc.Extensions["x-cases"]; ok {
			b, _ := json.Marshal(raw)
			if err := json.Unmarshal(b, &cases); err != nil {
				t.Fatalf("%s: x-cases: %v", file, err)
			}
		}
		if file == "testdata/validation/mgw320-validation_api.yaml" {
			cases = mgw320Cases
		}
		for name := range cases {
			if idx[name] == 0 {
				t.Errorf("%s: x-cases names schema %q, which does not exist", file, name)
			}
		}
		names := make([]string, 0, len(idx))
		for n := range idx {
			names = append(names, n)
		}
		sort.Strings(names)
		accepted, rejected := 0, 0
		for _, name := range names {
			schema := doc.Components.Schemas[name].Value
			for _, in := range append(cases[name], genericInputs...) {
				want, kinErr := kinAccepts(schema, []byte(in))
				gotErr := v.ValidateJSON(idx[name], []byte(in))
				if (gotErr == nil) != want {
					t.Errorf("%s %s %s: gateway error %v, kin-openapi error %v", file, name, in, gotErr, kinErr)
				}
				if want {
					accepted++
				} else {
					rejected++
				}
			}
		}
		t.Logf("%s: %d schemas, %d inputs accepted and %d rejected by both", file, len(names), accepted, rejected)
		if accepted == 0 || rejected == 0 {
			t.Errorf("%s: the inputs must include both valid and invalid ones", file)
		}
	}
}
