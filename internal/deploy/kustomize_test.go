package deploy

import (
	"maps"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resmap"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// kustomize builds the rendered folder with kustomize itself, as
// kubectl apply -k does.
func kustomize(t *testing.T, files map[string][]byte) resmap.ResMap {
	t.Helper()
	fs := filesys.MakeFsInMemory()
	for n, b := range files {
		if err := fs.WriteFile("/app/"+n, b); err != nil {
			t.Fatal(err)
		}
	}
	m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, "/app")
	if err != nil {
		t.Fatalf("kustomize build: %v", err)
	}
	return m
}

func TestKustomizeBuild(t *testing.T) {
	v := newK8sValidator(t)
	for _, c := range renderCases() {
		t.Run(c.name, func(t *testing.T) {
			cfg := c.cfg(t)
			files, err := Render(cfg, c.in)
			if err != nil {
				t.Fatal(err)
			}
			m := kustomize(t, files)
			name, _ := ObjectName(c.in.Label)
			var kinds []string
			for _, r := range m.Resources() {
				kinds = append(kinds, r.GetKind())
				if got := r.GetNamespace(); got != cfg.Namespace {
					t.Errorf("%s: namespace %q, want %q", r.GetKind(), got, cfg.Namespace)
				}
				if got, want := r.GetLabels(), commonLabels(name); !maps.Equal(got, want) {
					t.Errorf("%s: labels %v, want %v", r.GetKind(), got, want)
				}
				if r.GetName() != name {
					t.Errorf("%s: name %q, want %q", r.GetKind(), r.GetName(), name)
				}
			}
			want := []string{"ConfigMap", "Deployment", "PodDisruptionBudget", "Service"}
			if cfg.Autoscaling.Enabled {
				want = append(want, "HorizontalPodAutoscaler")
			}
			slices.Sort(kinds)
			slices.Sort(want)
			if !slices.Equal(kinds, want) {
				t.Errorf("kinds %v, want %v (the Secret stays out)", kinds, want)
			}
			out, err := m.AsYaml()
			if err != nil {
				t.Fatal(err)
			}
			if err := v.validate(out); err != nil {
				t.Errorf("kustomize output: %v", err)
			}
		})
	}
}

// TestKustomizationLabelsWhatUsersAdd: the kustomization's namespace and
// labels reach a resource listed next to the generated ones.
func TestKustomizationLabelsWhatUsersAdd(t *testing.T) {
	cfg, err := Load("testdata/full")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Render(cfg, fullInputs())
	if err != nil {
		t.Fatal(err)
	}
	var k map[string]any
	if err := yaml.Unmarshal(files[KustomizationFile], &k); err != nil {
		t.Fatal(err)
	}
	k["resources"] = append(k["resources"].([]any), "extra.yaml")
	if files[KustomizationFile], err = yaml.Marshal(k); err != nil {
		t.Fatal(err)
	}
	files["extra.yaml"] = []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n")
	m := kustomize(t, files)
	for _, r := range m.Resources() {
		if r.GetName() != "extra" {
			continue
		}
		if r.GetNamespace() != "gateways" {
			t.Errorf("extra: namespace %q", r.GetNamespace())
		}
		if got := r.GetLabels(); got["app.kubernetes.io/part-of"] != "mgw" || got["app.kubernetes.io/managed-by"] != "mgw" {
			t.Errorf("extra: labels %v", got)
		}
		return
	}
	t.Fatal("extra.yaml is not in the build")
}
