package workspace

import (
	"errors"
	"strings"

	"github.com/mgwio/mgw/internal/yamlerr"
)

// yamlError rewrites yaml.v3's decoding errors as "path:line: problem"
// lines, one per problem, e.g. `mgw.yaml:3: unknown key "pasword"`.
func yamlError(path string, err error) error {
	return errors.New(strings.Join(yamlerr.Problems(path, err), "\n"))
}
