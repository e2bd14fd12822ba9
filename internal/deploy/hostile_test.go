package deploy

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// hostile strings try to become YAML structure or template syntax.
var hostile = []string{
	`"quoted" 'single'`,
	"line one\nkind: Secret\nmetadata:\n  name: evil",
	"{{ .Values.password }}",
	"key: value",
	"- item",
	"--- \n...\n---",
	"# not a comment",
	"&anchor *alias !!binary",
	" leading and trailing spaces ",
	"tab\there\r\nCRLF",
	"@at `backtick` %percent |pipe >gt",
	"null",
	"true",
	"0x1F",
	"\u2028line separator\u0085next line",
	"",
}

func TestHostileStringsStayData(t *testing.T) {
	cfg := Defaults()
	cfg.Env = map[string]string{}
	cfg.PodAnnotations = map[string]string{}
	in := defaultInputs()
	in.Label = "-x.Y_z-"
	in.APIs = slices.Clone(hostile)
	in.GatewayYAML = strings.Join(hostile, "\n")
	for i, h := range hostile {
		cfg.Env["V"+strings.Repeat("X", i)] = h
		cfg.PodAnnotations["example.com/a"+strings.Repeat("b", i)] = h
	}
	files, err := Render(cfg, in)
	if err != nil {
		t.Fatal(err)
	}
	topKeys := map[string][]string{
		DeploymentFile:    {"apiVersion", "kind", "metadata", "spec"},
		ConfigMapFile:     {"apiVersion", "data", "kind", "metadata"},
		SecretFile:        {"apiVersion", "kind", "metadata", "stringData", "type"},
		ServiceFile:       {"apiVersion", "kind", "metadata", "spec"},
		HPAFile:           {"apiVersion", "kind", "metadata", "spec"},
		PDBFile:           {"apiVersion", "kind", "metadata", "spec"},
		KustomizationFile: {"apiVersion", "kind", "labels", "resources"},
	}
	docs := map[string]map[string]any{}
	for n, b := range files {
		docs[n] = decodeOne(t, n, b)
		if got := sortedKeys(docs[n]); !slices.Equal(got, topKeys[n]) {
			t.Errorf("%s: top-level keys %v, want %v", n, got, topKeys[n])
		}
	}

	dep := docs[DeploymentFile]
	meta := dep["metadata"].(map[string]any)
	if got := meta["name"]; got != "x-y-z" {
		t.Errorf("name %q", got)
	}
	ann := meta["annotations"].(map[string]any)
	var apis []string
	if err := json.Unmarshal([]byte(ann[annotationPrefix+"apis"].(string)), &apis); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(apis, hostile) {
		t.Errorf("apis annotation gives %q, want %q", apis, hostile)
	}
	if ann[annotationPrefix+"label"] != in.Label {
		t.Errorf("label annotation %q", ann[annotationPrefix+"label"])
	}

	pod := dig(dep, "spec", "template").(map[string]any)
	podAnn := dig(pod, "metadata", "annotations").(map[string]any)
	for k, v := range cfg.PodAnnotations {
		if podAnn[k] != v {
			t.Errorf("pod annotation %s = %q, want %q", k, podAnn[k], v)
		}
	}
	c := dig(pod, "spec", "containers").([]any)[0].(map[string]any)
	gotEnv := map[string]string{}
	for _, e := range c["env"].([]any) {
		e := e.(map[string]any)
		if v, ok := e["value"].(string); ok {
			gotEnv[e["name"].(string)] = v
		}
	}
	if !maps.Equal(gotEnv, cfg.Env) {
		t.Errorf("env gives %q, want %q", gotEnv, cfg.Env)
	}
	if got := dig(docs[ConfigMapFile], "data", "gateway.yaml"); got != in.GatewayYAML {
		t.Errorf("gateway.yaml gives %q, want %q", got, in.GatewayYAML)
	}
}

func TestHostileLabelRefused(t *testing.T) {
	for _, label := range []string{"demo\nkind: Secret", "demo: x", "{{x}}", "a b", "", "---"} {
		in := defaultInputs()
		in.Label = label
		if _, err := Render(Defaults(), in); err == nil {
			t.Errorf("label %q accepted", label)
		}
	}
	in := defaultInputs()
	in.SecretEnv = []string{"MGW_X\nkind: Secret"}
	if _, err := Render(Defaults(), in); err == nil {
		t.Error("a secret name with a newline accepted")
	}
	in = defaultInputs()
	in.Image = "mgw/demo:latest\nkind: Secret"
	if _, err := Render(Defaults(), in); err == nil {
		t.Error("an image with a newline accepted")
	}
}

// decodeOne decodes a file that must hold exactly one YAML document.
func decodeOne(t *testing.T, name string, b []byte) map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var more any
	if err := dec.Decode(&more); err == nil {
		t.Fatalf("%s holds more than one document", name)
	}
	return doc
}

// dig follows map keys.
func dig(v any, keys ...string) any {
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
