package apidef

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mgwio/mgw/pkg/apim"
)

const fuzzSecret = "FUZZ-BACKEND-SECRET"

// FuzzFromPublisher feeds random DTOs, definitions and endpoint configs.
// Whatever FromPublisher accepts must encode, load back, convert without
// problems, and never carry the backend password.
func FuzzFromPublisher(f *testing.F) {
	fixtures, _ := filepath.Glob(filepath.Join("testdata", "dto", "*.json"))
	for _, path := range fixtures {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		var api apim.API
		if err := json.Unmarshal(data, &api); err != nil {
			f.Fatal(err)
		}
		f.Add(data, api.APIDefinition, api.EndpointConfig)
	}
	f.Add([]byte(`{"name":"a","version":"1","context":"/{version}"}`),
		`{"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a/{b}":{"get":{"x-scope":"s","x-auth-type":"None","responses":{"200":{"description":"d"}}}}}}`,
		`{"endpoint_type":"load_balance","production_endpoints":[{"url":"http://h"}]}`)
	f.Add([]byte(`{}`), "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: {'200': {description: d}}}}}\n", `{"endpoint_type":"failover","sandbox_endpoints":{"url":"https://s"}}`)
	f.Fuzz(func(t *testing.T, dtoJSON []byte, definition, endpointConfig string) {
		var api apim.API
		_ = json.Unmarshal(dtoJSON, &api)
		if definition != "" {
			api.APIDefinition = definition
		}
		if endpointConfig != "" {
			api.EndpointConfig = endpointConfig
		}
		api.EndpointSecurity = &apim.EndpointSecurity{Type: "basic", Username: "u", Password: fuzzSecret}
		doc, err := FromPublisher(api)
		if err != nil {
			if strings.Contains(err.Error(), fuzzSecret) {
				t.Fatalf("password in error: %v", err)
			}
			return
		}
		out, err := Marshal(doc)
		if err != nil {
			t.Fatalf("Marshal of an accepted API: %v", err)
		}
		if bytes.Contains(out, []byte(fuzzSecret)) {
			t.Fatal("password in the workspace file")
		}
		loaded, err := Load("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("the workspace file of an accepted API does not load: %v\n%s", err, out)
		}
		if _, problems := ToAPI("fuzz.yaml", loaded); len(problems) > 0 {
			t.Fatalf("the workspace file of an accepted API has problems: %v\n%s", Problems(problems), out)
		}
	})
}

// FuzzLoad feeds random documents. Load and ToAPI never panic, and a
// loaded document survives Encode and Load with the same meaning.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"testdata/mgw320/*.yaml", "testdata/apim/*swagger*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			data, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(petsYAML))
	f.Add([]byte(base))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte(strings.Replace(base, "paths:", "x-wso2-subscription-tiers: [Gold, '', {a: 1}]\nx-wso2-application-security: {security-types: [oauth2], optional: true}\npaths:", 1)))
	f.Add([]byte("swagger: 2.0\ninfo: {title: t, version: 1}\npaths: {/x: {get: {responses: {200: {description: d}}}}}\n"))
	f.Add([]byte(`{"openapi":"3.0.0","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"#/paths/~1a"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		api, problems := ToAPI("fuzz.yaml", doc)
		out, err := Encode(doc, "")
		if err != nil {
			t.Fatalf("Encode of a loaded document: %v", err)
		}
		again, err := Load("fuzz.yaml", out)
		if err != nil {
			t.Fatalf("an encoded document does not load: %v\n%s", err, out)
		}
		api2, problems2 := ToAPI("fuzz.yaml", again)
		if !reflect.DeepEqual(api, api2) || len(problems) != len(problems2) {
			t.Fatalf("meaning changed through Encode/Load:\n%s\n%v\n---\n%s\n%v\n---\n%s",
				jsonString(api), Problems(problems), jsonString(api2), Problems(problems2), out)
		}
	})
}

// FuzzEncodeStrings checks that any text survives Encode and Load exactly,
// as a description and as an extension value.
func FuzzEncodeStrings(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Add("line one\nline two\n\n  indented\ttab \r\n")
	f.Add(strings.Repeat(":", 2000))
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // JSON, and so the document model, cannot hold it
		}
		doc := mustDecode(t, base)
		doc.Info.Description = s
		doc.Extensions[ExtOwner] = s
		doc.Extensions["x-note-"+s] = s
		out, err := Encode(doc, "")
		if err != nil {
			t.Fatal(err)
		}
		back, err := Load("x.yaml", out)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if back.Info.Description != s || back.Extensions[ExtOwner] != s || back.Extensions["x-note-"+s] != s {
			t.Fatalf("changed: %q / %q\n%s", back.Info.Description, back.Extensions[ExtOwner], out)
		}
	})
}
