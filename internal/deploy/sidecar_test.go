package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSidecarExample builds docs/DEPLOY.md's sidecar example (kept in
// testdata/sidecar, and checked to be in the document verbatim) with
// kustomize and checks the result against Kubernetes' schemas.
func TestSidecarExample(t *testing.T) {
	files := map[string][]byte{}
	paths, err := filepath.Glob("testdata/sidecar/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example: %v", err)
	}
	doc, err := os.ReadFile("../../docs/DEPLOY.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
		if !strings.Contains(string(doc), string(b)) {
			t.Errorf("docs/DEPLOY.md does not show %s as it is", p)
		}
	}
	in := defaultInputs()
	in.Label = "pizza-gw"
	gw, err := Render(Defaults(), in)
	if err != nil {
		t.Fatal(err)
	}
	files["gateway-configmap.yaml"] = gw[ConfigMapFile]

	m := kustomize(t, files)
	out, err := m.AsYaml()
	if err != nil {
		t.Fatal(err)
	}
	if err := newK8sValidator(t).validate(out); err != nil {
		t.Errorf("the sidecar example: %v\n%s", err, out)
	}
	text := string(out)
	for _, want := range []string{
		"name: app\n", "name: gateway\n", "value: http://127.0.0.1:8080/v1", "targetPort: gateway",
		"name: pizza-gw\n", "mountPath: /etc/mgw",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the built example lacks %q:\n%s", want, text)
		}
	}
}
