package deploy

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mgwio/mgw/internal/image"
)

var (
	envNameRE   = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)
	dnsLabelRE  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	budgetRE    = regexp.MustCompile(`^(0|[1-9][0-9]{0,5})(%?)$`)
	annoNameRE  = regexp.MustCompile(`^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`)
	dnsDomainRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
)

// reservedEnv are variables the manifests derive from the gateway's
// configuration (ports, listeners, writable folders): setting them in
// deploy.yaml would make the pod disagree with its own Service and probes.
var reservedEnv = map[string]string{
	"MGW_HTTP_PORT":         "http.port",
	"MGW_HTTP_ENABLED":      "http.enabled",
	"MGW_HTTPS_PORT":        "https.port",
	"MGW_TLS_CERT_FILE":     "https.cert_file",
	"MGW_TLS_KEY_FILE":      "https.key_file",
	"MGW_ANALYTICS_ENABLED": "analytics.enabled",
	"MGW_ANALYTICS_DIR":     "analytics.dir",
	"MGW_SHUTDOWN_GRACE":    "server.shutdown_grace",
}

// isSecretEnv reports whether a variable holds a secret the gateway reads
// only from the environment: passwords, and URLs that may carry one.
func isSecretEnv(n string) bool {
	switch n {
	case "MGW_REDIS_URL", "MGW_BACKEND_PROXY_URL":
		return true
	}
	for _, s := range []string{"_PASSWORD", "_SECRET", "_TOKEN"} {
		if strings.HasSuffix(n, s) || n == s[1:] {
			return true
		}
	}
	return false
}

// validate returns every problem of c, each located with at.
func (c *Config) validate(at locator) []string {
	var out []string
	bad := func(keys []string, format string, args ...any) {
		out = append(out, at(keys...)+fmt.Sprintf(format, args...))
	}
	k := func(keys ...string) []string { return keys }

	if c.Image != "" {
		if err := checkImage(c.Image); err != nil {
			bad(k("image"), "%v", err)
		}
	}
	if c.Namespace != "" && (len(c.Namespace) > 63 || !dnsLabelRE.MatchString(c.Namespace)) {
		bad(k("namespace"), "%q is not a namespace name (a DNS-1123 label: lower-case letters, digits and '-', at most 63)", c.Namespace)
	}
	if c.Replicas < 1 {
		bad(k("replicas"), "must be at least 1")
	}
	if c.replicasSet && c.Autoscaling.Enabled {
		bad(k("replicas"), "the HorizontalPodAutoscaler sets the replica count while autoscaling.enabled is true; set autoscaling.minReplicas and maxReplicas, or autoscaling.enabled: false")
	}
	out = append(out, c.validateResources(at)...)
	a := c.Autoscaling
	if a.MinReplicas < 1 {
		bad(k("autoscaling", "minReplicas"), "must be at least 1")
	}
	if a.MaxReplicas < a.MinReplicas {
		bad(k("autoscaling", "maxReplicas"), "%d is less than minReplicas %d", a.MaxReplicas, a.MinReplicas)
	}
	if a.TargetCPUUtilizationPercentage < 1 || a.TargetCPUUtilizationPercentage > 1000 {
		bad(k("autoscaling", "targetCPUUtilizationPercentage"), "%d is out of range; use 1 to 1000 (percent of the CPU request)", a.TargetCPUUtilizationPercentage)
	}
	if a.Enabled && c.Resources.Requests.CPU == "" {
		bad(k("resources", "requests", "cpu"), "autoscaling on CPU utilisation needs a CPU request")
	}
	out = append(out, c.validateDisruption(at)...)
	for _, n := range sortedKeys(c.Env) {
		switch {
		case !envNameRE.MatchString(n):
			bad(k("env", n), "%q is not a variable name; use [A-Z_][A-Z0-9_]*", n)
		case isSecretEnv(n):
			bad(k("env", n), "%s holds a secret: list it under secretEnv and put its value in the Secret (see docs/DEPLOY.md), never in deploy.yaml", n)
		case reservedEnv[n] != "":
			bad(k("env", n), "%s is derived from the gateway configuration; set %s in labels/<label>/gateway.yaml so the Service and probes match", n, reservedEnv[n])
		case slices.Contains(c.SecretEnv, n):
			bad(k("env", n), "%s is also listed in secretEnv; keep one", n)
		}
	}
	for i, n := range c.SecretEnv {
		switch {
		case !envNameRE.MatchString(n):
			bad(k("secretEnv"), "item %d: %q is not a variable name; use [A-Z_][A-Z0-9_]*", i+1, n)
		case slices.Index(c.SecretEnv, n) < i:
			bad(k("secretEnv"), "item %d: %s is listed twice", i+1, n)
		}
	}
	switch c.Service.Type {
	case "ClusterIP", "NodePort", "LoadBalancer":
	default:
		bad(k("service", "type"), "%q is not allowed; use ClusterIP, NodePort or LoadBalancer", c.Service.Type)
	}
	for _, n := range sortedKeys(c.PodAnnotations) {
		if err := checkAnnotationKey(n); err != nil {
			bad(k("podAnnotations", n), "%v", err)
		} else if strings.HasPrefix(n, annotationPrefix) {
			bad(k("podAnnotations", n), "the prefix %s belongs to mgw", annotationPrefix)
		}
	}
	return out
}

