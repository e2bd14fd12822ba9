package build

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"go/version"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mgwio/mgw/internal/runtimedeps"
	"github.com/mgwio/mgw/pkg/gateway"
)

func testSpec() *gateway.Spec {
	return &gateway.Spec{Label: "t", MgwVersion: "v0.0.0-test"}
}

// embeddedManifest fails the test when mgw's runtime modules were not
// generated, saying how to generate them.
func embeddedManifest(t *testing.T) runtimedeps.Manifest {
	t.Helper()
	man, err := runtimedeps.ReadManifest(runtimedeps.Embedded())
	if err != nil {
		t.Fatalf("%v (run `go generate ./internal/runtimedeps`; every make target does)", err)
	}
	if len(man.Modules) == 0 {
		t.Fatal("the runtime has no third-party module; these tests check nothing")
	}
	return man
}

func TestWriteModuleVendorsRuntimeModules(t *testing.T) {
	man := embeddedManifest(t)
	dir := t.TempDir()
	if err := WriteModule(dir, testSpec()); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	txt, err := os.ReadFile(filepath.Join(dir, "vendor", "modules.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range man.Modules {
		if !strings.Contains(string(gomod), "\t"+m.Path+" "+m.Version+"\n") {
			t.Errorf("go.mod does not require %s %s:\n%s", m.Path, m.Version, gomod)
		}
		if !strings.Contains(string(txt), "# "+m.Path+" "+m.Version+"\n## explicit") {
			t.Errorf("modules.txt does not list %s %s:\n%s", m.Path, m.Version, txt)
		}
		for _, p := range m.Packages {
			if _, err := os.Stat(filepath.Join(dir, "vendor", filepath.FromSlash(p))); err != nil {
				t.Errorf("package %s not vendored: %v", p, err)
			}
		}
	}
	// A module that needs a newer Go than MinGoMinor would make builds
	// fail with go's own message instead of mgw's toolchain check.
	for _, m := range regexp.MustCompile(`(?m)^## explicit; go (\S+)$`).FindAllStringSubmatch(string(txt), -1) {
		if version.Compare(version.Lang("go"+m[1]), fmt.Sprintf("go1.%d", MinGoMinor)) > 0 {
			t.Errorf("a runtime module needs go %s, newer than MinGoMinor 1.%d: raise MinGoMinor", m[1], MinGoMinor)
		}
	}
}

func TestWriteModuleRefusesTamperedZip(t *testing.T) {
	man := embeddedManifest(t)
	deps := fstest.MapFS{}
	err := fs.WalkDir(runtimedeps.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(runtimedeps.Embedded(), p)
		deps[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	m := man.Modules[0]
	deps[m.Zip].Data = tamper(t, deps[m.Zip].Data)
	err = writeModule(t.TempDir(), testSpec(), nil, deps)
	if err == nil {
		t.Fatal("a tampered module zip was accepted")
	}
	for _, want := range []string{m.Path + "@" + m.Version + " does not match go.sum", "make build"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestWriteModuleWithoutGeneratedModules(t *testing.T) {
	embeddedManifest(t) // the runtime needs modules
	err := writeModule(t.TempDir(), testSpec(), nil, fstest.MapFS{"README.md": {Data: []byte("x")}})
	if !errors.Is(err, runtimedeps.ErrNotGenerated) || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("error %v does not say mgw lacks its runtime modules and how to build it", err)
	}
}

// tamper rewrites a zip with one byte added to its first Go file.
func tamper(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !done && strings.HasSuffix(f.Name, ".go") {
			content, done = append(content, ' '), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
