package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// loadText writes data as deploy.yaml in a fresh label folder and loads it.
func loadText(t *testing.T, data string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(dir)
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Defaults()) {
		t.Errorf("missing file: got %+v, want the defaults", cfg)
	}
	for _, text := range []string{"", "# only a comment\n", "---\n", "~\n"} {
		cfg, err := loadText(t, text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if !reflect.DeepEqual(cfg, Defaults()) {
			t.Errorf("%q: got %+v, want the defaults", text, cfg)
		}
	}
}

func TestLoadFull(t *testing.T) {
	cfg, err := Load("testdata/full")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Image:     "registry:5000/team/gw@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		Namespace: "gateways",
		Replicas:  2,
		Resources: Resources{
			Requests: ResourceList{CPU: "250m", Memory: "96Mi"},
			Limits:   ResourceList{CPU: "2", Memory: "256Mi"},
		},
		Autoscaling:    Autoscaling{Enabled: true, MinReplicas: 3, MaxReplicas: 10, TargetCPUUtilizationPercentage: 60},
		Disruption:     Disruption{MinAvailable: "50%"},
		Env:            map[string]string{"MGW_LOG_FORMAT": "json", "MGW_LOG_LEVEL": "info", "GOMEMLIMIT": "200MiB"},
		SecretEnv:      []string{"MGW_BACKEND_PROXY_URL"},
		Service:        Service{Type: "LoadBalancer"},
		PodAnnotations: map[string]string{"prometheus.io/scrape": "true", "prometheus.io/port": "9090"},
	}
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("got  %+v\nwant %+v", cfg, want)
	}
}

// badCase is one testdata/bad file: its "# want:" line is a substring of
// Load's error, its "# schema:" line says whether the JSON Schema can
// tell (reject) or only Load does (accept).
type badCase struct {
	name, text, want string
	schemaRejects    bool
}

func badCases(t *testing.T) []badCase {
	t.Helper()
	paths, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no bad cases: %v", err)
	}
	var out []badCase
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := badCase{name: filepath.Base(p), text: string(data)}
		for _, line := range strings.Split(c.text, "\n") {
			if v, ok := strings.CutPrefix(line, "# want: "); ok {
				c.want = v
			}
			if v, ok := strings.CutPrefix(line, "# schema: "); ok {
				c.schemaRejects = v == "reject"
			}
		}
		if c.want == "" {
			t.Fatalf("%s has no '# want:' line", p)
		}
		out = append(out, c)
	}
	return out
}

func TestLoadRejects(t *testing.T) {
	for _, c := range badCases(t) {
		t.Run(c.name, func(t *testing.T) {
			_, err := loadText(t, c.text)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error is %T, want *ConfigError", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error:\n%s\nwant it to contain:\n%s", err, c.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := loadText(t, "image: UPPER/Case::bad\nresources:\n  limits:\n    memory: lots\nenv:\n  MGW_PASSWORD: x\n")
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"deploy.yaml:1: image:", "deploy.yaml:4: resources.limits.memory:", "deploy.yaml:6: env.MGW_PASSWORD:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error:\n%s\nlacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "x\n") || strings.HasSuffix(err.Error(), "x") {
		t.Errorf("error echoes the secret value: %s", err)
	}
}

func TestImageReferences(t *testing.T) {
	for _, ref := range []string{
		"mgw/demo:latest",
		"registry:5000/team/gw@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		"gw",
		"localhost/gw:1.0",
		"mgw/demo:V1.2-RC",
		"ghcr.io/mgwio/gw:v1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	} {
		if err := checkImage(ref); err != nil {
			t.Errorf("%s refused: %v", ref, err)
		}
	}
	for _, ref := range []string{"UPPER/Case::bad", "mgw/demo:", "mgw demo", "mgw/demo@sha256:short", ":latest", ".a", "-x/y", "mgw/a..b:1", "mgw/a-:1"} {
		if checkImage(ref) == nil {
			t.Errorf("%q accepted", ref)
		}
	}
}

func TestObjectName(t *testing.T) {
	for label, want := range map[string]string{
		"demo":                         "demo",
		"Shop_Front.v2":                "shop-front-v2",
		"--x--":                        "x",
		"1st":                          "mgw-1st",
		strings.Repeat("a", 70):        strings.Repeat("a", 63),
		strings.Repeat("a", 62) + "-b": strings.Repeat("a", 62),
	} {
		got, err := ObjectName(label)
		if err != nil || got != want {
			t.Errorf("ObjectName(%q) = %q, %v; want %q", label, got, err, want)
		}
	}
	for _, label := range []string{"", "._-", "a b", "a/b", "a\nb"} {
		if n, err := ObjectName(label); err == nil {
			t.Errorf("ObjectName(%q) = %q, want an error", label, n)
		}
	}
}

// compileSchema compiles the published JSON Schema of deploy.yaml.
func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("deploy.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("deploy.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// schemaValue turns the first YAML document into a JSON value.
func schemaValue(t *testing.T, text string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSchema(t *testing.T) {
	s := compileSchema(t)
	for _, p := range []string{"testdata/full/deploy.yaml", "testdata/fixed.yaml"} {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(schemaValue(t, string(data))); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if err := s.Validate(schemaValue(t, "# empty\n")); err != nil {
		t.Errorf("an empty file: %v", err)
	}
	for _, c := range badCases(t) {
		err := s.Validate(schemaValue(t, c.text))
		switch {
		case c.schemaRejects && err == nil:
			t.Errorf("%s: the schema accepts it", c.name)
		case !c.schemaRejects && err != nil:
			t.Errorf("%s: marked as beyond the schema, but it refuses it: %v", c.name, err)
		}
	}
}
