package gateway

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// envVar maps one MGW_* variable to a configuration key.
type envVar struct {
	name string
	path string
	list bool // comma-separated list
}

// envVars are the fixed MGW_* variables; CONFIG.md documents each.
var envVars = []envVar{
	{name: "MGW_HTTP_PORT", path: "http.port"},
	{name: "MGW_HTTP_ENABLED", path: "http.enabled"},
	{name: "MGW_HTTPS_PORT", path: "https.port"},
	{name: "MGW_TLS_CERT_FILE", path: "https.cert_file"},
	{name: "MGW_TLS_KEY_FILE", path: "https.key_file"},
	{name: "MGW_TLS_CLIENT_CA_FILE", path: "https.client_ca_file"},
	{name: "MGW_TRUSTED_PROXIES", path: "server.trusted_proxies", list: true},
	{name: "MGW_MAX_BODY_BYTES", path: "server.max_body_bytes"},
	{name: "MGW_SHUTDOWN_GRACE", path: "server.shutdown_grace"},
	{name: "MGW_READY_FILE", path: "server.ready_file"},
	{name: "MGW_SERVER_ENGINE", path: "server.engine"},
	{name: "MGW_BACKEND_CA_FILE", path: "backend.ca_file"},
	{name: "MGW_BACKEND_ENGINE", path: "backend.engine"},
	{name: "MGW_BACKEND_PROXY_URL", path: "backend.proxy_url"},
	{name: "MGW_BACKEND_NO_PROXY", path: "backend.no_proxy", list: true},
	{name: "MGW_VALIDATION_REQUEST", path: "validation.request"},
	{name: "MGW_VALIDATION_RESPONSE", path: "validation.response"},
	{name: "MGW_LOG_LEVEL", path: "log.level"},
	{name: "MGW_LOG_FORMAT", path: "log.format"},
	{name: "MGW_SECURITY_ENABLED", path: "security.enabled"},
	{name: "MGW_JWT_ISSUER", path: "jwt.issuer"},
	{name: "MGW_JWT_AUDIENCE", path: "jwt.audience"},
	{name: "MGW_JWT_CERT_FILE", path: "jwt.cert_file"},
	{name: "MGW_JWKS_URL", path: "jwt.jwks_url"},
	{name: "MGW_KM_URL", path: "key_manager.url"},
	{name: "MGW_KM_USERNAME", path: "key_manager.username"},
	{name: "MGW_KM_PASSWORD", path: "key_manager.password"},
	{name: "MGW_KM_PASSWORD_FILE", path: "key_manager.password_file"},
	{name: "MGW_KM_CA_FILE", path: "key_manager.ca_file"},
	{name: "MGW_ANALYTICS_ENABLED", path: "analytics.enabled"},
	{name: "MGW_ANALYTICS_DIR", path: "analytics.dir"},
	{name: "MGW_ANALYTICS_UPLOAD_URL", path: "analytics.upload_url"},
	{name: "MGW_ANALYTICS_UPLOAD_PERIOD", path: "analytics.upload_period"},
	{name: "MGW_ANALYTICS_USERNAME", path: "analytics.username"},
	{name: "MGW_ANALYTICS_PASSWORD", path: "analytics.password"},
	{name: "MGW_ANALYTICS_PASSWORD_FILE", path: "analytics.password_file"},
	{name: "MGW_ANALYTICS_UPLOAD", path: "analytics.upload"},
	{name: "MGW_ANALYTICS_ROTATE_PERIOD", path: "analytics.rotate_period"},
	{name: "MGW_ANALYTICS_ROTATE_SIZE", path: "analytics.rotate_size"},
	{name: "MGW_ANALYTICS_QUEUE_SIZE", path: "analytics.queue_size"},
	{name: "MGW_ANALYTICS_MAX_DISK_BYTES", path: "analytics.max_disk_bytes"},
	{name: "MGW_ANALYTICS_HOSTNAME", path: "analytics.hostname"},
	{name: "MGW_ANALYTICS_CA_FILE", path: "analytics.ca_file"},
	{name: "MGW_REDIS_URL", path: "redis.url"},
	{name: "MGW_REDIS_URL_FILE", path: "redis.url_file"},
	{name: "MGW_THROTTLING_ENABLED", path: "throttling.enabled"},
	{name: "MGW_THROTTLING_REDIS_FALLBACK", path: "throttling.redis_fallback"},
	{name: "MGW_OTEL_EXPORTER_OTLP_ENDPOINT", path: "tracing.endpoint"},
}

// cliVars belong to the mgw command; the gateway ignores them quietly.
var cliVars = map[string]bool{"MGW_SERVER_URL": true, "MGW_USERNAME": true, "MGW_PASSWORD": true}

// apiEnvPrefix starts per-API endpoint variables:
// MGW_API_<NAME>_<VERSION>_<PRODUCTION|SANDBOX>_<FIELD>.
const apiEnvPrefix = "MGW_API_"

