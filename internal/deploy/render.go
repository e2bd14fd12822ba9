package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Names of the rendered files.
const (
	DeploymentFile    = "deployment.yaml"
	ServiceFile       = "service.yaml"
	ConfigMapFile     = "configmap.yaml"
	SecretFile        = "secret.yaml"
	HPAFile           = "hpa.yaml"
	PDBFile           = "pdb.yaml"
	KustomizationFile = "kustomization.yaml"
)

// Paths and timings inside the pod; docs/DEPLOY.md explains them.
const (
	configDir        = "/etc/mgw"
	configKey        = "gateway.yaml"
	analyticsMount   = "/var/lib/mgw/analytics"
	preStopSeconds   = 5 // endpoint removal reaching kube-proxy and ingresses
	drainMarginSecs  = 5 // flushing analytics and exiting after the grace
	annotationPrefix = "mgwio.github.io/"
	nonRootID        = 65532
)

// target is what Render resolved from a Config and Inputs.
type target struct {
	cfg       *Config
	in        Inputs
	name      string
	image     string
	labels    map[string]string // every object
	selector  map[string]string // pods of this gateway
	analytics string            // absolute analytics folder, "" when off
	secretEnv []string          // sorted, deduplicated
}

// Render returns the manifests for one gateway: file name → YAML bytes.
// The output depends only on cfg and in, byte for byte. hpa.yaml is left
// out when autoscaling is off; secret.yaml is rendered but not listed in
// kustomization.yaml (docs/DEPLOY.md says why).
func Render(cfg *Config, in Inputs) (map[string][]byte, error) {
	if cfg == nil {
		cfg = Defaults()
	}
	t, err := resolve(cfg, in)
	if err != nil {
		return nil, err
	}
	objects := []struct {
		file string
		obj  any
		note string
	}{
		{DeploymentFile, t.deployment(), ""},
		{ServiceFile, t.service(), ""},
		{ConfigMapFile, t.configMap(), "The data is labels/" + in.Label + "/gateway.yaml, read with --config; the gateway's own\n# defaults and MGW_* variables apply as in pkg/gateway/CONFIG.md.\n"},
		{SecretFile, t.secret(), t.secretNote()},
		{PDBFile, t.pdb(), ""},
		{KustomizationFile, t.kustomization(), "secret.yaml is not listed on purpose: create the Secret once (see that file), so\n# that kubectl apply -k never overwrites its values.\n"},
	}
	if cfg.Autoscaling.Enabled {
		objects = append(objects, struct {
			file string
			obj  any
			note string
		}{HPAFile, t.hpa(), ""})
	}
	files := make(map[string][]byte, len(objects))
	for _, o := range objects {
		b, err := encode(in.Label, o.note, o.obj)
		if err != nil {
			return nil, fmt.Errorf("rendering %s: %w", o.file, err)
		}
		files[o.file] = b
	}
	return files, nil
}

// resolve checks cfg and in and works out names, image and volumes.
func resolve(cfg *Config, in Inputs) (*target, error) {
	var problems []string
	problems = append(problems, cfg.validate(noLines)...)
	name, err := ObjectName(in.Label)
	if err != nil {
		return nil, fmt.Errorf("rendering manifests: %w", err)
	}
	t := &target{cfg: cfg, in: in, name: name}
	t.image = defaultImage(in.Label, name)
	switch {
	case in.Image != "":
		t.image = in.Image
	case cfg.Image != "":
		t.image = cfg.Image
	}
	if err := checkImage(t.image); err != nil {
		problems = append(problems, "image: "+err.Error())
	}
	if !in.HTTPEnabled && !in.HTTPSEnabled {
		problems = append(problems, "the gateway has no listener (http.enabled is false and https has no certificate)")
	}
	for _, p := range []struct {
		on   bool
		key  string
		port int
	}{{in.HTTPEnabled, "http.port", in.HTTPPort}, {in.HTTPSEnabled, "https.port", in.HTTPSPort}} {
		if p.on && (p.port < 1 || p.port > 65535) {
			problems = append(problems, fmt.Sprintf("%s: %d cannot be published; use 1-65535", p.key, p.port))
		}
	}
	if in.HTTPEnabled && in.HTTPSEnabled && in.HTTPPort == in.HTTPSPort {
		problems = append(problems, fmt.Sprintf("http.port and https.port are both %d", in.HTTPPort))
	}
	if !utf8.ValidString(in.GatewayYAML) {
		problems = append(problems, "gateway.yaml is not valid UTF-8")
	}
	if in.ShutdownDelay < 0 || in.ShutdownGrace < 0 {
		problems = append(problems, "server.shutdown_delay and server.shutdown_grace must not be negative")
	}
	if in.AnalyticsDir != "" {
		t.analytics = in.AnalyticsDir
		if !path.IsAbs(t.analytics) {
			t.analytics = analyticsMount
		}
		t.analytics = path.Clean(t.analytics)
		if t.analytics == "/" || t.analytics == configDir || strings.HasPrefix(t.analytics, configDir+"/") {
			problems = append(problems, fmt.Sprintf("analytics.dir %q cannot be a writable volume; use a folder such as %s", in.AnalyticsDir, analyticsMount))
		}
	}
	t.secretEnv = append(slices.Clone(in.SecretEnv), cfg.SecretEnv...)
	slices.Sort(t.secretEnv)
	t.secretEnv = slices.Compact(t.secretEnv)
	for _, s := range t.secretEnv {
		if !envNameRE.MatchString(s) {
			problems = append(problems, fmt.Sprintf("secret variable %q is not a variable name", s))
		}
		if _, ok := cfg.Env[s]; ok {
			problems = append(problems, fmt.Sprintf("env: %s: the gateway reads it as a secret; remove it from env and put it in the Secret", s))
		}
	}
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	t.selector = map[string]string{"app.kubernetes.io/name": name}
	t.labels = commonLabels(name)
	return t, nil
}

// defaultImage is the image mgw build --image names a label's image when
// given no reference (internal/image.DefaultRef: mgw/<label lower-cased,
// trimmed of '.', '_', '-'>:latest), or mgw/<name>:latest when that is
// not a valid reference (such as "a..b").
func defaultImage(label, name string) string {
	ref := "mgw/" + strings.Trim(strings.ToLower(label), "._-") + ":latest"
	if checkImage(ref) != nil {
		ref = "mgw/" + name + ":latest"
	}
	return ref
}

// commonLabels are the recommended labels every object carries (and
// kustomization.yaml adds to anything listed next to them).
func commonLabels(name string) map[string]string {
	return map[string]string{
		"app.kubernetes.io/name":       name,
		"app.kubernetes.io/part-of":    "mgw",
		"app.kubernetes.io/managed-by": "mgw",
	}
}

// encode writes the header comment and obj as YAML. Every user string
// reaches the output through the encoder; the header only holds the
// label, which ObjectName has checked against [A-Za-z0-9._-]+.
func encode(label, note string, obj any) ([]byte, error) {
	if !labelRE.MatchString(label) {
		return nil, errors.New("invalid label")
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Generated by mgw build --k8s for label %s; edit labels/%s/deploy.yaml instead.\n", label, label)
	if note != "" {
		b.WriteString("# " + note)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(obj); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
