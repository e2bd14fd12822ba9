package apidef

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Load reads an API definition: a workspace file or a file a user imports.
// data may be YAML or JSON, OpenAPI 3.0/3.1 or Swagger 2.0 (converted to
// OpenAPI 3). The document is validated with kin-openapi, tolerating what
// real MGW 3.x definitions contain (see LoadWithWarnings). References must
// stay inside the document: no other file or URL is ever read.
//
// A failure is returned as Problems: each carries path:line where the text
// tells it, and a JSON pointer (e.g. #/paths/~1pets/get). When the document
// does not load and uses an MGW 3.x feature mgw does not support, the
// problems name that feature too.
func Load(path string, data []byte) (*openapi3.T, error) {
	doc, _, err := LoadWithWarnings(path, data)
	return doc, err
}

// LoadWithWarnings is Load that also returns the issues it tolerated: a
// dangling schema $ref (treated as any value), duplicate operation ids, a
// parameter without schema, an OAuth2 flow without scopes, a security
// requirement naming an undeclared scheme, unknown fields. None of them
// changes what the gateway does; print them so users can clean up.
func LoadWithWarnings(path string, data []byte) (*openapi3.T, []Problem, error) {
	t, err := parseTree(path, data)
	if err != nil {
		return nil, nil, asProblems(err)
	}
	unsupported := unsupportedInTree(path, t)
	d, err := decodeTree(path, t)
	if err != nil {
		return nil, nil, append(unsupported, asProblems(err)...)
	}
	warnings, errs := validate(context.Background(), path, d.doc, d.src)
	warnings = append(d.warnings, warnings...)
	if len(errs) > 0 {
		return nil, warnings, append(unsupported, errs...)
	}
	return d.doc, warnings, nil
}

// asProblems turns an error of this package into Problems.
func asProblems(err error) Problems {
	var ps Problems
	if errors.As(err, &ps) {
		return ps
	}
	var p Problem
	if errors.As(err, &p) {
		return Problems{p}
	}
	return Problems{{Message: err.Error()}}
}

// unsupportedInTree finds the MGW 3.x features mgw does not implement, with
// their lines, at the API level and on operations.
func unsupportedInTree(path string, t *tree) Problems {
	var out Problems
	check := func(m map[string]any, tokens ...string) {
		for _, k := range sortedKeys(m) {
			if what, ok := unsupportedFeatures[k]; ok {
				loc := pointer(append(tokens, k)...)
				out = append(out, Problem{Path: path, Line: t.line(loc), Location: loc, Message: unsupportedMessage(k, what)})
			}
		}
	}
	check(t.root)
	paths, _ := t.root["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		item, _ := paths[p].(map[string]any)
		for _, m := range sortedKeys(item) {
			if op, ok := item[m].(map[string]any); ok && !strings.HasPrefix(m, "x-") {
				check(op, "paths", p, m)
			}
		}
	}
	return out
}

func unsupportedMessage(ext, what string) string {
	return fmt.Sprintf("%s is not supported by mgw: %s", ext, what)
}
