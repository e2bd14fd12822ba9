package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// k8sKinds maps apiVersion/kind to the OpenAPI schema of Kubernetes
// v1.34.2 (testdata/k8s-openapi/SOURCE.md).
var k8sKinds = map[string]string{
	"apps/v1/Deployment":                     "io.k8s.api.apps.v1.Deployment",
	"v1/Service":                             "io.k8s.api.core.v1.Service",
	"v1/ConfigMap":                           "io.k8s.api.core.v1.ConfigMap",
	"v1/Secret":                              "io.k8s.api.core.v1.Secret",
	"autoscaling/v2/HorizontalPodAutoscaler": "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
	"policy/v1/PodDisruptionBudget":          "io.k8s.api.policy.v1.PodDisruptionBudget",
}

// k8sValidator checks objects against Kubernetes' schemas in strict mode.
type k8sValidator struct {
	schemas openapi3.Schemas
}

// newK8sValidator loads the trimmed schemas and, as kubeconform's strict
// mode does, forbids properties a schema does not list: Kubernetes' own
// schemas leave additionalProperties open, and the API server would drop
// a misspelt field such as readinesProbe without a word.
func newK8sValidator(t testing.TB) *k8sValidator {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("testdata/k8s-openapi/schemas.json")
	if err != nil {
		t.Fatalf("loading the Kubernetes schemas: %v", err)
	}
	// Kubernetes writes `default: {}` for objects with required fields,
	// which the schema itself does not satisfy; that is not ours to judge.
	if err := doc.Validate(context.Background(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		t.Fatalf("the Kubernetes schemas: %v", err)
	}
	seen := map[*openapi3.Schema]bool{}
	for _, ref := range doc.Components.Schemas {
		strictSchema(ref.Value, seen)
	}
	return &k8sValidator{schemas: doc.Components.Schemas}
}

func strictSchema(s *openapi3.Schema, seen map[*openapi3.Schema]bool) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	if len(s.Properties) > 0 && s.AdditionalProperties.Schema == nil {
		no := false
		s.AdditionalProperties.Has = &no
	}
	for _, p := range s.Properties {
		strictSchema(p.Value, seen)
	}
	if s.Items != nil {
		strictSchema(s.Items.Value, seen)
	}
	if s.AdditionalProperties.Schema != nil {
		strictSchema(s.AdditionalProperties.Schema.Value, seen)
	}
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for _, r := range list {
			strictSchema(r.Value, seen)
		}
	}
}

// validate checks every document of a YAML stream; it returns all
// problems found.
func (v *k8sValidator) validate(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var errs []error
	for i := 0; ; i++ {
		var obj any
		err := dec.Decode(&obj)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("document %d: %w", i, err)
		}
		if obj == nil {
			continue
		}
		if err := v.validateObject(obj); err != nil {
			errs = append(errs, fmt.Errorf("document %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func (v *k8sValidator) validateObject(obj any) error {
	// Through JSON, so values have the types encoding/json gives them.
	b, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	var value map[string]any
	if err := json.Unmarshal(b, &value); err != nil {
		return err
	}
	apiVersion, _ := value["apiVersion"].(string)
	kind, _ := value["kind"].(string)
	name, ok := k8sKinds[apiVersion+"/"+kind]
	if !ok {
		return fmt.Errorf("no schema for apiVersion %q kind %q", apiVersion, kind)
	}
	s := v.schemas[name].Value
	if err := checkGVK(s, apiVersion, kind); err != nil {
		return err
	}
	if err := s.VisitJSON(value, openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("%s %s: %w", kind, name, err)
	}
	return nil
}

// checkGVK compares apiVersion and kind with the schema's
// x-kubernetes-group-version-kind.
func checkGVK(s *openapi3.Schema, apiVersion, kind string) error {
	raw, _ := json.Marshal(s.Extensions["x-kubernetes-group-version-kind"])
	var gvks []struct{ Group, Version, Kind string }
	if err := json.Unmarshal(raw, &gvks); err != nil {
		return fmt.Errorf("schema for %s has no group-version-kind: %v", kind, err)
	}
	for _, g := range gvks {
		av := g.Version
		if g.Group != "" {
			av = g.Group + "/" + g.Version
		}
		if av == apiVersion && g.Kind == kind {
			return nil
		}
	}
	return fmt.Errorf("apiVersion %s kind %s does not match the schema's %v", apiVersion, kind, gvks)
}

func TestManifestsMatchKubernetesSchemas(t *testing.T) {
	v := newK8sValidator(t)
	for _, c := range renderCases() {
		t.Run(c.name, func(t *testing.T) {
			files, err := Render(c.cfg(t), c.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range sortedKeys(files) {
				if n == KustomizationFile {
					continue // not a Kubernetes object; kustomize_test.go
				}
				if err := v.validate(files[n]); err != nil {
					t.Errorf("%s: %v", n, err)
				}
			}
		})
	}
}

// TestSchemaValidatorCatches proves the check can fail: a misspelt field,
// a wrong type and a bad enum-like shape are each refused.
func TestSchemaValidatorCatches(t *testing.T) {
	v := newK8sValidator(t)
	files, err := Render(Defaults(), defaultInputs())
	if err != nil {
		t.Fatal(err)
	}
	good := string(files[DeploymentFile])
	if err := v.validate([]byte(good)); err != nil {
		t.Fatalf("the unmodified deployment fails: %v", err)
	}
	for _, c := range []struct {
		name, old, new, want string
	}{
		{"misspelt field", "readinessProbe:", "readinesProbe:", "readinesProbe"},
		{"misspelt nested field", "allowPrivilegeEscalation:", "allowPrivilegeEscalaton:", "allowPrivilegeEscalaton"},
		{"misspelt metadata field", "  labels:", "  lables:", "lables"},
		{"wrong type", "terminationGracePeriodSeconds: 40", "terminationGracePeriodSeconds: forty", "terminationGracePeriodSeconds"},
		{"string for a list", "drop:\n                - ALL", "drop: ALL", "drop"},
		{"unknown kind", "kind: Deployment", "kind: Deploymnet", "no schema"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("the deployment lacks %q", c.old)
			}
			bad := strings.Replace(good, c.old, c.new, 1)
			err := v.validate([]byte(bad))
			if err == nil {
				t.Fatalf("accepted:\n%s", bad)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
	// Other kinds too: a Service port as text, a PDB field misspelt.
	for file, repl := range map[string][2]string{
		ServiceFile: {"port: 9090", "port: nine"},
		PDBFile:     {"maxUnavailable: 1", "maxUnavailabel: 1"},
		HPAFile:     {"minReplicas: 2", "minReplicas: [2]"},
	} {
		bad := strings.Replace(string(files[file]), repl[0], repl[1], 1)
		if bad == string(files[file]) {
			t.Fatalf("%s lacks %q", file, repl[0])
		}
		if err := v.validate([]byte(bad)); err == nil {
			t.Errorf("%s: %q accepted", file, repl[1])
		}
	}
}
