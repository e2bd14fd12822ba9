package apidef

import (
	"encoding/json"
	"strings"
	"testing"
)

// hostile are strings that are odd but legal: they must come out exactly as
// they went in (code generation escapes them later).
var hostile = []string{
	`Pizza "Shack"`, "back`tick`", `back\slash\n`, "*/ end of comment /*", "}", "{", "100% %s %v %!",
	"Café ☕ 日本語 Ünïcödé", "func", "package main", "import", "${HOME}", "#{x}", "# not a comment",
	"a: b", "- item", "'single'", "&anchor", "*alias", "!tag", "null", "true", "~", "0x1F", "1e3", "010",
	"  leading", "trailing  ", "\u2028line sep", "emoji 🍕", "<script>alert(1)</script>", "'; DROP TABLE apis; --",
	"..", "a/b", "?", "--- ", "... ", "@at", "|pipe", ">gt",
}

// Through the whole setup path, hostile names, owners, policies,
// descriptions and operation ids are kept intact.
func TestHostileStringsKept(t *testing.T) {
	for _, s := range hostile {
		t.Run(s, func(t *testing.T) {
			dto := readDTO(t, "api_level_policy")
			dto.Name = s
			dto.Provider = s
			dto.Description = s
			dto.APILevelPolicy = &s
			var def map[string]any
			if err := json.Unmarshal([]byte(dto.APIDefinition), &def); err != nil {
				t.Fatal(err)
			}
			info := def["info"].(map[string]any)
			info["description"] = ""
			get := def["paths"].(map[string]any)["/items"].(map[string]any)["get"].(map[string]any)
			get["operationId"] = s
			get["x-throttling-tier"] = s
			get["description"] = s
			b, _ := json.Marshal(def)
			dto.APIDefinition = string(b)

			api, out := throughWorkspace(t, dto)
			r := api.Resources[0]
			if api.Name != s || api.Provider != s || api.ThrottlingTier != s || r.OperationID != s || r.ThrottlingTier != s {
				t.Errorf("changed: name %q provider %q tier %q operationId %q resource tier %q\n%s",
					api.Name, api.Provider, api.ThrottlingTier, r.OperationID, r.ThrottlingTier, out)
			}
			doc, err := Load("x.yaml", out)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Info.Description != s || doc.Paths.Find("/items").Get.Description != s {
				t.Errorf("description changed: %q / %q", doc.Info.Description, doc.Paths.Find("/items").Get.Description)
			}
		})
	}
}

// In user-written definitions, hostile strings are kept as well, including
// in scopes, URLs and paths where they are legal.
func TestHostileStringsImported(t *testing.T) {
	for _, s := range hostile {
		t.Run(s, func(t *testing.T) {
			q, _ := json.Marshal(s)
			scope := strings.ReplaceAll(strings.ReplaceAll(s, " ", "_"), "\u2028", "_")
			qs, _ := json.Marshal(scope)
			doc := `{"openapi": "3.0.3", "info": {"title": ` + string(q) + `, "version": "1.0"},
				"x-wso2-basePath": "/p", "x-wso2-owner": ` + string(q) + `, "x-wso2-auth-header": "X-Auth",
				"x-wso2-cors": {"access-control-allow-origins": [` + string(q) + `]},
				"x-wso2-production-endpoints": {"urls": ["https://backend.example.com/a?q=%25%22"]},
				"paths": {"/items/{id}": {"get": {"operationId": ` + string(q) + `, "x-scope": ` + string(qs) + `,
					"x-wso2-throttling-tier": ` + string(q) + `,
					"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
					"responses": {"200": {"description": ` + string(q) + `}}}}}}`
			loaded, err := Load("user.json", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			out, err := Encode(loaded, "")
			if err != nil {
				t.Fatal(err)
			}
			reloaded, err := Load("user.yaml", out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			api, problems := ToAPI("user.yaml", reloaded)
			if len(problems) > 0 {
				t.Fatal(Problems(problems))
			}
			r := api.Resources[0]
			if api.Name != s || api.Provider != s || r.OperationID != s || r.ThrottlingTier != s ||
				len(r.Scopes) != 1 || r.Scopes[0] != scope || api.CORS.AllowOrigins[0] != s ||
				api.Production.URLs[0] != "https://backend.example.com/a?q=%25%22" {
				t.Errorf("changed: %s\n%s", jsonString(api), out)
			}
		})
	}
}

// Control characters and newlines are refused with a clear problem, in
// every string that reaches the gateway.
func TestHostileStringsRejected(t *testing.T) {
	for _, bad := range []string{"a\nb", "a\rb", "a\tb", "a\x00b", "a\x1bb", "a\u0085b", "a\x7fb"} {
		for _, field := range []string{"title", "x-wso2-owner", "operationId", "x-wso2-throttling-tier", "x-scope", "path", "url", "basePath", "version"} {
			t.Run(field+"/"+bad, func(t *testing.T) {
				v := map[string]string{
					"title": "Pets", "x-wso2-owner": "alice", "operationId": "op", "x-wso2-throttling-tier": "Gold",
					"x-scope": "read", "path": "/pets", "url": "https://backend.example.com/", "basePath": "/pets", "version": "1.0",
				}
				v[field] = v[field] + bad
				q := func(k string) string { b, _ := json.Marshal(v[k]); return string(b) }
				doc := `{"openapi": "3.0.3", "info": {"title": ` + q("title") + `, "version": ` + q("version") + `},
					"x-wso2-basePath": ` + q("basePath") + `, "x-wso2-owner": ` + q("x-wso2-owner") + `,
					"x-wso2-production-endpoints": {"urls": [` + q("url") + `]},
					"paths": {` + q("path") + `: {"get": {"operationId": ` + q("operationId") + `, "x-scope": ` + q("x-scope") + `,
						"x-wso2-throttling-tier": ` + q("x-wso2-throttling-tier") + `, "responses": {"200": {"description": "ok"}}}}}}`
				d, err := decode("user.json", []byte(doc))
				if err != nil {
					t.Fatal(err)
				}
				_, problems := ToAPI("user.json", d.doc)
				if len(problems) != 1 {
					t.Fatalf("got %d problems, want 1: %v", len(problems), Problems(problems))
				}
				msg := problems[0].Message
				if !strings.Contains(msg, "contains") || strings.ContainsAny(msg, "\n\r\t\x00\x1b\x7f\u0085") {
					t.Errorf("unclear or raw message: %q", msg)
				}
			})
		}
	}
}
