package apimsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// Helpers of the 3.x/4.x contract tests: loading a whole real definition
// (Swagger 2 converted with kin-openapi, or OpenAPI 3), finding the
// operation a request path answers to, and checking an answer strictly.

// loadWhole loads and validates a whole 3.x/4.x definition. The real files
// do not pass kin-openapi's document validation as they are, for reasons
// that do not touch the answers checked here, so it runs with the narrowest
// options that load them:
//   - examples are not validated: many contradict their own schema (API's
//     endpointConfig example is an object where the schema says string;
//     AdvancedThrottlePolicy's conditionalGroups example is a string
//     holding JSON where the schema says array; Document's createdTime
//     example is not a date-time; v4 MonetizationInfo's example is not one
//     of its enum values);
//   - Admin v1 (extraSiblings "schema") declares Scope.roles with a stray
//     `schema:` keyword that Swagger 2 does not have (v4 fixed it), so that
//     one unknown field is allowed.
func loadWhole(t *testing.T, file string, extraSiblings ...string) *spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	var doc *openapi3.T
	if bytes.HasPrefix(data, []byte("swagger:")) || bytes.Contains(data[:min(len(data), 4096)], []byte("\nswagger:")) {
		var doc2 openapi2.T
		if err := openapi2.UnmarshalFromData(data, &doc2); err != nil {
			t.Fatalf("parse %s: %v", file, err)
		}
		if doc, err = openapi2conv.ToV3(&doc2); err != nil {
			t.Fatalf("convert %s: %v", file, err)
		}
	} else if doc, err = openapi3.NewLoader().LoadFromData(data); err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	opts := []openapi3.ValidationOption{openapi3.DisableExamplesValidation()}
	if len(extraSiblings) > 0 {
		opts = append(opts, openapi3.AllowExtraSiblingFields(extraSiblings...))
	}
	if err := doc.Validate(t.Context(), opts...); err != nil {
		t.Fatalf("%s is not a valid definition: %v", file, err)
	}
	return &spec{t: t, doc: doc, answered: map[string]bool{}}
}

// template returns the path of the definition that a request path (below
// the base, without query) answers to, preferring literal segments over
// parameters (/apis/validate-openapi before /apis/{apiId}); "" if none.
func (s *spec) template(path string) string {
	got := strings.Split(strings.Trim(path, "/"), "/")
	best, bestParams := "", len(got)+1
	for tmpl := range s.doc.Paths.Map() {
		want := strings.Split(strings.Trim(tmpl, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		params, ok := 0, true
		for i, seg := range want {
			switch {
			case strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}"):
				params++
			case seg != got[i]:
				ok = false
			}
		}
		if ok && params < bestParams {
			best, bestParams = tmpl, params
		}
	}
	return best
}

// getOp returns the GET operation of a definition path, failing the test
// when the definition has none.
func (s *spec) getOp(tmpl string) *openapi3.Operation {
	s.t.Helper()
	item := s.doc.Paths.Value(tmpl)
	if item == nil || item.Get == nil {
		s.t.Fatalf("the definition has no GET %s", tmpl)
	}
	return item.Get
}

// queryParams returns the names of the query parameters of GET tmpl.
func (s *spec) queryParams(tmpl string) []string {
	var out []string
	for _, p := range s.getOp(tmpl).Parameters {
		if p.Value != nil && p.Value.In == openapi3.ParameterInQuery {
			out = append(out, p.Value.Name)
		}
	}
	return out
}

// answer checks the simulator's answer to GET base+target (target is the
// path below the base, with or without a query): the path must be in the
// definition with a GET that declares this status and, for a JSON body,
// the body must match that response's schema and hold no member the schema
// does not declare. A response declared as a string (GET
// /apis/{apiId}/swagger) is the text itself and is returned for the caller
// to check. It returns the definition path.
func (s *spec) answer(what, target string, status int, body []byte) string {
	s.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		s.t.Fatalf("%s: bad target %q: %v", what, target, err)
	}
	tmpl := s.template(u.Path)
	if tmpl == "" {
		s.t.Errorf("%s: the definition has no path for %s", what, u.Path)
		return ""
	}
	resp := s.getOp(tmpl).Responses.Status(status)
	if resp == nil || resp.Value == nil {
		s.t.Errorf("%s: GET %s declares no %d response", what, tmpl, status)
		return tmpl
	}
	media := resp.Value.Content.Get("application/json")
	if media == nil || media.Schema == nil {
		s.t.Errorf("%s: the %d response of GET %s has no JSON schema", what, status, tmpl)
		return tmpl
	}
	schema := media.Schema.Value
	if schema.Type.Is(openapi3.TypeString) {
		if len(bytes.TrimSpace(body)) == 0 {
			s.t.Errorf("%s: empty body for GET %s", what, tmpl)
		} else if status == http.StatusOK {
			s.answered[tmpl] = true
		}
		return tmpl
	}
	s.check(what, schema, body)
	s.strict(what, schema, body)
	if status == http.StatusOK {
		s.answered[tmpl] = true
	}
	return tmpl
}

// strict reports the members of a JSON body that schema does not declare.
// The definitions do not forbid extra members, but a real server sends only
// what its DTOs (generated from these schemas) hold, so a member the
// simulator adds is one a client could wrongly rely on.
func (s *spec) strict(what string, schema *openapi3.Schema, body []byte) {
	s.t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		s.t.Errorf("%s: %v", what, err)
		return
	}
	if extra := undeclared(schema, withoutNulls(v), "$"); len(extra) > 0 {
		s.t.Errorf("%s holds members the definition does not declare: %s\nbody: %.600s", what, strings.Join(extra, ", "), body)
	}
}

// undeclared returns the JSON paths of the members of v that schema does
// not declare. An object schema without declared properties is free-form.
func undeclared(schema *openapi3.Schema, v any, at string) []string {
	if schema == nil {
		return nil
	}
	var out []string
	switch x := v.(type) {
	case map[string]any:
		props, additional, open := declared(schema)
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			sub, ok := props[k]
			switch {
			case ok:
				out = append(out, undeclared(sub, x[k], at+"."+k)...)
			case additional != nil:
				out = append(out, undeclared(additional, x[k], at+"."+k)...)
			case !open:
				out = append(out, at+"."+k)
			}
		}
	case []any:
		if schema.Items == nil {
			return nil
		}
		for i, item := range x {
			out = append(out, undeclared(schema.Items.Value, item, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return out
}

// declared collects the properties of schema and of the parts of its
// allOf, anyOf and oneOf; additional is the schema of additionalProperties
// and open says that any member goes (no properties declared, or
// additionalProperties: true).
func declared(schema *openapi3.Schema) (props map[string]*openapi3.Schema, additional *openapi3.Schema, open bool) {
	props = map[string]*openapi3.Schema{}
	var walk func(*openapi3.Schema)
	walk = func(s *openapi3.Schema) {
		if s == nil {
			return
		}
		for name, p := range s.Properties {
			if _, seen := props[name]; !seen && p != nil {
				props[name] = p.Value
			}
		}
		if ap := s.AdditionalProperties; ap.Schema != nil && ap.Schema.Value != nil {
			additional = ap.Schema.Value
		} else if ap.Has != nil && *ap.Has {
			open = true
		}
		for _, parts := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, p := range parts {
				if p != nil {
					walk(p.Value)
				}
			}
		}
	}
	walk(schema)
	return props, additional, open || (len(props) == 0 && additional == nil)
}

// linkQuery returns the query parameter names of a paging link.
func linkQuery(t *testing.T, link string) []string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("paging link %q: %v", link, err)
	}
	var names []string
	for k := range u.Query() {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}
