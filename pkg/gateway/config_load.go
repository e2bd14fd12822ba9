package gateway

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// ConfigError lists every problem found in a configuration.
type ConfigError struct {
	Problems []string
}

// Error implements error.
func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid configuration: " + e.Problems[0]
	}
	return "invalid configuration:\n  " + strings.Join(e.Problems, "\n  ")
}

// compiledInName names Spec.DefaultConfig in error messages.
const compiledInName = "compiled-in gateway.yaml"

// LoadConfig builds the configuration for spec from, in rising precedence:
// the built-in defaults, spec.DefaultConfig, the YAML file (skipped when
// file is empty) and the MGW_* variables in env ("NAME=value" entries, as
// os.Environ returns). It reports every problem at once in a
// *ConfigError whose lines start with "file:line: key:" or the variable's
// name. Secrets never appear in errors.
func LoadConfig(spec *Spec, file string, env []string) (Config, error) {
	cfg := DefaultConfig()
	cfg.origins = map[string]string{}
	var problems []string
	if spec.DefaultConfig != "" {
		problems = append(problems, cfg.layer([]byte(spec.DefaultConfig), compiledInName)...)
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: cannot read the config file: %s", file, pathErr(err)))
		} else {
			problems = append(problems, cfg.layer(data, file)...)
		}
	}
	problems = append(problems, cfg.applyEnv(spec, env)...)
	cfg.Tracing.readOTELEnv(env)
	problems = append(problems, cfg.readSecretFiles()...)
	problems = append(problems, cfg.validate(spec)...)
	if len(problems) > 0 {
		return cfg, &ConfigError{Problems: problems}
	}
	return cfg, nil
}

// layer decodes one YAML document (yaml.v3) onto c.
func (c *Config) layer(data []byte, name string) []string {
	n, err := parseYAML(data)
	if err != nil {
		var se *yamlSyntaxError
		if errors.As(err, &se) {
			return []string{fmt.Sprintf("%s:%d: %s", name, se.Line, se.Msg)}
		}
		return []string{fmt.Sprintf("%s: %v", name, err)}
	}
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return []string{fmt.Sprintf("%s:%d: the top level must be a mapping of keys (such as \"http:\"), not a %s", name, n.Line, kindName(n))}
	}
	d := &configDecoder{onSet: func(p string, line int) {
		c.origins[p] = fmt.Sprintf("%s:%d", name, line)
	}}
	var out []string
	for _, p := range d.decode(n, c) {
		out = append(out, fmt.Sprintf("%s:%d: %s: %s", name, p.Line, p.Path, p.Msg))
	}
	return out
}

// secretFile pairs a secret with the file it may be read from.
type secretFile struct {
	secret   *Secret
	path     string // key path of the secret
	filePath string // key path of the file option
	file     string
}

func (c *Config) secretFiles() []secretFile {
	out := []secretFile{
		{&c.KeyManager.Password, "key_manager.password", "key_manager.password_file", c.KeyManager.PasswordFile},
		{&c.Analytics.Password, "analytics.password", "analytics.password_file", c.Analytics.PasswordFile},
		{&c.Redis.URL, "redis.url", "redis.url_file", c.Redis.URLFile},
	}
	for _, key := range sortedKeys(c.APIs) {
		o := c.APIs[key]
		for _, e := range []struct {
			name string
			ep   *EndpointOverride
		}{{"production", o.Production}, {"sandbox", o.Sandbox}} {
			if e.ep == nil {
				continue
			}
			base := joinPath(joinPath("apis", key), e.name)
			out = append(out, secretFile{&e.ep.Password, base + ".password", base + ".password_file", e.ep.PasswordFile})
		}
	}
	return out
}

// readSecretFiles fills secrets from their *_file options. A secret set
// directly (from the environment) wins over a file set in a config file;
// setting both through the environment is an error.
func (c *Config) readSecretFiles() []string {
	var problems []string
	for _, s := range c.secretFiles() {
		if s.file == "" {
			continue
		}
		if *s.secret != "" {
			if isEnvOrigin(c.origin(s.filePath)) {
				problems = append(problems, fmt.Sprintf("%s and %s: set only one of them", c.origin(s.path), c.origin(s.filePath)))
			} else {
				c.warnings = append(c.warnings, fmt.Sprintf("%s: ignored because %s is set", c.where(s.filePath), c.origin(s.path)))
			}
			continue
		}
		data, err := os.ReadFile(s.file)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: cannot read %s: %s", c.where(s.filePath), s.file, pathErr(err)))
			continue
		}
		*s.secret = Secret(strings.TrimRight(string(data), "\r\n"))
		c.origins[s.path] = c.origin(s.filePath)
	}
	return problems
}

// pathErr drops the path an *fs.PathError repeats.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func isEnvOrigin(o string) bool { return strings.HasPrefix(o, "MGW_") }

// where prefixes a problem about key path p with its origin.
func (c *Config) where(p string) string {
	switch o := c.origin(p); {
	case o == "default":
		return p
	case isEnvOrigin(o):
		return fmt.Sprintf("%s (%s)", o, p)
	default:
		return o + ": " + p
	}
}
