package interceptors

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/mgwio/mgw/pkg/gateway"
)

// Decl is where a package-level function or variable is declared.
type Decl struct {
	Path string
	Line int
}

// Checked is a Source that passed Check: what it declares and what the
// label's APIs use of it.
type Checked struct {
	Source
	// Decls are the package-level functions and variables by name.
	Decls map[string]Decl
	// Request and Response are the names the APIs use, sorted.
	Request, Response []string
}

// Check parses every file and reports, with file:line, what would not
// build or not be allowed: syntax errors, another package name, imports
// beyond the standard library and the interceptor API, names the
// generated registry needs, and interceptor names of spec that no file
// declares. Type errors are left to the compiler (see MapBuildOutput).
func Check(src Source, spec *gateway.Spec) (*Checked, []error) {
	var problems []error
	c := &Checked{Source: src, Decls: map[string]Decl{}}
	fset := token.NewFileSet()
	for _, f := range src.Files {
		if f.Name == RegistryFile {
			problems = append(problems, fmt.Errorf("%s: the file name %s is reserved for the file mgw generates; rename the file", f.Path, RegistryFile))
			continue
		}
		file, err := parser.ParseFile(fset, f.Path, f.Data, parser.SkipObjectResolution|parser.ParseComments)
		if err != nil {
			problems = append(problems, fmt.Errorf("%w", err))
			continue
		}
		if file.Name.Name != Package {
			problems = append(problems, fmt.Errorf("%s: package %s: interceptor files must be in package %s; write 'package %s'", position(fset, file.Name.Pos()), file.Name.Name, Package, Package))
		}
		for _, imp := range file.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil || !allowedImport(p) {
				problems = append(problems, fmt.Errorf("%s: import %s is not allowed: interceptors may import the standard library and %s only", position(fset, imp.Pos()), imp.Path.Value, APIPackage))
			}
		}
		for _, d := range file.Decls {
			for _, name := range declared(d) {
				if name.Name == "_" || name.Name == "init" {
					continue
				}
				if name.Name == RegistryFunc || name.Name == RegistryImport {
					problems = append(problems, fmt.Errorf("%s: the name %s is reserved for the code mgw generates; rename it", position(fset, name.Pos()), name.Name))
					continue
				}
				// Duplicates are the compiler's to report, with both places.
				if _, dup := c.Decls[name.Name]; !dup {
					pos := fset.Position(name.Pos())
					c.Decls[name.Name] = Decl{Path: pos.Filename, Line: pos.Line}
				}
			}
		}
	}
	req, res := map[string]bool{}, map[string]bool{}
	use := func(where, kind, name string, set map[string]bool) {
		if name == "" {
			return
		}
		set[name] = true
		if _, ok := c.Decls[name]; !ok {
			problems = append(problems, fmt.Errorf("%s names %s interceptor %q, but no file in %s/ or labels/%s/%s/ declares it; add %s", where, kind, name, Dir, spec.Label, Dir, signature(kind, name)))
		}
	}
	for i := range spec.APIs {
		a := &spec.APIs[i]
		where := fmt.Sprintf("API %s:%s", a.Name, a.Version)
		use(where, "request", a.RequestInterceptor, req)
		use(where, "response", a.ResponseInterceptor, res)
		for j := range a.Resources {
			r := &a.Resources[j]
			where := fmt.Sprintf("API %s:%s resource %s %s", a.Name, a.Version, r.Method, r.Path)
			use(where, "request", r.RequestInterceptor, req)
			use(where, "response", r.ResponseInterceptor, res)
		}
	}
	c.Request, c.Response = sortedKeys(req), sortedKeys(res)
	if len(problems) > 0 {
		return nil, problems
	}
	return c, nil
}

// signature is the declaration an interceptor needs.
func signature(kind, name string) string {
	if kind == "request" {
		return fmt.Sprintf("func %s(req *intercept.Request) *intercept.Response", name)
	}
	return fmt.Sprintf("func %s(res *intercept.Response)", name)
}

// allowedImport accepts the interceptor API and the standard library: a
// path whose first element has no dot, except cgo and the toolchain's own
// commands. A path that only looks standard fails in the compiler, which
// names the file and line too.
func allowedImport(p string) bool {
	if p == APIPackage {
		return true
	}
	first, _, _ := strings.Cut(p, "/")
	return p != "" && p != "C" && !strings.Contains(first, ".") && first != "cmd" &&
		!strings.HasPrefix(p, "internal/") && !strings.HasPrefix(p, "vendor/") && !strings.Contains(p, "/internal/") && !strings.Contains(p, "\\")
}

// declared lists the package-level names a declaration introduces that an
// interceptor name may refer to: functions (not methods) and variables.
func declared(d ast.Decl) []*ast.Ident {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			return []*ast.Ident{d.Name}
		}
	case *ast.GenDecl:
		var out []*ast.Ident
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.ValueSpec:
				out = append(out, s.Names...)
			case *ast.TypeSpec:
				out = append(out, s.Name)
			}
		}
		return out
	}
	return nil
}

func position(fset *token.FileSet, p token.Pos) string {
	pos := fset.Position(p)
	return fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
