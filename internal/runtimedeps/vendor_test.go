package runtimedeps

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/mod/sumdb/dirhash"
)

// makeZip builds a module zip from slash paths under "path@version/".
func makeZip(t *testing.T, prefix string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(prefix + n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hashZip is go.sum's h1 hash of a zip, computed as go mod verify does.
func hashZip(t *testing.T, data []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "m.zip")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := dirhash.HashZip(file, dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

var exampleFiles = map[string]string{
	"go.mod":          "module example.com/m\n\ngo 1.22\n",
	"LICENSE":         "license text",
	"README.md":       "not vendored",
	"p/p.go":          "package p\n",
	"p/p_test.go":     "package p\n",
	"p/q/q.go":        "package q\n",
	"other/other.go":  "package other\n",
	"p/testdata/x.go": "package x\n",
}

// exampleFS is a modules folder with one module, example.com/m, whose
// packages p and p/q the runtime uses.
func exampleFS(t *testing.T, zipData []byte, sum string) fstest.MapFS {
	t.Helper()
	man := Manifest{Modules: []Module{{
		Path: "example.com/m", Version: "v1.2.3", Sum: sum, Zip: "example.com_m@v1.2.3.zip",
		Packages: []string{"example.com/m/p/q", "example.com/m/p"},
	}}}
	data, err := man.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{
		ManifestName:               {Data: data},
		"example.com_m@v1.2.3.zip": {Data: zipData},
	}
}

func TestVendorLaysOutUsedPackages(t *testing.T) {
	z := makeZip(t, "example.com/m@v1.2.3/", exampleFiles)
	files, require, err := Vendor(exampleFS(t, z, hashZip(t, z)), []string{"example.com/m/p"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for p := range files {
		got = append(got, p)
	}
	sort.Strings(got)
	want := []string{
		"vendor/example.com/m/LICENSE",
		"vendor/example.com/m/p/p.go",
		"vendor/example.com/m/p/q/q.go",
		"vendor/modules.txt",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("vendored files\n got %q\nwant %q", got, want)
	}
	txt := "# example.com/m v1.2.3\n## explicit; go 1.22\nexample.com/m/p\nexample.com/m/p/q\n"
	if string(files["vendor/modules.txt"]) != txt {
		t.Errorf("modules.txt\n got %q\nwant %q", files["vendor/modules.txt"], txt)
	}
	if len(require) != 1 || require[0].Path != "example.com/m" || require[0].Version != "v1.2.3" {
		t.Errorf("require = %+v", require)
	}
}

func TestVendorRefusesTamperedZip(t *testing.T) {
	z := makeZip(t, "example.com/m@v1.2.3/", exampleFiles)
	sum := hashZip(t, z)
	tampered := map[string]string{}
	for k, v := range exampleFiles {
		tampered[k] = v
	}
	tampered["p/p.go"] = "package p\n\nfunc init() { panic(\"owned\") }\n"
	_, _, err := Vendor(exampleFS(t, makeZip(t, "example.com/m@v1.2.3/", tampered), sum), []string{"example.com/m/p"})
	if err == nil {
		t.Fatal("a tampered zip was accepted")
	}
	for _, want := range []string{"example.com/m@v1.2.3 does not match go.sum", sum, "make build"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	_, _, err = Vendor(exampleFS(t, []byte("not a zip"), sum), []string{"example.com/m/p"})
	if err == nil || !strings.Contains(err.Error(), "not a readable zip") {
		t.Errorf("garbage zip: %v", err)
	}
}

func TestVendorWithoutGeneratedModules(t *testing.T) {
	empty := fstest.MapFS{"README.md": {Data: []byte("generated here")}}
	if files, req, err := Vendor(empty, nil); err != nil || files != nil || req != nil {
		t.Fatalf("no imports: %v %v %v", files, req, err)
	}
	_, _, err := Vendor(empty, []string{"golang.org/x/crypto/bcrypt"})
	if !errors.Is(err, ErrNotGenerated) || !strings.Contains(err.Error(), "make build") || !strings.Contains(err.Error(), "golang.org/x/crypto/bcrypt") {
		t.Fatalf("error %v does not say the modules are missing and how to build mgw", err)
	}
}

func TestVendorStaleManifest(t *testing.T) {
	z := makeZip(t, "example.com/m@v1.2.3/", exampleFiles)
	_, _, err := Vendor(exampleFS(t, z, hashZip(t, z)), []string{"example.com/m/p", "example.com/m/other"})
	if err == nil || !strings.Contains(err.Error(), "imports example.com/m/other, which this mgw does not carry") || !strings.Contains(err.Error(), "make build") {
		t.Fatalf("stale manifest: %v", err)
	}
}

func TestExternalImports(t *testing.T) {
	src := map[string][]byte{
		"a.go":      []byte("package gateway\n\nimport (\n\t\"fmt\"\n\t\"github.com/mgwio/mgw/pkg/gateway/internal/x\"\n\t\"gopkg.in/yaml.v3\"\n)\n"),
		"b_unix.go": []byte("//go:build unix\n\npackage gateway\n\nimport _ \"golang.org/x/crypto/bcrypt\"\nimport \"net/http\"\n"),
		"CONFIG.md": []byte("import \"not/go\""),
	}
	got, err := ExternalImports(src, "github.com/mgwio/mgw")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"golang.org/x/crypto/bcrypt", "gopkg.in/yaml.v3"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := ExternalImports(map[string][]byte{"bad.go": []byte("package")}, "m"); err == nil {
		t.Error("a broken file was accepted")
	}
}
