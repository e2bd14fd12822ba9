package apidef

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// benchOrder is the ~1 KiB body of pkg/gateway's BenchmarkRequestValidation.
func benchOrder() []byte {
	b := `{"id":123456789,"code":"ABC-1234","quantity":12,"price":19.99,"total":239.88,"discount":0,` +
		`"status":"approved","email":"jane.doe@example.com","ref":"123e4567-e89b-12d3-a456-426614174000",` +
		`"created":"2024-05-01T10:20:30.123Z","shipped":"2024-05-02T08:00:00+02:00","gift":false,"paid":true,` +
		`"currency":"EUR","country":"Netherlands","customer":"Jane Doe",` +
		`"address":{"street":"Keizersgracht 123","city":"Amsterdam","zip":"1015 CJ"},` +
		`"tags":["priority","fragile","gift-wrap","express","insured"],` +
		`"comment":"Please deliver between nine and five on weekdays only",` +
		`"note":"` + strings.Repeat("n", 40) + `"}`
	for len(b) < 1000 {
		b = strings.Replace(b, `"note":"`, `"note":"nn`, 1)
	}
	return []byte(b)
}

func benchDoc(b *testing.B) (*openapi3.Schema, *gateway.SchemaValidator, int) {
	data, err := os.ReadFile("testdata/validation/bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	doc, err := Load("bench.yaml", data)
	if err != nil {
		b.Fatal(err)
	}
	ref := doc.Components.Schemas["Order"]
	sc := newSchemaCompiler()
	i := sc.ref(ref, "#/components/schemas/Order")
	v, err := gateway.NewSchemaValidator(sc.schemas)
	if err != nil {
		b.Fatal(err)
	}
	return ref.Value, v, i
}

// BenchmarkValidateOrderGateway: the gateway's compiled validator.
func BenchmarkValidateOrderGateway(b *testing.B) {
	_, v, i := benchDoc(b)
	body := benchOrder()
	if err := v.ValidateJSON(i, body); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v.ValidateJSON(i, body) != nil {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkValidateOrderKin: kin-openapi, as a runtime validator would use
// it: decode the body into a tree, then VisitJSON.
func BenchmarkValidateOrderKin(b *testing.B) {
	s, _, _ := benchDoc(b)
	body := benchOrder()
	opt := kinFormats()
	b.ReportAllocs()
	for b.Loop() {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
		if err := s.VisitJSON(v, opt); err != nil {
			b.Fatal(err)
		}
	}
}
