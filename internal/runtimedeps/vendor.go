package runtimedeps

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/mod/modfile"
)

// Vendor returns the files that let a build module whose code imports
// imports (from ExternalImports) compile with -mod=vendor and no module
// cache: vendor/modules.txt and, for every module of the manifest in fsys,
// its used packages (test files left out) and its license files, keyed by
// slash path from the build module's root. require lists the modules for
// the build module's go.mod.
//
// Every zip is checked against its go.sum hash first; a mismatch, a
// missing manifest (ErrNotGenerated) or an import no module provides is
// an error that says how to rebuild mgw.
func Vendor(fsys fs.FS, imports []string) (files map[string][]byte, require []Module, err error) {
	if len(imports) == 0 {
		return nil, nil, nil
	}
	man, err := ReadManifest(fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("the gateway runtime imports %s: %w", imports[0], err)
	}
	provided := map[string]bool{}
	for _, m := range man.Modules {
		for _, p := range m.Packages {
			provided[p] = true
		}
	}
	for _, imp := range imports {
		if !provided[imp] {
			return nil, nil, fmt.Errorf("the gateway runtime imports %s, which this mgw does not carry (its runtime modules were generated for older source); rebuild mgw with `make build`", imp)
		}
	}
	mods := append([]Module(nil), man.Modules...)
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	files = map[string][]byte{}
	var txt strings.Builder
	for _, m := range mods {
		data, err := fs.ReadFile(fsys, m.Zip)
		if err != nil {
			return nil, nil, fmt.Errorf("read embedded module %s@%s: %w; rebuild mgw with `make build`", m.Path, m.Version, err)
		}
		zr, err := verifyZip(m, data)
		if err != nil {
			return nil, nil, err
		}
		goVersion, err := extract(zr, m, files)
		if err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(&txt, "# %s %s\n## explicit", m.Path, m.Version)
		if goVersion != "" {
			fmt.Fprintf(&txt, "; go %s", goVersion)
		}
		txt.WriteString("\n")
		pkgs := append([]string(nil), m.Packages...)
		sort.Strings(pkgs)
		for _, p := range pkgs {
			txt.WriteString(p + "\n")
		}
		require = append(require, Module{Path: m.Path, Version: m.Version})
	}
	files["vendor/modules.txt"] = []byte(txt.String())
	return files, require, nil
}

// extract copies the used packages' files and the license files of one
// verified module zip into files, and returns the go version its go.mod
// declares.
func extract(zr *zip.Reader, m Module, files map[string][]byte) (string, error) {
	prefix := m.Path + "@" + m.Version + "/"
	dirs := map[string]bool{}
	for _, p := range m.Packages {
		rel, ok := strings.CutPrefix(p, m.Path)
		if !ok || (rel != "" && rel[0] != '/') {
			return "", fmt.Errorf("runtime module manifest: package %s is not in module %s; rebuild mgw with `make build`", p, m.Path)
		}
		dirs[strings.TrimPrefix(rel, "/")] = true
	}
	goVersion := ""
	for _, f := range zr.File {
		rest, ok := strings.CutPrefix(f.Name, prefix)
		if !ok || rest == "" || path.Clean(rest) != rest || strings.HasPrefix(rest, "../") || f.FileInfo().IsDir() {
			continue
		}
		dir, base := path.Split(rest)
		dir = strings.TrimSuffix(dir, "/")
		if rest == "go.mod" {
			data, err := readZipFile(f)
			if err != nil {
				return "", fmt.Errorf("read go.mod of module %s@%s: %w", m.Path, m.Version, err)
			}
			mf, err := modfile.ParseLax(f.Name, data, nil)
			if err != nil {
				return "", fmt.Errorf("read go.mod of module %s@%s: %w", m.Path, m.Version, err)
			}
			if mf.Go != nil {
				goVersion = mf.Go.Version
			}
		}
		used := dirs[dir] && !strings.HasSuffix(base, "_test.go") && base != "go.mod" && base != "go.sum"
		if !used && !(dir == "" && isLicense(base)) {
			continue
		}
		data, err := readZipFile(f)
		if err != nil {
			return "", fmt.Errorf("extract %s from module %s@%s: %w", rest, m.Path, m.Version, err)
		}
		files["vendor/"+m.Path+"/"+rest] = data
	}
	return goVersion, nil
}

// isLicense reports whether a file name is one go mod vendor keeps from a
// module's root for legal reasons.
func isLicense(name string) bool {
	for _, p := range []string{"AUTHORS", "CONTRIBUTORS", "COPYLEFT", "COPYING", "COPYRIGHT", "LEGAL", "LICENSE", "NOTICE", "PATENTS"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

func readZipFile(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