// checkImage accepts what a container runtime pulls: registry[:port]/
// repository with a tag and/or digest. Weak validation, because strict
// validation demands an explicit registry and tag ("mgw/demo" is fine
// for a local cluster).
//
// go-containerregistry checks only the characters of the repository, so
// each of its path components is also held to the distribution grammar
// (lower-case letters and digits, joined by '.', '_', "__" or dashes):
// ".a" and "-x/y" would be refused by a registry.
func checkImage(ref string) error {
	return image.CheckReference(ref)
}

func (c *Config) validateResources(at locator) []string {
	var out []string
	lists := []struct {
		key string
		l   ResourceList
	}{{"requests", c.Resources.Requests}, {"limits", c.Resources.Limits}}
	parsed := map[string]resource.Quantity{}
	for _, l := range lists {
		for _, r := range []struct{ key, v string }{{"cpu", l.l.CPU}, {"memory", l.l.Memory}} {
			if r.v == "" {
				continue
			}
			q, err := resource.ParseQuantity(r.v)
			switch {
			case err != nil:
				out = append(out, at("resources", l.key, r.key)+fmt.Sprintf("%q is not a Kubernetes quantity (such as 100m, 0.5, 64Mi, 1Gi): %v", r.v, err))
			case q.Sign() <= 0:
				out = append(out, at("resources", l.key, r.key)+fmt.Sprintf("%q must be positive", r.v))
			default:
				parsed[l.key+"."+r.key] = q
			}
		}
	}
	for _, r := range []string{"cpu", "memory"} {
		req, ok1 := parsed["requests."+r]
		lim, ok2 := parsed["limits."+r]
		if ok1 && ok2 && req.Cmp(lim) > 0 {
			out = append(out, at("resources", "requests", r)+fmt.Sprintf("%s is more than the limit %s", req.String(), lim.String()))
		}
	}
	return out
}

func (c *Config) validateDisruption(at locator) []string {
	var out []string
	d := c.Disruption
	if d.MinAvailable != "" && d.MaxUnavailable != "" {
		return []string{at("disruption") + "set minAvailable or maxUnavailable, not both"}
	}
	key, v := "maxUnavailable", d.MaxUnavailable
	if d.MinAvailable != "" {
		key, v = "minAvailable", d.MinAvailable
	}
	if v == "" {
		return []string{at("disruption") + "set minAvailable or maxUnavailable"}
	}
	m := budgetRE.FindStringSubmatch(v)
	if m == nil {
		return []string{at("disruption", key) + fmt.Sprintf("%q is not a count (2) or a percentage (50%%)", v)}
	}
	n, _ := strconv.Atoi(m[1])
	pct := m[2] == "%"
	floor := c.Replicas
	if c.Autoscaling.Enabled {
		floor = c.Autoscaling.MinReplicas
	}
	switch {
	case pct && n > 100:
		out = append(out, at("disruption", key)+fmt.Sprintf("%s is more than 100%%", v))
	case key == "maxUnavailable" && n == 0:
		out = append(out, at("disruption", key)+"0 would forbid every voluntary eviction and block node drains")
	case key == "minAvailable" && (pct && n == 100 || !pct && int32(n) >= floor):
		out = append(out, at("disruption", key)+fmt.Sprintf("%s leaves no pod that may be evicted with %d replicas, which blocks node drains", v, floor))
	}
	return out
}

// checkAnnotationKey applies Kubernetes' qualified-name rule: an optional
// DNS subdomain prefix and "/", then a name of at most 63 characters.
func checkAnnotationKey(k string) error {
	prefix, nm, found := strings.Cut(k, "/")
	if !found {
		nm, prefix = prefix, ""
	}
	if found && (prefix == "" || len(prefix) > 253 || !dnsDomainRE.MatchString(prefix)) {
		return fmt.Errorf("%q: the prefix before '/' must be a DNS subdomain", k)
	}
	if !annoNameRE.MatchString(nm) {
		return fmt.Errorf("%q: the name must be 1-63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit", k)
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
