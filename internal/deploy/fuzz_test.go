package deploy

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"
)

// FuzzLoad: the deploy.yaml parser never panics; whatever it accepts
// the published JSON Schema accepts too (the schema is never stricter),
// it renders, and every rendered file is one YAML document that
// Kubernetes' schemas accept.
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/bad/*.yaml")
	seeds = append(seeds, "testdata/full/deploy.yaml", "testdata/fixed.yaml")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("env:\n  A: \"x\\ny: z\"\npodAnnotations:\n  a/b: \"{{ x }}\"\n"))
	f.Add([]byte("disruption:\n  maxUnavailable: 100%\nautoscaling:\n  enabled: false\nreplicas: 1\n"))
	v := newK8sValidator(f)
	schema := compileSchema(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := parse("deploy.yaml", data)
		if err != nil {
			if cfg != nil {
				t.Fatal("a config returned with an error")
			}
			return
		}
		var doc any
		if yaml.Unmarshal(data, &doc) == nil {
			if b, err := json.Marshal(doc); err == nil {
				if value, err := jsonschema.UnmarshalJSON(bytes.NewReader(b)); err == nil {
					if err := schema.Validate(value); err != nil {
						t.Fatalf("Load accepts what the JSON Schema refuses: %v\n%s", err, data)
					}
				}
			}
		}
		for _, in := range []Inputs{defaultInputs(), fullInputs()} {
			files, err := Render(cfg, in)
			if err != nil {
				t.Fatalf("accepted but does not render: %v\n%s", err, data)
			}
			for n, b := range files {
				var doc map[string]any
				if err := yaml.Unmarshal(b, &doc); err != nil || doc == nil {
					t.Fatalf("%s does not parse back: %v\n%s", n, err, b)
				}
				if n == KustomizationFile {
					continue
				}
				if err := v.validate(b); err != nil {
					t.Fatalf("%s: %v\n%s", n, err, b)
				}
			}
		}
	})
}
