// Package codegen renders the Go source of a gateway from a gateway.Spec.
//
// Generation is pure: a Spec goes in, a map of file names to formatted Go
// source comes out, identical bytes for identical input. The caller writes,
// diffs or builds the files.
package codegen

import (
	"bytes"
	"fmt"
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

// Generate renders the main package of the gateway for spec.
func Generate(spec *gateway.Spec) (map[string][]byte, error) {
	if spec == nil {
		return nil, fmt.Errorf("codegen: nil spec")
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{
		"quote":   strconv.Quote,
		"literal": literal,
	}).ParseFS(templates.FS, "*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("codegen: parse templates: %w", err)
	}
	data := struct {
		Label, MgwVersion string
		Spec              gateway.Spec
		PolicyCount       int
	}{
		Label:       spec.Label,
		MgwVersion:  spec.MgwVersion,
		Spec:        *spec,
		PolicyCount: len(spec.Policies.Application) + len(spec.Policies.Subscription) + len(spec.Policies.Advanced),
	}
	out := make(map[string][]byte, len(fileTemplates))
	for _, ft := range fileTemplates {
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
