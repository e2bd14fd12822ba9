// Package codegen renders the Go source of a gateway from a gateway.Spec.
//
// Generation is pure: a Spec goes in, a map of file names to formatted Go
// source comes out, identical bytes for identical input. The caller writes,
// diffs or builds the files.
package codegen

import (
	"bytes"
	"fmt"
	"go/token"
	"strconv"
	"strings"
	"text/template"

	"golang.org/x/tools/imports"

	"github.com/mgwio/mgw/pkg/gateway"
	"github.com/mgwio/mgw/templates"
)

// Files generated for a gateway's main package, in the order written.
var fileTemplates = []struct{ file, tmpl string }{
	{"main.go", "main.go.tmpl"},
	{"spec.go", "spec.go.tmpl"},
}

// Options are what Generate renders besides the Spec.
type Options struct {
	// Interceptors, when set, are the label's Go interceptors: main
	// registers them and interceptors/zz_mgw_registry.go lists them.
	Interceptors *Interceptors
}

// Interceptors are the names of the functions of the label's
// interceptors package that its APIs use. Each must be a Go identifier
// the package declares (internal/interceptors checks that); Generate
// refuses anything else.
type Interceptors struct {
	Request, Response []string
}

// RegistryFile is the registry's path in Generate's output.
const RegistryFile = "interceptors/zz_mgw_registry.go"

// Generate renders the main package of the gateway for spec.
func Generate(spec *gateway.Spec) (map[string][]byte, error) {
	return GenerateWith(spec, Options{})
}

// GenerateWith is Generate with interceptors.
func GenerateWith(spec *gateway.Spec, opts Options) (map[string][]byte, error) {
	if spec == nil {
		return nil, fmt.Errorf("codegen: nil spec")
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{
		"quote":   strconv.Quote,
		"literal": literal,
		"ident":   ident,
	}).ParseFS(templates.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("codegen: parse templates: %w", err)
	}
	data := struct {
		Label, MgwVersion string
		Spec              gateway.Spec
		PolicyCount       int
		Interceptors      bool
		Request, Response []string
	}{
		Label:       spec.Label,
		MgwVersion:  spec.MgwVersion,
		Spec:        *spec,
		PolicyCount: len(spec.Policies.Application) + len(spec.Policies.Subscription) + len(spec.Policies.Advanced),
	}
	files := fileTemplates
	if ic := opts.Interceptors; ic != nil {
		data.Interceptors, data.Request, data.Response = true, ic.Request, ic.Response
		files = append(files[:len(files):len(files)], struct{ file, tmpl string }{RegistryFile, "registry.go.tmpl"})
	}
	out := make(map[string][]byte, len(files))
	for _, ft := range files {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, ft.tmpl, data); err != nil {
			return nil, fmt.Errorf("codegen: render %s: %w", ft.file, err)
		}
		src, err := format(ft.file, buf.Bytes())
		if err != nil {
			return nil, err
		}
		out[ft.file] = src
	}
	return out, nil
}

// ident writes an interceptor name as an identifier, refusing anything
// that is not a plain ASCII Go identifier (the template aborts).
func ident(name string) (string, error) {
	ok := name != "" && name != "_" && !token.Lookup(name).IsKeyword()
	for i := 0; ok && i < len(name); i++ {
		c := name[i]
		ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
	}
	if !ok {
		return "", fmt.Errorf("interceptor name %q is not a Go identifier", name)
	}
	return name, nil
}

// format runs goimports-style formatting. On failure it reports the line of
// the raw source that did not parse, which points at the template at fault.
func format(name string, src []byte) ([]byte, error) {
	formatted, err := imports.Process(name, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8})
	if err != nil {
		return nil, fmt.Errorf("codegen: format %s: %w%s", name, err, lineOf(src, err))
	}
	return formatted, nil
}

// lineOf quotes the source line an error of the form "name:LINE:COL: ..."
// points at.
func lineOf(src []byte, err error) string {
	parts := strings.SplitN(err.Error(), ":", 3)
	if len(parts) < 3 {
		return ""
	}
	n, convErr := strconv.Atoi(parts[1])
	if convErr != nil {
		return ""
	}
	lines := strings.Split(string(src), "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return fmt.Sprintf("\n\tline %d: %s", n, lines[n-1])
}
