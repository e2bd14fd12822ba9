package workspace

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

func newWS(t *testing.T) *Workspace {
	t.Helper()
	return &Workspace{Dir: t.TempDir(), Config: &Config{Version: 1}}
}

func TestConfigRoundTripAndSchema(t *testing.T) {
	c := &Config{
		Version: 1,
		Server:  &Server{URL: "https://apim:9443", Username: "admin", CAFile: "ca.pem", RESTVersion: "v0.14", DCRVersion: "v0.14"},
		Labels: []Label{
			{Name: "zeta", Source: SourceImport},
			{Name: "alpha", Source: SourceAPIM, API: &APIRef{Name: "Pizza", Version: "1.0"}},
		},
	}
	data, err := MarshalConfig(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseConfig("mgw.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Labels[0].Name != "alpha" {
		t.Fatalf("labels not sorted: %+v", got.Labels)
	}
	if !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: got %+v want %+v", got, c)
	}
	again, _ := MarshalConfig(got)
	if string(again) != string(data) {
		t.Fatal("marshal is not deterministic")
	}

	// The published JSON Schema accepts what mgw writes and rejects junk.
	var schema openapi3.Schema
	if err := json.Unmarshal(Schema, &schema); err != nil {
		t.Fatalf("schema: %v", err)
	}
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.VisitJSON(jsonish(t, doc)); err != nil {
		t.Fatalf("schema rejects mgw's own output: %v", err)
	}
	bad := jsonish(t, map[string]any{"version": 1, "labels": []any{map[string]any{"name": "x", "source": "apim", "password": "p"}}})
	if err := schema.VisitJSON(bad); err == nil {
		t.Fatal("schema accepts an unknown key (password)")
	}
}

// jsonish converts YAML-decoded values to what encoding/json would produce.
func jsonish(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"unknown key", "version: 1\nlabels: []\npasword: x\n", `mgw.yaml:3: unknown key "pasword"`},
		{"wrong type", "version: one\nlabels: []\n", "mgw.yaml:1: cannot unmarshal"},
		{"bad version", "version: 2\nlabels: []\n", "version: 2 is not supported"},
		{"bad label", "version: 1\nlabels:\n  - name: ../x\n    source: apim\n", "invalid label name"},
		{"dup label", "version: 1\nlabels:\n  - {name: a, source: apim}\n  - {name: a, source: import}\n", "listed twice"},
		{"bad source", "version: 1\nlabels:\n  - {name: a, source: git}\n", "source: \"git\""},
		{"empty", "", "empty file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("mgw.yaml", []byte(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestOpenMissingWorkspace(t *testing.T) {
	_, err := Open(t.TempDir())
	if !errors.Is(err, ErrNoWorkspace) || !strings.Contains(err.Error(), "mgw setup") {
		t.Fatalf("got %v", err)
	}
}

func TestCommitLabelReportsChanges(t *testing.T) {
	ws := newWS(t)
	ws.Config.SetLabel(Label{Name: "demo", Source: SourceAPIM})
	first := LabelFiles{"apis/a-1.yaml": []byte("a"), "apis/b-1.yaml": []byte("b"), PoliciesFile: []byte("p")}
	ch, err := ws.CommitLabel("demo", first, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Added) != 2 || !ch.PoliciesChanged {
		t.Fatalf("first commit: %+v", ch)
	}
	// A user's gateway.yaml and deploy.yaml survive a setup.
	if err := os.WriteFile(filepath.Join(ws.LabelDir("demo"), GatewayFile), []byte("log: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws.LabelDir("demo"), DeployFile), []byte("replicas: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := LabelFiles{"apis/a-1.yaml": []byte("a2"), "apis/c-1.yaml": []byte("c"), PoliciesFile: []byte("p")}
	ch, err = ws.CommitLabel("demo", second, false)
	if err != nil {
		t.Fatal(err)
	}
	want := Changes{Added: []string{"apis/c-1.yaml"}, Changed: []string{"apis/a-1.yaml"}, Removed: []string{"apis/b-1.yaml"}}
	if !reflect.DeepEqual(ch, want) {
		t.Fatalf("changes: got %+v want %+v", ch, want)
	}
	files, err := ws.ReadLabel("demo")
	if err != nil {
		t.Fatal(err)
	}
	if string(files[GatewayFile]) != "log: {}\n" || string(files[DeployFile]) != "replicas: 3\n" || files["apis/b-1.yaml"] != nil {
		t.Fatalf("label files after commit: %v", keys(files))
	}
	ch, err = ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("a2"), "apis/c-1.yaml": []byte("c"), PoliciesFile: []byte("p")}, false)
	if err != nil || !ch.Empty() {
		t.Fatalf("unchanged commit: %+v %v", ch, err)
	}
	if _, err := os.Stat(filepath.Join(ws.Dir, ".gitignore")); err != nil {
		t.Fatal("no .gitignore written")
	}
}

