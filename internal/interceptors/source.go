// Package interceptors finds a label's Go interceptors in the workspace,
// checks them before anything compiles (package, imports, the functions
// the APIs name) and maps compiler messages about them back to the
// workspace files.
//
// Files come from interceptors/ at the workspace root (shared by every
// label) and labels/<label>/interceptors/; a label file with the same name
// as a shared one replaces it. Together they form one Go package named
// interceptors, compiled into the gateway as cmd/gateway/interceptors.
package interceptors

import (
	"path"
	"sort"
	"strings"
)

// Dir is the name of the interceptors folder, at the workspace root and in
// a label folder.
const Dir = "interceptors"

// Package is the package name every interceptor file declares.
const Package = "interceptors"

// APIPackage is the import path of the interceptor API.
const APIPackage = "github.com/mgwio/mgw/pkg/gateway/intercept"

// ModuleDir is where the files go in the build module.
const ModuleDir = "cmd/gateway/interceptors"

// RegistryFile and RegistryFunc are the generated file and function that
// list the interceptors by name; user files must not take them.
const (
	RegistryFile = "zz_mgw_registry.go"
	RegistryFunc = "MGWRegistry"
	// RegistryImport is the name the registry file imports APIPackage as.
	RegistryImport = "mgwintercept"
)

// File is one interceptor source file.
type File struct {
	// Name is the file name, as in the build module.
	Name string
	// Path is where it is in the workspace (slash-separated, relative to
	// the workspace root), for messages.
	Path string
	Data []byte
}

// Source is a label's interceptor files, sorted by name; empty means the
// label has none.
type Source struct {
	Files []File
}

// Collect merges the shared files (name → content, from interceptors/)
// with the label's (from labels/<label>/interceptors/): a label file
// replaces a shared file of the same name. Only *.go files that are not
// tests count; tests stay in the workspace for `go test`-style use.
func Collect(label string, shared, own map[string][]byte) Source {
	byName := map[string]File{}
	add := func(dir string, files map[string][]byte) {
		for name, data := range files {
			if !isSource(name) {
				continue
			}
			byName[name] = File{Name: name, Path: path.Join(dir, name), Data: data}
		}
	}
	add(Dir, shared)
	add(path.Join("labels", label, Dir), own)
	var src Source
	for _, f := range byName {
		src.Files = append(src.Files, f)
	}
	sort.Slice(src.Files, func(i, j int) bool { return src.Files[i].Name < src.Files[j].Name })
	return src
}

// isSource reports whether a file name is compiled: Go, not a test, not
// hidden.
func isSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") &&
		!strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "_") && !strings.Contains(name, "/")
}
