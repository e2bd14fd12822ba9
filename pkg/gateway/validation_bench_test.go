package gateway

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// benchSchemas is a 20-property object schema of mixed keywords: the
// shape of a typical order or customer record.
func benchSchemas() []Schema {
	s := []Schema{{Types: []string{"object"}, NoAdditional: true}}
	add := func(x Schema) int { s = append(s, x); return len(s) }
	str := add(Schema{Types: []string{"string"}, MaxLength: 64, HasMaxLength: true})
	text := add(Schema{Types: []string{"string"}, MaxLength: 4096, HasMaxLength: true})
	code := add(Schema{Types: []string{"string"}, Pattern: "^[A-Z]{3}-[0-9]{4}$"})
	id := add(Schema{Types: []string{"integer"}, Format: "int64", Minimum: 1, HasMinimum: true})
	qty := add(Schema{Types: []string{"integer"}, Format: "int32", Minimum: 0, HasMinimum: true, Maximum: 1000, HasMaximum: true})
	price := add(Schema{Types: []string{"number"}, Minimum: 0, HasMinimum: true})
	flag := add(Schema{Types: []string{"boolean"}})
	when := add(Schema{Types: []string{"string"}, Format: "date-time"})
	mail := add(Schema{Types: []string{"string"}, Format: "email"})
	uuid := add(Schema{Types: []string{"string"}, Format: "uuid"})
	status := add(Schema{Types: []string{"string"}, Enum: []string{`"placed"`, `"approved"`, `"delivered"`}})
	tags := add(Schema{Types: []string{"array"}, Items: str, MaxItems: 10, HasMaxItems: true})
	addr := add(Schema{Types: []string{"object"}, Required: []string{"street", "city"}, Properties: []Property{
		{Name: "city", Schema: str}, {Name: "street", Schema: str}, {Name: "zip", Schema: str},
	}})
	props := []Property{
		{"address", addr}, {"code", code}, {"comment", text}, {"country", str}, {"created", when},
		{"currency", str}, {"customer", str}, {"discount", price}, {"email", mail}, {"gift", flag},
		{"id", id}, {"note", text}, {"paid", flag}, {"price", price}, {"quantity", qty},
		{"ref", uuid}, {"shipped", when}, {"status", status}, {"tags", tags}, {"total", price},
	}
	s[0].Properties = props
	s[0].Required = []string{"id", "code", "quantity", "price", "status"}
	return s
}

// benchBody is a JSON object of about 1 KiB for benchSchemas.
func benchBody() []byte {
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

// BenchmarkRequestValidation validates a 1 KiB body against a
// 20-property schema: the per-request cost of validating a JSON body.
func BenchmarkRequestValidation(b *testing.B) {
	set, problems := compileSchemas(benchSchemas())
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	body := benchBody()
	var v jsonValidator
	if r := v.validate(set, 0, body); r != "" {
		b.Fatalf("bench body invalid: %s at %s", r, v.where)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if v.validate(set, 0, body) != "" {
			b.Fatal("invalid")
		}
	}
}

// BenchmarkRequestValidationMiddleware is the whole validation middleware
// for that body: reading it, checking it, handing it on.
func BenchmarkRequestValidationMiddleware(b *testing.B) {
	benchMiddleware(b, orderSpec(), benchBody(), http.StatusOK)
}

// TestRequestValidationAllocs: checking a request and its JSON body
// allocates nothing (an escaping error variable once cost one allocation
// each). It calls validateRequest with one state, as the middleware does
// with a pooled one: under the race detector sync.Pool drops items on
// purpose, which would count the state's own allocations.
func TestRequestValidationAllocs(t *testing.T) {
	g, err := New(orderSpec(), testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.newValidation(); err != nil {
		t.Fatal(err)
	}
	rt := g.router.apis[0].routes[0]
	if rt.validator == nil {
		t.Fatal("the operation has no validator")
	}
	body := benchBody()
	rd := bytes.NewReader(body)
	req, ex := orderRequest(t.Context(), rt)
	w := httptest.NewRecorder()
	st := new(validationState)
	ok := true
	run := func() {
		rd.Reset(body)
		req.Body = readCloser{rd}
		req.ContentLength = int64(len(body))
		ok = ok && g.validateRequest(w, req, ex, rt.validator, st)
		st.release()
	}
	run() // the state's buffers grow once
	if n := testing.AllocsPerRun(200, run); n != 0 {
		t.Errorf("%v allocations per validated request, want 0", n)
	}
	if !ok || w.Code != http.StatusOK {
		t.Fatalf("the order was refused: status %d %s", w.Code, w.Body)
	}
}

// orderRequest is a JSON POST /b/1/orders as the router hands it to the
// validation middleware: routed to rt, backend path /orders.
func orderRequest(ctx context.Context, rt *route) (*http.Request, *exchange) {
	req := httptest.NewRequest("POST", "/b/1/orders", nil)
	req.Header.Set("Content-Type", "application/json")
	ex := &exchange{route: rt}
	ex.info.BackendPath = "/orders"
	ex.ctx = exchangeCtx{Context: ctx, ex: ex}
	return req.WithContext(&ex.ctx), ex
}

// orderSpec is an API whose POST /orders validates the benchmark order.
func orderSpec() *Spec {
	return &Spec{Label: "b", APIs: []API{{
		Name: "B", Version: "1", Context: "/b", BasePath: "/b/1",
		Production: &Endpoint{Type: EndpointHTTP, URLs: []string{"http://127.0.0.1:1"}},
		Schemas:    benchSchemas(),
		Resources: []Resource{{Path: "/orders", Method: "POST", Validation: &Validation{
			Request: true, Body: &BodyRule{Required: true, JSON: 1, MediaTypes: []string{"application/json"}},
		}}},
	}}}
}

// BenchmarkValidationOtherOperation: an operation without validation in
// a label where another operation has it pays one pointer check.
func BenchmarkValidationOtherOperation(b *testing.B) {
	spec := &Spec{Label: "b", APIs: []API{{
		Name: "B", Version: "1", Context: "/b", BasePath: "/b/1",
		Production: &Endpoint{Type: EndpointHTTP, URLs: []string{"http://127.0.0.1:1"}},
		Schemas:    benchSchemas(),
		Resources: []Resource{
			{Path: "/orders", Method: "POST"},
			{Path: "/validated", Method: "POST", Validation: &Validation{
				Request: true, Body: &BodyRule{Required: true, JSON: 1, MediaTypes: []string{"application/json"}},
			}},
		},
	}}}
	benchMiddleware(b, spec, benchBody(), http.StatusOK)
}

// benchMiddleware runs the validation middleware around a handler that
// drains the body, for a routed POST /b/1/orders.
func benchMiddleware(b *testing.B, spec *Spec, body []byte, want int) {
	g, err := New(spec, testConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	mw, err := g.newValidation()
	if err != nil || mw == nil {
		b.Fatalf("no validation middleware: %v", err)
	}
	var sink bytes.Buffer
	h := mw(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sink.Reset()
		_, _ = sink.ReadFrom(r.Body)
	}))
	req, _ := orderRequest(context.Background(), g.router.apis[0].routes[0])
	w := httptest.NewRecorder()
	rd := bytes.NewReader(body)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rd.Reset(body)
		req.Body = readCloser{rd}
		req.ContentLength = int64(len(body))
		w.Code = 0
		h.ServeHTTP(w, req)
	}
	b.StopTimer()
	if w.Code != 0 && w.Code != want {
		b.Fatal(fmt.Sprint("status ", w.Code, w.Body.String()))
	}
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
