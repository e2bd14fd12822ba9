package gateway

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// validatedStore is a spec with compiled schemas as mgw build writes
// them: a Pet body, an integer path parameter, an enum array query
// parameter and an integer header.
func validatedStore(url string, request bool) *Spec {
	schemas := []Schema{
		// 1 Pet
		{Types: []string{"object"}, Required: []string{"name", "photoUrls"}, Properties: []Property{
			{Name: "id", Schema: 2}, {Name: "name", Schema: 3}, {Name: "photoUrls", Schema: 4}, {Name: "status", Schema: 5},
		}},
		// 2 int64 id ≥ 1
		{Types: []string{"integer"}, Format: "int64", Minimum: 1, HasMinimum: true},
		// 3 name
		{Types: []string{"string"}, MinLength: 1},
		// 4 photoUrls
		{Types: []string{"array"}, Items: 3},
		// 5 status
		{Types: []string{"string"}, Enum: []string{`"available"`, `"pending"`, `"sold"`}},
		// 6 status list
		{Types: []string{"array"}, Items: 5},
		// 7 pet response
		{Types: []string{"object"}, Required: []string{"name"}},
	}
	body := &BodyRule{Required: true, JSON: 1, MediaTypes: []string{"application/json", "application/xml"}}
	return &Spec{
		Label: "test", MgwVersion: "v0.0.0-test",
		APIs: []API{{
			Name: "Store", Version: "1.0.0", Context: "/store", BasePath: "/store/v1",
			Production: &Endpoint{Type: EndpointHTTP, URLs: []string{url}},
			Schemas:    schemas,
			Resources: []Resource{
				{Path: "/pet", Method: "POST", Validation: &Validation{Request: request, Body: body, Responses: []ResponseRule{{Status: "200", JSON: 7}}}},
				{Path: "/pet/findByStatus", Method: "GET", Validation: &Validation{Request: request, Params: []ParamRule{
					{Name: "status", In: ParamQuery, Required: true, Explode: true, Schema: 6},
					{Name: "X-Limit", In: ParamHeader, Schema: 2},
				}}},
				{Path: "/pet/{petId}", Method: "GET", Validation: &Validation{Request: request, Params: []ParamRule{
					{Name: "petId", In: ParamPath, Required: true, Schema: 2},
				}}},
				{Path: "/plain", Method: "POST"},
			},
		}},
	}
}

func invalidRequestFault(desc string) string {
	return faultBody(CodeInvalidRequest, "Bad Request", desc)
}

