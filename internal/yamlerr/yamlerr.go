// Package yamlerr rewrites yaml.v3's decoding errors ("line N: problem")
// as the "path:N: problem" lines mgw prints for every file it reads.
package yamlerr

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	lineRE    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownRE = regexp.MustCompile(`^field (\S+) not found in type .+$`)
)

// Problems returns one "path:line: problem" line per problem in err, e.g.
// `mgw.yaml:3: unknown key "pasword"`; a problem without a line is
// "path: problem".
func Problems(path string, err error) []string {
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
		if sub := lineRE.FindStringSubmatch(m); sub != nil {
			msg := sub[2]
			if u := unknownRE.FindStringSubmatch(msg); u != nil {
				msg = fmt.Sprintf("unknown key %q", u[1])
			}
			out = append(out, fmt.Sprintf("%s:%s: %s", path, sub[1], msg))
			continue
		}
		out = append(out, path+": "+m)
	}
	return out
}