func keys(f LabelFiles) []string {
	var out []string
	for k := range f {
		out = append(out, k)
	}
	return out
}

func TestCommitLabelProtectsHandEdits(t *testing.T) {
	ws := newWS(t)
	ws.Config.SetLabel(Label{Name: "demo", Source: SourceAPIM})
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("a")}, false); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(ws.LabelDir("demo"), "apis", "a-1.yaml")
	if err := os.WriteFile(edited, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("theirs")}, false)
	var ee *EditedError
	if !errors.As(err, &ee) || !strings.Contains(err.Error(), "apis/a-1.yaml") || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(edited); string(b) != "mine" {
		t.Fatal("the hand edit was lost")
	}
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("theirs")}, true); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(edited); string(b) != "theirs" {
		t.Fatal("--force did not overwrite")
	}
}

func TestCommitLabelFailureLeavesWorkspaceIntact(t *testing.T) {
	ws := newWS(t)
	ws.Config.SetLabel(Label{Name: "demo", Source: SourceAPIM})
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("a")}, false); err != nil {
		t.Fatal(err)
	}
	// mgw.yaml cannot be replaced: a directory stands in the way of the rename.
	cfg := filepath.Join(ws.Dir, ConfigFile)
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(cfg, "blocker"), 0o755); err != nil {
		t.Fatal(err)
	}
	ws.Config.SetLabel(Label{Name: "demo", Source: SourceAPIM, API: &APIRef{Name: "x", Version: "1"}})
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/b-1.yaml": []byte("b")}, false); err == nil {
		t.Fatal("commit succeeded although mgw.yaml could not be written")
	}
	files, err := ws.ReadLabel("demo")
	if err != nil {
		t.Fatal(err)
	}
	if string(files["apis/a-1.yaml"]) != "a" || files["apis/b-1.yaml"] != nil {
		t.Fatalf("label changed by a failed commit: %v", keys(files))
	}
	entries, _ := os.ReadDir(filepath.Join(ws.Dir, StateDir, "tmp"))
	if len(entries) != 0 {
		t.Fatalf("staging left behind: %v", entries)
	}
}

func TestCredentialsEncryptedAndPrivate(t *testing.T) {
	ws := newWS(t)
	c := &Credentials{ServerURL: "https://apim:9443", Username: "admin", ClientID: "cid", ClientSecret: "very-secret", AccessToken: "tok-123", Scope: "apim:api_view", ExpiresAt: time.Now().Add(time.Hour).UTC().Round(time.Second)}
	if err := ws.SaveCredentials(c, "pw"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(ws.credentialsPath())
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(ws.credentialsPath())
	for _, secret := range []string{"very-secret", "tok-123", "cid"} {
		if strings.Contains(string(raw), secret) {
			t.Fatalf("%q stored in plain text", secret)
		}
	}
	got := ws.LoadCredentials("https://apim:9443", "admin", "pw")
	if got == nil || got.AccessToken != "tok-123" || !got.TokenValid(time.Now()) {
		t.Fatalf("load: %+v", got)
	}
	if ws.LoadCredentials("https://apim:9443", "admin", "wrong") != nil {
		t.Fatal("decrypted with the wrong password")
	}
	if ws.LoadCredentials("https://other:9443", "admin", "pw") != nil {
		t.Fatal("credentials of another server were used")
	}
	if got.TokenValid(time.Now().Add(2 * time.Hour)) {
		t.Fatal("an expired token is valid")
	}
}

func TestAPIFileName(t *testing.T) {
	tests := map[[2]string]string{
		{"PizzaShackAPI", "1.0.0"}: "PizzaShackAPI-1.0.0.yaml",
		{"../../etc", "passwd"}:    "_.._etc-passwd.yaml",
		{"a b/c", "v1\n"}:          "a_b_c-v1_.yaml",
		{"", "1"}:                  "api-1.yaml",
	}
	for in, want := range tests {
		if got := APIFileName(in[0], in[1]); got != want {
			t.Errorf("APIFileName(%q, %q) = %q, want %q", in[0], in[1], got, want)
		}
		if strings.ContainsAny(APIFileName(in[0], in[1]), "/\\\n") {
			t.Errorf("unsafe file name for %q", in)
		}
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("version: 1\nlabels:\n  - {name: a, source: apim}\n"))
	f.Add([]byte("version: 1\nserver: {url: https://x}\nlabels: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig("mgw.yaml", data)
		if err != nil {
			return
		}
		out, err := MarshalConfig(c)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseConfig("mgw.yaml", out); err != nil {
			t.Fatalf("mgw cannot read what it wrote: %v\n%s", err, out)
		}
	})
}
