package runtimedeps

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// ManifestName is the manifest's file name in the modules folder.
const ManifestName = "manifest.json"

// Manifest lists the modules the runtime imports packages from.
type Manifest struct {
	Modules []Module `json:"modules"`
}

// Module is one third-party module of the runtime.
type Module struct {
	// Path and Version identify the module, as in go.mod.
	Path    string `json:"path"`
	Version string `json:"version"`
	// Sum is the module zip's "h1:" hash, as in go.sum.
	Sum string `json:"sum"`
	// Zip is the zip's file name in the modules folder.
	Zip string `json:"zip"`
	// Packages are the module's packages the runtime builds, directly
	// or indirectly, on any supported target.
	Packages []string `json:"packages"`
}

// ErrNotGenerated means the mgw binary was compiled without its runtime
// modules (a plain go build, without the generation step).
var ErrNotGenerated = errors.New("this mgw was compiled without the gateway runtime's third-party modules; build mgw with `make build` (or run `go generate ./internal/runtimedeps` before go build/install)")

// ReadManifest reads the manifest of the modules folder fsys. A missing
// manifest is ErrNotGenerated.
func ReadManifest(fsys fs.FS) (Manifest, error) {
	data, err := fs.ReadFile(fsys, ManifestName)
	if errors.Is(err, fs.ErrNotExist) {
		return Manifest{}, ErrNotGenerated
	}
	if err != nil {
		return Manifest{}, fmt.Errorf("read runtime module manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("read runtime module manifest: %w", err)
	}
	return m, nil
}

// Marshal encodes the manifest as the generator writes it.
func (m Manifest) Marshal() ([]byte, error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
