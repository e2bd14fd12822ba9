package runtimedeps

import (
	"fmt"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// ExternalImports lists the packages the Go files of src (slash path to
// content) import from outside the standard library and outside module
// own, sorted. Build constraints are ignored: an import of any platform
// counts.
func ExternalImports(src map[string][]byte, own string) ([]string, error) {
	seen := map[string]bool{}
	fset := token.NewFileSet()
	for name, data := range src {
		if !strings.HasSuffix(name, ".go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, data, parser.ImportsOnly)
		if err != nil {
			return nil, fmt.Errorf("read imports of runtime file %s: %w", name, err)
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return nil, fmt.Errorf("read imports of runtime file %s: %w", name, err)
			}
			if isStd(p) || p == own || strings.HasPrefix(p, own+"/") {
				continue
			}
			seen[p] = true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// isStd reports whether an import path is a standard library one: its
// first element has no dot (the go command's rule).
func isStd(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}
