package apimsim

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// The contract tests check the simulator's answers against API Manager
// 2.6's own Swagger 2 definitions (testdata/, copied from carbon-apimgt
// v6.4.50), converted to OpenAPI 3 with kin-openapi.

// spec is a converted definition.
type spec struct {
	t   *testing.T
	doc *openapi3.T
	// answered holds the definition paths of the 200 answers answer()
	// checked (3.x/4.x).
	answered map[string]bool
}

func loadSpec(t *testing.T, file string) *spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var doc2 openapi2.T
	if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		t.Fatalf("convert %s: %v", file, err)
	}
	return &spec{t: t, doc: doc3}
}

// response returns the JSON schema of an operation's response.
func (s *spec) response(path, method string, status int) *openapi3.Schema {
	s.t.Helper()
	item := s.doc.Paths.Value(path)
	if item == nil || item.GetOperation(method) == nil {
		s.t.Fatalf("definition has no %s %s", method, path)
	}
	resp := item.GetOperation(method).Responses.Status(status)
	if resp == nil || resp.Value == nil {
		s.t.Fatalf("definition has no %d response for %s %s", status, method, path)
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		s.t.Fatalf("%s %s %d has no JSON schema", method, path, status)
	}
	return media.Schema.Value
}

// component returns a named schema (a Swagger 2 definition).
func (s *spec) component(name string) *openapi3.Schema {
	s.t.Helper()
	ref, ok := s.doc.Components.Schemas[name]
	if !ok {
		s.t.Fatalf("definition has no schema %s", name)
	}
	return ref.Value
}

// check validates a JSON body against a schema.
func (s *spec) check(what string, schema *openapi3.Schema, body []byte) {
	s.t.Helper()
	if err := s.validate(schema, body); err != nil {
		s.t.Errorf("%s does not match the definition: %v\nbody: %.600s", what, err, body)
	}
}

func (s *spec) validate(schema *openapi3.Schema, body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return s.doc.ValidateSchemaJSON(schema, withoutNulls(v), openapi3.MultiErrors())
}

// withoutNulls drops object members that are null. API Manager serializes
// unset fields as null (see the x-wso2-response examples in the definitions
// themselves, e.g. "rateLimitTimeUnit": null), which Swagger 2 cannot
// declare; a null member is treated as an absent one.
func withoutNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, m := range x {
			if m == nil {
				delete(x, k)
			} else {
				x[k] = withoutNulls(m)
			}
		}
	case []any:
		for i := range x {
			x[i] = withoutNulls(x[i])
		}
	}
	return v
}

func TestContractCatchesWrongShapes(t *testing.T) {
	pub := loadSpec(t, "apim-2.6-publisher-api-v0.14.yaml")
	for _, bad := range []string{
		`{"count":"two","list":[]}`,
		`{"count":1,"list":[{"name":7}]}`,
		`{"count":1,"list":[],"pagination":{"total":"many"}}`,
	} {
		if err := pub.validate(pub.response("/apis", http.MethodGet, 200), []byte(bad)); err == nil {
			t.Errorf("%s validated against APIList", bad)
		}
	}
	if err := pub.validate(pub.component("Error"), []byte(`{"message":"no code"}`)); err == nil {
		t.Error("an Error without code validated")
	}
	if err := pub.validate(pub.component("APIDetailed"), []byte(`{"name":"x","context":"/x","version":"1"}`)); err == nil {
		t.Error("an API without its required fields validated")
	}
	adm := loadSpec(t, "apim-2.6-admin-api-v0.14.yaml")
	bad := `{"count":1,"list":[{"policyName":"x","defaultLimit":{"type":"Foo","timeUnit":"min","unitTime":1}}]}`
	if err := adm.validate(adm.response("/throttling/policies/subscription", http.MethodGet, 200), []byte(bad)); err == nil {
		t.Error("a policy with an unknown limit type validated")
	}
}

