// Package runtimedeps carries the gateway runtime's third-party modules
// inside mgw, so that mgw build compiles offline with an empty module
// cache.
//
// The modules are not committed: the generator (go generate, run by every
// make target) copies the module zips the runtime needs from the Go module
// cache into modules/, with a manifest, and this package embeds them. At
// gateway build time Vendor checks every zip against the go.sum hash in
// the manifest and lays out a vendor/ folder for go build -mod=vendor.
package runtimedeps

//go:generate go run ./gen

import (
	"embed"
	"io/fs"
)

// modules holds the generated manifest and zips (or only README.md when
// mgw was built without running the generator).
//
//go:embed modules
var modules embed.FS

// Embedded returns the modules compiled into this mgw: the folder that
// holds manifest.json and the zips.
func Embedded() fs.FS {
	sub, err := fs.Sub(modules, "modules")
	if err != nil {
		panic(err) // "modules" is a valid path and embedded
	}
	return sub
}
