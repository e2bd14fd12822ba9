package gateway

import (
	"embed"
	"io/fs"
	"strings"
)

// source is this package's own source tree. mgw copies it into every
// gateway's build module, next to a vendor/ folder with the third-party
// packages it imports (internal/runtimedeps). This file itself is not
// copied, so gateways do not carry their own source.
//
//go:embed *
var source embed.FS

// sourceFile is the name of this file, left out of the copy.
const sourceFile = "embed.go"

// Source returns the runtime's source tree (tests, test data and this file
// excluded), keyed by slash path relative to pkg/gateway.
func Source() (map[string][]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(source, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == "testdata" {
				return fs.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(p, "_test.go") || p == sourceFile {
			return nil
		}
		data, err := source.ReadFile(p)
		if err != nil {
			return err
		}
		files[p] = data
		return nil
	})
	return files, err
}