func TestContractPublisher(t *testing.T) {
	pub := loadSpec(t, "apim-2.6-publisher-api-v0.14.yaml")
	s := startSim(t, Options{})
	tok := s.adminToken()
	listSchema := pub.response("/apis", http.MethodGet, 200)
	detailed := pub.component("APIDetailed")

	for _, q := range []string{"label:demo status:PUBLISHED", "label:hostile", "label:big", "label:nothing", "label:bad-definition", "label:bad-endpoint"} {
		for _, expand := range []string{"false", "true"} {
			resp, body := s.get(publisherBase+"/apis?limit=500&expand="+expand+"&query="+escapeSearchQuery(q), tok)
			wantStatus(t, resp, body, http.StatusOK)
			pub.check("list "+q+" expand="+expand, listSchema, body)
			if expand == "true" {
				var l struct{ List []json.RawMessage }
				decode(t, body, &l)
				for _, item := range l.List {
					pub.check("expanded item of "+q, detailed, item)
				}
			}
		}
	}

	// Every API, alone and with its definition.
	c, err := loadCatalog(DefaultFixtures(), false)
	if err != nil {
		t.Fatal(err)
	}
	apiSchema := pub.response("/apis/{apiId}", http.MethodGet, 200)
	for _, e := range c.apis {
		resp, body := s.get(publisherBase+"/apis/"+e.api.ID, tok)
		wantStatus(t, resp, body, http.StatusOK)
		pub.check("API "+e.api.Name, apiSchema, body)
	}
	for _, e := range c.apis {
		if hasLabel(e.api.Labels, "demo") || hasLabel(e.api.Labels, "internal") {
			_, body := s.get(publisherBase+"/apis/"+e.api.ID+"/swagger", tok)
			var def openapi2.T
			if err := openapi2.UnmarshalFromData(body, &def); err != nil {
				t.Errorf("%s: definition is not Swagger 2: %v", e.api.Name, err)
				continue
			}
			if _, err := openapi2conv.ToV3(&def); err != nil {
				t.Errorf("%s: definition does not convert to OpenAPI 3: %v", e.api.Name, err)
			}
		}
	}

	errSchema := pub.component("Error")
	for _, p := range []string{"/apis/11111111-2222-4333-8444-555555555555", "/apis/x", "/apis?limit=none"} {
		resp, body := s.get(publisherBase+p, tok)
		if resp.StatusCode < 400 {
			t.Fatalf("%s: status %d", p, resp.StatusCode)
		}
		pub.check("error of "+p, errSchema, body)
	}
	_, body := s.get(publisherBase+"/apis", "")
	pub.check("401", errSchema, body)
}

func TestContractAdmin(t *testing.T) {
	adm := loadSpec(t, "apim-2.6-admin-api-v0.14.yaml")
	for _, hostile := range []bool{false, true} {
		s := startSim(t, Options{HostilePolicies: hostile})
		tok := s.adminToken()
		for _, level := range policyLevels {
			p := "/throttling/policies/" + level
			resp, body := s.get(adminBase+p, tok)
			wantStatus(t, resp, body, http.StatusOK)
			adm.check(p, adm.response(p, http.MethodGet, 200), body)
		}
		groups := 0
		for id := range s.srv.cat.advanced {
			p := "/throttling/policies/advanced/" + id
			resp, body := s.get(adminBase+p, tok)
			wantStatus(t, resp, body, http.StatusOK)
			adm.check(p, adm.response("/throttling/policies/advanced/{policyId}", http.MethodGet, 200), body)
			groups += strings.Count(string(body), `"conditions"`)
		}
		if groups < 3 {
			t.Errorf("the advanced policies hold %d conditional groups, want the fixture's 3 or more", groups)
		}
		// A token without apim:bl_view is refused; with it the list comes.
		resp, body := s.get(adminBase+"/throttling/blacklist", tok)
		wantStatus(t, resp, body, http.StatusUnauthorized)
		resp, body = s.get(adminBase+"/throttling/blacklist", s.login("admin", "admin", "apim:bl_view").AccessToken)
		wantStatus(t, resp, body, http.StatusOK)
		adm.check("/throttling/blacklist", adm.response("/throttling/blacklist", http.MethodGet, 200), body)
		for _, typ := range []string{`"IP"`, `"IPRANGE"`, `"USER"`, `"APPLICATION"`, `"API"`} {
			if !strings.Contains(string(body), `"conditionType": `+typ) && !strings.Contains(string(body), `"conditionType":`+typ) {
				t.Errorf("the blocking conditions lack type %s: %s", typ, body)
			}
		}
		if hostile != strings.Contains(string(body), "hostile-user") {
			t.Errorf("hostile %v, body %s", hostile, body)
		}
		_, body = s.get(adminBase+"/throttling/blacklist", s.login("viewer", "viewer", "apim:tier_view").AccessToken)
		adm.check("401", adm.component("Error"), body)
		resp, body = s.get(adminBase+"/throttling/policies/advanced/no-such-id", tok)
		wantStatus(t, resp, body, http.StatusNotFound)
		adm.check("404", adm.component("Error"), body)
		_, body = s.get(adminBase+"/throttling/policies/application", s.login("viewer", "viewer", "apim:tier_view").AccessToken)
		adm.check("401", adm.component("Error"), body)
		if !strings.Contains(string(body), "Unauthenticated") {
			t.Errorf("viewer got %s", body)
		}
	}
}
