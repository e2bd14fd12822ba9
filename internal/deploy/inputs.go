package deploy

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/mgwio/mgw/pkg/gateway"
)

// Inputs are the facts about the built gateway that the manifests need.
type Inputs struct {
	// Label is the label name, [A-Za-z0-9._-]+; ObjectName derives the
	// Kubernetes name from it.
	Label string
	// Image is the image reference mgw build produced ("" when it made
	// none); it wins over Config.Image.
	Image string
	// APIs are the gateway's "Name/Version" list, for an annotation.
	APIs []string
	// GatewayYAML is labels/<label>/gateway.yaml ("" when absent); it
	// becomes the ConfigMap the gateway reads with --config.
	GatewayYAML string
	// HTTPEnabled says the plain-HTTP listener runs (http.enabled).
	HTTPEnabled bool
	// HTTPPort and HTTPSPort are the effective listener ports.
	HTTPPort, HTTPSPort int
	// HTTPSEnabled says the TLS listener runs (cert and key configured).
	HTTPSEnabled bool
	// ShutdownDelay and ShutdownGrace are server.shutdown_delay and
	// server.shutdown_grace: the drain the pod's grace period must cover.
	ShutdownDelay, ShutdownGrace time.Duration
	// AnalyticsDir is analytics.dir, "" when analytics is off; it needs a
	// writable volume.
	AnalyticsDir string
	// SecretEnv are the MGW_* secret variables this gateway reads.
	SecretEnv []string
}

// InputsFor computes Inputs from a built label's spec: the gateway's own
// configuration loader (gateway.LoadConfig) applied to the spec's
// compiled-in gateway.yaml, as the pod will see it before any deploy-time
// variable.
//
// Secrets are supplied at deploy time, so the load runs with a placeholder
// for each secret variable the gateway may need: without them a
// configuration that is only complete in the cluster (analytics uploads
// need a password; a password_file names a path inside the pod) would be
// refused on the build machine.
func InputsFor(spec *gateway.Spec, image string) (Inputs, error) {
	if spec == nil {
		return Inputs{}, errors.New("deploy inputs: no gateway spec")
	}
	secrets := apiPasswordVars(spec, nil)
	env := []string{"MGW_KM_PASSWORD=placeholder", "MGW_ANALYTICS_PASSWORD=placeholder", "MGW_REDIS_URL=redis://127.0.0.1:6379"}
	for _, s := range secrets {
		env = append(env, s+"=placeholder")
	}
	cfg, err := gateway.LoadConfig(spec, "", env)
	if err != nil {
		return Inputs{}, fmt.Errorf("label %s: the compiled-in gateway.yaml: %w", spec.Label, err)
	}
	in := Inputs{
		Label:         spec.Label,
		Image:         image,
		GatewayYAML:   spec.DefaultConfig,
		HTTPEnabled:   cfg.HTTP.Enabled,
		HTTPPort:      cfg.HTTP.Port,
		HTTPSPort:     cfg.HTTPS.Port,
		HTTPSEnabled:  cfg.HTTPS.CertFile != "" && cfg.HTTPS.KeyFile != "",
		ShutdownDelay: cfg.Server.ShutdownDelay,
		ShutdownGrace: cfg.Server.ShutdownGrace,
	}
	for _, a := range spec.APIs {
		in.APIs = append(in.APIs, a.Name+"/"+a.Version)
	}
	if cfg.Analytics.Enabled {
		in.AnalyticsDir = cfg.Analytics.Dir
	}
	if cfg.HTTP.Enabled && cfg.HTTP.Port == 0 || in.HTTPSEnabled && cfg.HTTPS.Port == 0 {
		return Inputs{}, fmt.Errorf("label %s: a port of 0 (any free port) cannot be published in a Service; set http.port and https.port in gateway.yaml", spec.Label)
	}
	if cfg.Security.Enabled && usesOAuth2(spec) {
		in.SecretEnv = append(in.SecretEnv, "MGW_KM_PASSWORD")
	}
	if cfg.Analytics.Enabled && cfg.Analytics.Upload {
		in.SecretEnv = append(in.SecretEnv, "MGW_ANALYTICS_PASSWORD")
	}
	if cfg.Throttling.Enabled {
		in.SecretEnv = append(in.SecretEnv, "MGW_REDIS_URL")
	}
	in.SecretEnv = append(in.SecretEnv, apiPasswordVars(spec, cfg.APIs)...)
	slices.Sort(in.SecretEnv)
	in.SecretEnv = slices.Compact(in.SecretEnv)
	return in, nil
}

// usesOAuth2 reports whether some secured resource accepts OAuth2 tokens,
// which may be opaque and checked with the key manager's password.
func usesOAuth2(spec *gateway.Spec) bool {
	for _, a := range spec.APIs {
		if a.DisableSecurity || len(a.SecurityTypes) > 0 && !slices.Contains(a.SecurityTypes, "oauth2") {
			continue
		}
		for _, r := range a.Resources {
			if !r.DisableSecurity && r.AuthType != "None" {
				return true
			}
		}
	}
	return false
}

// apiPasswordVars names MGW_API_<API>_<PRODUCTION|SANDBOX>_PASSWORD for
// every endpoint that sends backend basic auth: a username in the spec
// (API or resource level) or in the configuration's apis overrides. APIs
// whose variable names collide are left out: they can only be configured
// through password_file (CONFIG.md).
func apiPasswordVars(spec *gateway.Spec, overrides map[string]gateway.APIOverride) []string {
	count := map[string]int{}
	for i := range spec.APIs {
		count[gateway.EnvName(&spec.APIs[i])]++
	}
	var out []string
	for i := range spec.APIs {
		a := &spec.APIs[i]
		n := gateway.EnvName(a)
		if count[n] > 1 {
			continue
		}
		o := overrides[a.Name+"/"+a.Version]
		for _, e := range []struct {
			name string
			api  *gateway.Endpoint
			ov   *gateway.EndpointOverride
			res  func(r gateway.Resource) *gateway.Endpoint
		}{
			{"PRODUCTION", a.Production, o.Production, func(r gateway.Resource) *gateway.Endpoint { return r.Production }},
			{"SANDBOX", a.Sandbox, o.Sandbox, func(r gateway.Resource) *gateway.Endpoint { return r.Sandbox }},
		} {
			used := e.api != nil && e.api.BasicAuthUsername != "" || e.ov != nil && e.ov.Username != ""
			for _, r := range a.Resources {
				if ep := e.res(r); ep != nil && ep.BasicAuthUsername != "" {
					used = true
				}
			}
			if used {
				out = append(out, "MGW_API_"+n+"_"+e.name+"_PASSWORD")
			}
		}
	}
	return out
}