// apiEnvFields are the <FIELD> parts of per-API variables, longest first.
var apiEnvFields = []struct {
	suffix string
	key    string
	list   bool
}{
	{"PASSWORD_FILE", "password_file", false},
	{"CONNECT_TIMEOUT", "connect_timeout", false},
	{"PASSWORD", "password", false},
	{"USERNAME", "username", false},
	{"TIMEOUT", "timeout", false},
	{"URLS", "urls", true},
	{"TYPE", "type", false},
}

// EnvName returns the sanitised API part of per-API variable names:
// the name and version upper-cased, every byte other than A-Z and 0-9
// replaced by "_", joined by "_". "Pet Store" 1.0.0 gives PET_STORE_1_0_0,
// so MGW_API_PET_STORE_1_0_0_PRODUCTION_URLS sets its production URLs.
func EnvName(api *API) string {
	return sanitizeEnv(api.Name) + "_" + sanitizeEnv(api.Version)
}

func sanitizeEnv(s string) string {
	b := []byte(s)
	for i, c := range b {
		switch {
		case c >= 'a' && c <= 'z':
			b[i] = c - 'a' + 'A'
		case c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
		default:
			b[i] = '_'
		}
	}
	return string(b)
}

// applyEnv layers the MGW_* variables of env onto c.
func (c *Config) applyEnv(spec *Spec, env []string) []string {
	vars := map[string]string{}
	for _, kv := range env {
		k, v, ok := strings.Cut(kv, "=")
		if ok && strings.HasPrefix(k, "MGW_") {
			vars[k] = v // later entries win, as in a process environment
		}
	}
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	known := map[string]envVar{}
	for _, e := range envVars {
		known[e.name] = e
	}
	var problems []string
	for _, name := range names {
		value := vars[name]
		if e, ok := known[name]; ok {
			problems = append(problems, c.setFromEnv(name, strings.Split(e.path, "."), value, e.list)...)
			continue
		}
		if strings.HasPrefix(name, apiEnvPrefix) {
			problems = append(problems, c.apiFromEnv(spec, name, value)...)
			continue
		}
		if !cliVars[name] {
			c.warnings = append(c.warnings, fmt.Sprintf("%s: unknown variable, ignored (see CONFIG.md for the MGW_* names)", name))
		}
	}
	return problems
}

// setFromEnv decodes value at key path with the rules of the YAML decoder.
func (c *Config) setFromEnv(name string, path []string, value string, list bool) []string {
	leaf := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value}
	if list {
		leaf = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, item := range strings.Split(value, ",") {
			if item = strings.TrimSpace(item); item != "" {
				leaf.Content = append(leaf.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
			}
		}
	}
	d := &configDecoder{allowRestricted: true, onSet: func(p string, _ int) { c.origins[p] = name }}
	var out []string
	for _, p := range d.decode(nest(path, leaf), c) {
		out = append(out, fmt.Sprintf("%s: %s", name, p.Msg))
	}
	return out
}

// apiFromEnv handles MGW_API_<NAME>_<VERSION>_<ENV>_<FIELD>.
func (c *Config) apiFromEnv(spec *Spec, name, value string) []string {
	rest := strings.TrimPrefix(name, apiEnvPrefix)
	for _, f := range apiEnvFields {
		for _, envName := range []string{"PRODUCTION", "SANDBOX"} {
			prefix, ok := strings.CutSuffix(rest, "_"+envName+"_"+f.suffix)
			if !ok {
				continue
			}
			var matches []*API
			for i := range spec.APIs {
				if EnvName(&spec.APIs[i]) == prefix {
					matches = append(matches, &spec.APIs[i])
				}
			}
			switch len(matches) {
			case 0:
				return []string{fmt.Sprintf("%s: no API of this gateway has the variable name %s; %s", name, prefix, knownAPIEnvNames(spec))}
			case 1:
			default:
				return []string{fmt.Sprintf("%s: the APIs %s/%s and %s/%s both sanitise to %s; set apis.\"name/version\" in the config file instead",
					name, matches[0].Name, matches[0].Version, matches[1].Name, matches[1].Version, prefix)}
			}
			a := matches[0]
			path := []string{"apis", a.Name + "/" + a.Version, strings.ToLower(envName), f.key}
			return c.setFromEnv(name, path, value, f.list)
		}
	}
	return []string{fmt.Sprintf("%s: per-API variables are named MGW_API_<NAME>_<VERSION>_<PRODUCTION|SANDBOX>_<URLS|TYPE|TIMEOUT|CONNECT_TIMEOUT|USERNAME|PASSWORD|PASSWORD_FILE>", name)}
}

func knownAPIEnvNames(spec *Spec) string {
	if len(spec.APIs) == 0 {
		return "this gateway has no APIs"
	}
	var names []string
	for i := range spec.APIs {
		if i == 10 {
			names = append(names, fmt.Sprintf("and %d more", len(spec.APIs)-10))
			break
		}
		names = append(names, EnvName(&spec.APIs[i]))
	}
	return "the API names are " + strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
