package runtimedeps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

const regenerate = "run `go generate ./internal/runtimedeps` (every make target does)"

// embeddedManifest is the manifest compiled into this test binary.
func embeddedManifest(t *testing.T) Manifest {
	t.Helper()
	man, err := ReadManifest(Embedded())
	if errors.Is(err, ErrNotGenerated) {
		t.Fatalf("the runtime modules were not generated: %s", regenerate)
	}
	if err != nil {
		t.Fatal(err)
	}
	return man
}

// TestEmbeddedModulesMatchGoSum checks every embedded zip against mgw's
// go.sum: the hash in the manifest is go.sum's, and the zip has it.
func TestEmbeddedModulesMatchGoSum(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 3 {
			sums[f[0]+" "+f[1]] = f[2]
		}
	}
	for _, m := range embeddedManifest(t).Modules {
		want, ok := sums[m.Path+" "+m.Version]
		if !ok {
			t.Errorf("%s@%s is embedded but go.sum does not list that version: %s", m.Path, m.Version, regenerate)
			continue
		}
		if m.Sum != want {
			t.Errorf("%s@%s: manifest has %s, go.sum %s: %s", m.Path, m.Version, m.Sum, want, regenerate)
		}
		zipData, err := fs.ReadFile(Embedded(), m.Zip)
		if err != nil {
			t.Errorf("%s: %v", m.Path, err)
			continue
		}
		if _, err := verifyZip(Module{Path: m.Path, Version: m.Version, Sum: want}, zipData); err != nil {
			t.Error(err)
		}
	}
}

// TestEmbeddedModulesCoverRuntime compares the manifest with what go list
// says pkg/gateway builds from today: every third-party package at the
// version go.mod selects. A stale generation fails here.
func TestEmbeddedModulesCoverRuntime(t *testing.T) {
	have := map[string]string{} // package -> module@version
	for _, m := range embeddedManifest(t).Modules {
		for _, p := range m.Packages {
			have[p] = m.Path + "@" + m.Version
		}
	}
	cmd := exec.Command("go", "list", "-deps", "-tags", gateway.TracingBuildTag, "-json=ImportPath,Standard,Module", "./pkg/gateway/...")
	cmd.Dir = filepath.Join("..", "..")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	used := 0
	for {
		var p struct {
			ImportPath string
			Standard   bool
			Module     *struct {
				Path, Version string
				Main          bool
			}
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.Standard || p.Module == nil || p.Module.Main {
			continue
		}
		used++
		want := p.Module.Path + "@" + p.Module.Version
		if got, ok := have[p.ImportPath]; !ok {
			t.Errorf("the runtime builds %s (%s), which is not embedded: %s", p.ImportPath, want, regenerate)
		} else if got != want {
			t.Errorf("the runtime builds %s from %s, but %s is embedded: %s", p.ImportPath, want, got, regenerate)
		}
	}
	if used == 0 {
		t.Error("go list found no third-party package in pkg/gateway; this test checks nothing")
	}
}