// TestRequestValidation: valid requests reach the backend unchanged,
// invalid ones get 400 with fault 900915 naming the field and the rule.
func TestRequestValidation(t *testing.T) {
	be := echoBackend(t, "b")
	g := start(t, validatedStore(be.URL, true), testConfig())
	c := client()
	base := g.http + "/store/v1"

	good := `{"name":"doggie","photoUrls":["u"],"status":"sold","id":7}`
	resp, body := do(t, c, "POST", base+"/pet", strings.NewReader(good), "Content-Type", "application/json")
	if resp.StatusCode != 200 {
		t.Fatalf("valid body: %d %s", resp.StatusCode, body)
	}
	if e := decodeEcho(t, body); e.Body != good || e.Length != int64(len(good)) {
		t.Errorf("backend got body %q (length %d), want %q", e.Body, e.Length, good)
	}

	for _, tc := range []struct {
		name, method, path, body, ctype, header string
		desc                                    string
	}{
		{"missing required", "POST", "/pet", `{"name":"d"}`, "application/json", "",
			"request body at /photoUrls: the required property is missing"},
		{"wrong type", "POST", "/pet", `{"name":"d","photoUrls":[1]}`, "application/json", "",
			"request body at /photoUrls/0: expected string, got a number"},
		{"enum", "POST", "/pet", `{"name":"d","photoUrls":[],"status":"lost"}`, "application/json; charset=utf-8", "",
			"request body at /status: the value is not one of the allowed values (enum)"},
		{"minimum", "POST", "/pet", `{"name":"d","photoUrls":[],"id":0}`, "application/json", "",
			"request body at /id: must be at least 1"},
		{"not json", "POST", "/pet", `{"name":`, "application/json", "",
			"request body: not valid JSON: unexpected end of input at byte 8"},
		{"no body", "POST", "/pet", ``, "application/json", "",
			"request body: the operation requires a body"},
		{"undeclared type", "POST", "/pet", `name=d`, "application/x-www-form-urlencoded", "",
			`request body: Content-Type "application/x-www-form-urlencoded" is not accepted; the operation takes application/json, application/xml`},
		{"path param", "GET", "/pet/abc", ``, "", "",
			`path parameter "petId": expected an integer, got "abc"`},
		{"path param minimum", "GET", "/pet/0", ``, "", "",
			`path parameter "petId": must be at least 1`},
		{"query missing", "GET", "/pet/findByStatus", ``, "", "",
			`query parameter "status": the required parameter is missing`},
		{"query enum", "GET", "/pet/findByStatus?status=sold&status=lost", ``, "", "",
			`query parameter "status" at /1: the value is not one of the allowed values (enum)`},
		{"header", "GET", "/pet/findByStatus?status=sold", ``, "", "1.5",
			`header parameter "X-Limit": expected an integer, got "1.5"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hdr := []string{}
			if tc.ctype != "" {
				hdr = append(hdr, "Content-Type", tc.ctype)
			}
			if tc.header != "" {
				hdr = append(hdr, "X-Limit", tc.header)
			}
			var rd *strings.Reader
			if tc.body != "" {
				rd = strings.NewReader(tc.body)
			}
			var resp *http.Response
			var body string
			if rd != nil {
				resp, body = do(t, c, tc.method, base+tc.path, rd, hdr...)
			} else {
				resp, body = do(t, c, tc.method, base+tc.path, nil, hdr...)
			}
			if resp.StatusCode != 400 || body != invalidRequestFault(tc.desc) {
				t.Errorf("got %d %s\nwant 400 %s", resp.StatusCode, body, invalidRequestFault(tc.desc))
			}
		})
	}

	for _, ok := range []string{"/pet/5", "/pet/findByStatus?status=sold&status=pending", "/pet/findByStatus?status=sold"} {
		if resp, body := do(t, c, "GET", base+ok, nil, "X-Limit", "10"); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", ok, resp.StatusCode, body)
		}
	}
	// A declared media type that is not JSON passes unchecked.
	if resp, body := do(t, c, "POST", base+"/pet", strings.NewReader("<pet/>"), "Content-Type", "application/xml"); resp.StatusCode != 200 {
		t.Errorf("xml body: %d %s", resp.StatusCode, body)
	}
	// Operations without schemas are not touched.
	if resp, body := do(t, c, "POST", base+"/plain", strings.NewReader("{"), "Content-Type", "application/json"); resp.StatusCode != 200 {
		t.Errorf("plain: %d %s", resp.StatusCode, body)
	}
}

// TestValidationSwitch: validation.request off lets invalid requests
// through; all validates operations the definition did not mark.
func TestValidationSwitch(t *testing.T) {
	be := echoBackend(t, "b")
	c := client()
	bad := `{"name":"d"}`
	for _, tc := range []struct {
		mode   string
		marked bool
		want   int
	}{
		{validateAuto, true, 400},
		{validateAuto, false, 200},
		{validateOff, true, 200},
		{validateAll, false, 400},
	} {
		cfg := testConfig()
		cfg.Validation.Request = tc.mode
		g := start(t, validatedStore(be.URL, tc.marked), cfg)
		resp, body := do(t, c, "POST", g.http+"/store/v1/pet", strings.NewReader(bad), "Content-Type", "application/json")
		if resp.StatusCode != tc.want {
			t.Errorf("request: %s, marked %v: got %d %s, want %d", tc.mode, tc.marked, resp.StatusCode, body, tc.want)
		}
	}
}

// TestValidationBodyLimit: a body over server.max_body_bytes is 413, as
// without validation.
func TestValidationBodyLimit(t *testing.T) {
	be := echoBackend(t, "b")
	cfg := testConfig()
	cfg.Server.MaxBodyBytes = 64
	g := start(t, validatedStore(be.URL, true), cfg)
	big := `{"name":"` + strings.Repeat("x", 100) + `","photoUrls":[]}`
	resp, body := do(t, client(), "POST", g.http+"/store/v1/pet", strings.NewReader(big), "Content-Type", "application/json")
	if resp.StatusCode != 413 || !strings.Contains(body, "101413") {
		t.Errorf("got %d %s, want 413 fault 101413", resp.StatusCode, body)
	}
}

// TestResponseValidation: with validation.response reject an invalid JSON
// response becomes 500 fault 900916; with log it passes and is logged.
func TestResponseValidation(t *testing.T) {
	answer := `{"id":1}`
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("good") != "" {
			_, _ = w.Write([]byte(`{"name":"ok"}`))
			return
		}
		_, _ = w.Write([]byte(answer))
	})
	c := client()
	pet := `{"name":"d","photoUrls":[]}`
	for _, mode := range []string{validateReject, validateLog} {
		cfg := testConfig()
		cfg.Validation.Response = mode
		g := start(t, validatedStore(be.URL, true), cfg)
		resp, body := do(t, c, "POST", g.http+"/store/v1/pet?good=1", strings.NewReader(pet), "Content-Type", "application/json")
		if resp.StatusCode != 200 || body != `{"name":"ok"}` {
			t.Errorf("%s: valid response: %d %s", mode, resp.StatusCode, body)
		}
		resp, body = do(t, c, "POST", g.http+"/store/v1/pet", strings.NewReader(pet), "Content-Type", "application/json")
		switch mode {
		case validateReject:
			want := faultBody(CodeInvalidResponse, "Bad Response", "response body at /name: the required property is missing")
			if resp.StatusCode != 500 || body != want {
				t.Errorf("reject: got %d %s, want 500 %s", resp.StatusCode, body, want)
			}
		case validateLog:
			if resp.StatusCode != 200 || body != answer {
				t.Errorf("log: got %d %s, want the backend's answer", resp.StatusCode, body)
			}
			if !strings.Contains(g.logs.String(), "response failed validation") {
				t.Errorf("log: nothing logged: %s", g.logs.String())
			}
		}
	}
}

// TestNoValidationNoMiddleware: a label without validated operations gets
// no validation middleware at all.
func TestNoValidationNoMiddleware(t *testing.T) {
	for _, spec := range []*Spec{petstore("http://127.0.0.1:1"), validatedStore("http://127.0.0.1:1", false)} {
		g, err := New(spec, testConfig(), nil)
		if err != nil {
			t.Fatal(err)
		}
		mw, err := g.newValidation()
		if err != nil || mw != nil {
			t.Errorf("newValidation = %v, %v; want no middleware", mw != nil, err)
		}
	}
	g, err := New(validatedStore("http://127.0.0.1:1", true), testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if mw, err := g.newValidation(); err != nil || mw == nil {
		t.Errorf("marked operations: newValidation = %v, %v; want middleware", mw != nil, err)
	}
}

// TestValidationBadSchemaRefused: a spec whose schemas do not compile is
// a configuration error at start.
func TestValidationBadSchemaRefused(t *testing.T) {
	spec := validatedStore("http://127.0.0.1:1", true)
	spec.APIs[0].Schemas[2].Pattern = "(?=x)"
	_, err := New(spec, testConfig(), nil)
	if err == nil || !strings.Contains(err.Error(), "pattern") {
		t.Errorf("New = %v, want a pattern error", err)
	}
	if err := spec.Validate(); err == nil || !strings.Contains(err.Error(), "pattern") {
		t.Errorf("Validate = %v, want a pattern error", err)
	}
}

// TestValidationConfigChecked: unknown values are configuration errors
// naming the key and the allowed values.
func TestValidationConfigChecked(t *testing.T) {
	cfg := testConfig()
	cfg.Validation.Request = "yes"
	cfg.Validation.Response = "drop"
	_, err := New(petstore("http://127.0.0.1:1"), cfg, nil)
	if err == nil || !strings.Contains(err.Error(), `validation.request: "yes" is not allowed; use auto`) ||
		!strings.Contains(err.Error(), `validation.response: "drop" is not allowed; use off, log or reject`) {
		t.Errorf("New = %v", err)
	}
}

// TestValidationAllLogsSkipped: under validation.request all, an
// operation whose schemas could not be compiled is named at start.
func TestValidationAllLogsSkipped(t *testing.T) {
	spec := validatedStore("http://127.0.0.1:1", false)
	spec.APIs[0].Resources[3].Validation = &Validation{Skipped: "#/components/schemas/X/pattern: not RE2"}
	cfg := testConfig()
	cfg.Validation.Request = validateAll
	var logs syncBuffer
	if _, err := New(spec, cfg, slog.New(slog.NewTextHandler(&logs, nil))); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "operation not validated") || !strings.Contains(logs.String(), "not RE2") {
		t.Errorf("logs: %s", logs.String())
	}
}

// TestValidationOtherOperationAllocs: in a label with validation, an
// operation without it passes through the middleware without allocating.
func TestValidationOtherOperationAllocs(t *testing.T) {
	spec := validatedStore("http://127.0.0.1:1", true)
	g, err := New(spec, testConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	mw, err := g.newValidation()
	if err != nil || mw == nil {
		t.Fatal("no middleware", err)
	}
	called := 0
	h := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called++ }))
	var plain *route
	for _, rt := range g.router.apis[0].routes {
		if rt.res.Path == "/plain" {
			plain = rt
		}
	}
	ex := &exchange{route: plain}
	ex.ctx = exchangeCtx{Context: t.Context(), ex: ex}
	req := httptest.NewRequest("POST", "/store/v1/plain", strings.NewReader("{")).WithContext(&ex.ctx)
	w := httptest.NewRecorder()
	if n := testing.AllocsPerRun(100, func() { h.ServeHTTP(w, req) }); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
	if called == 0 {
		t.Error("the request did not reach the next handler")
	}
}
