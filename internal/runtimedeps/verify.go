package runtimedeps

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/dirhash"
)

// verifyZip checks a module zip against its go.sum hash, as go mod verify
// does (dirhash.HashZip's algorithm, over the zip in memory), and returns
// the opened zip.
func verifyZip(m Module, data []byte) (*zip.Reader, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("embedded module %s@%s is not a readable zip (%v): this mgw's runtime modules are damaged; rebuild mgw with `make build`", m.Path, m.Version, err)
	}
	files := make([]string, 0, len(zr.File))
	byName := make(map[string]*zip.File, len(zr.File))
	for _, f := range zr.File {
		files = append(files, f.Name)
		byName[f.Name] = f
	}
	open := func(name string) (io.ReadCloser, error) {
		f := byName[name]
		if f == nil {
			return nil, fmt.Errorf("file %q not found in zip", name)
		}
		return f.Open()
	}
	sum, err := dirhash.Hash1(files, open)
	if err != nil {
		return nil, fmt.Errorf("hash embedded module %s@%s: %w", m.Path, m.Version, err)
	}
	if sum != m.Sum {
		return nil, fmt.Errorf("embedded module %s@%s does not match go.sum (zip hashes to %s, go.sum has %s): refusing to build with it; rebuild mgw with `make build`", m.Path, m.Version, sum, m.Sum)
	}
	return zr, nil
}
