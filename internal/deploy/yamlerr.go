package deploy

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// The approach of internal/workspace/yamlerr.go: yaml.v3 reports
// "line N: problem"; we want "path:N: problem".
var (
	yamlLineRE    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlUnknownRE = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// yamlProblems rewrites yaml.v3's decoding errors as "path:line: problem"
// lines, one per problem, e.g. `deploy.yaml:3: unknown key "replica"`.
func yamlProblems(path string, err error) []string {
	var te *yaml.TypeError
	var msgs []string
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		if sub := yamlLineRE.FindStringSubmatch(m); sub != nil {
			msg := sub[2]
			if u := yamlUnknownRE.FindStringSubmatch(msg); u != nil {
				msg = fmt.Sprintf("unknown key %q", u[1])
			}
			out = append(out, fmt.Sprintf("%s:%s: %s", path, sub[1], msg))
			continue
		}
		out = append(out, path+": "+m)
	}
	return out
}

// ConfigError lists every problem found in a deploy.yaml, one per line.
type ConfigError struct {
	Problems []string
}

// Error implements error.
func (e *ConfigError) Error() string { return strings.Join(e.Problems, "\n") }
