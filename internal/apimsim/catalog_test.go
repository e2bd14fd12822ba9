package apimsim

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

// writeFixtures copies the embedded fixtures to a temporary folder, lets
// edit change the files (path -> content; "" deletes) and returns it.
func writeFixtures(t *testing.T, edit func(files map[string]string)) fs.FS {
	t.Helper()
	files := map[string]string{}
	err := fs.WalkDir(DefaultFixtures(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(DefaultFixtures(), p)
		files[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatalf("read embedded fixtures: %v", err)
	}
	edit(files)
	dir := t.TempDir()
	for p, content := range files {
		if content == "" {
			continue
		}
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return os.DirFS(dir)
}

func TestFixturesFolderChangesWhatIsServed(t *testing.T) {
	fixtures := writeFixtures(t, func(files map[string]string) {
		p := "apis/pizzashack-1.0.0.json"
		files[p] = strings.Replace(files[p], `"version": "1.0.0"`, `"version": "1.1.0"`, 1)
		files["apis/draft-0.1.0.json"] = ""
	})
	s := startSim(t, Options{Fixtures: fixtures})
	tok := s.adminToken()
	if got := names(s.list(tok, "name:PizzaShackAPI", nil).List); len(got) != 1 || got[0] != "PizzaShackAPI 1.1.0" {
		t.Errorf("edited API: %v", got)
	}
	if got := s.list(tok, "name:DraftAPI", nil); got.Count != 0 {
		t.Errorf("deleted API still served: %v", names(got.List))
	}
	// The special labels are still there.
	if got := s.list(tok, "label:big", nil); got.Pagination.Total != BigLabelSize {
		t.Errorf("big label total = %d", got.Pagination.Total)
	}
}

func TestBadFixturesGiveClearErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(files map[string]string)
		want []string
	}{
		{"syntax error with line", func(f map[string]string) { f["apis/x.json"] = "{\n  \"id\": \"1\",\n  \"name\": oops\n}" },
			[]string{"apis/x.json", "line 3"}},
		{"unknown field", func(f map[string]string) {
			f["apis/x.json"] = `{"id":"1","nmae":"x","name":"x","version":"1","context":"/x","status":"PUBLISHED"}`
		}, []string{"apis/x.json", `unknown field "nmae"`}},
		{"missing fields", func(f map[string]string) { f["apis/x.json"] = `{"id":"1","name":"x"}` },
			[]string{"apis/x.json", "missing version, context, status"}},
		{"duplicate id", func(f map[string]string) {
			f["apis/zz-copy.json"] = f["apis/petstore-1.0.5.json"]
		}, []string{"apis/zz-copy.json", "already used by API \"PetstoreAPI\""}},
		{"count mismatch", func(f map[string]string) {
			p := "policies/application.json"
			f[p] = strings.Replace(f[p], `"count": 4`, `"count": 5`, 1)
		}, []string{"policies/application.json", "count is 5 but list has 4"}},
		{"bad limit type", func(f map[string]string) {
			p := "policies/advanced.json"
			f[p] = strings.Replace(f[p], `"BandwidthLimit"`, `"Bandwidth"`, 1)
		}, []string{"policies/advanced.json", "100KBPer2Min", "RequestCountLimit or BandwidthLimit"}},
		{"no users file", func(f map[string]string) { f["users.json"] = "" }, []string{"users.json"}},
		{"user without password", func(f map[string]string) { f["users.json"] = `{"users":[{"username":"a"}]}` },
			[]string{"users.json", "password"}},
		{"missing policy level", func(f map[string]string) { f["policies/subscription.json"] = "" }, []string{"policies/subscription.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(Options{Fixtures: writeFixtures(t, tc.edit)})
			if err == nil {
				t.Fatal("New accepted bad fixtures")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestEmbeddedFixturesHaveRequiredVariety(t *testing.T) {
	c, err := loadCatalog(DefaultFixtures(), false)
	if err != nil {
		t.Fatal(err)
	}
	var defaultVersion, customHeader, basicSecurity, sandboxLess bool
	var definitions strings.Builder
	for _, e := range c.apis {
		a := e.api
		if !hasLabel(a.Labels, "demo") {
			continue
		}
		defaultVersion = defaultVersion || a.IsDefaultVersion
		customHeader = customHeader || a.AuthorizationHeader != ""
		basicSecurity = basicSecurity || (a.EndpointSecurity != nil && a.EndpointSecurity.Type == "basic")
		sandboxLess = sandboxLess || !strings.Contains(a.EndpointConfig, "sandbox_endpoints")
		definitions.WriteString(a.APIDefinition)
	}
	for _, ext := range []string{`"x-auth-type":"None"`, `"x-throttling-tier":"10KPerMin"`, `"x-scope":"`, `"x-wso2-security"`} {
		if !strings.Contains(definitions.String(), ext) {
			t.Errorf("no demo definition has %s", ext)
		}
	}
	if !defaultVersion || !customHeader || !basicSecurity || !sandboxLess {
		t.Errorf("demo label: default version %v, custom auth header %v, basic endpoint security %v, API without sandbox %v",
			defaultVersion, customHeader, basicSecurity, sandboxLess)
	}
	for _, u := range []struct{ name, scope string }{{"admin", scopeTierView}, {"viewer", scopeAPIView}} {
		if got := c.users[u.name]; !got.hasScope(u.scope) {
			t.Errorf("user %s lacks %s", u.name, u.scope)
		}
	}
	if c.users["viewer"].hasScope(scopeTierView) || len(c.users["noscope"].Scopes) != 0 {
		t.Errorf("viewer must lack apim:tier_view and noscope must have no scope")
	}
}

func hasLabel(labels []apim.Label, name string) bool {
	for _, l := range labels {
		if l.Name == name {
			return true
		}
	}
	return false
}

func TestBackendRewrite(t *testing.T) {
	srv, err := New(Options{Backend: "http://127.0.0.1:4242/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range srv.cat.apis {
		for _, old := range DemoBackends {
			if strings.Contains(e.api.EndpointConfig, old) || strings.Contains(string(e.raw), old) {
				t.Fatalf("API %s still points at %s", e.api.Name, old)
			}
		}
	}
	found := false
	for _, e := range srv.cat.apis {
		if e.api.Name == "PizzaShackAPI" {
			found = strings.Contains(e.api.EndpointConfig, "http://127.0.0.1:4242/pizzashack") && strings.Contains(string(e.raw), "http://127.0.0.1:4242/pizzashack")
		}
	}
	if !found {
		t.Fatal("PizzaShackAPI's endpoint was not rewritten to the given backend")
	}
}
