package apimsim

import (
	"embed"
	"io/fs"
)

//go:embed fixtures
var embeddedFixtures embed.FS

// DefaultFixtures returns the embedded demo data set (layout in the package
// doc), for example to copy it into a folder a test then edits.
func DefaultFixtures() fs.FS {
	sub, err := fs.Sub(embeddedFixtures, "fixtures")
	if err != nil {
		// fs.Sub only fails on an invalid path; "fixtures" is a constant.
		panic(err)
	}
	return sub
}
