package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/runtimedeps"
	"github.com/mgwio/mgw/pkg/gateway"
)

// runtimePattern is what gateways compile from this module.
const runtimePattern = "./pkg/gateway/..."

// outDir is the embedded folder, relative to the module root.
const outDir = "internal/runtimedeps/modules"

func run() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	man, err := listModules(root)
	if err != nil {
		return err
	}
	sums, err := readGoSum(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	zips, err := download(root, man.Modules)
	if err != nil {
		return err
	}
	dir := filepath.Join(root, outDir)
	keep := map[string]bool{"README.md": true} // README.md is committed
	for i := range man.Modules {
		m := &man.Modules[i]
		key := m.Path + " " + m.Version
		d, ok := zips[key]
		if !ok {
			return fmt.Errorf("go mod download did not report %s", key)
		}
		if sums[key] == "" {
			return fmt.Errorf("go.sum has no hash for %s; run go mod tidy", key)
		}
		if d.Sum != sums[key] {
			return fmt.Errorf("module cache zip of %s hashes to %s but go.sum has %s; run go clean -modcache and retry", key, d.Sum, sums[key])
		}
		m.Sum = sums[key]
		m.Zip = strings.ReplaceAll(m.Path, "/", "_") + "@" + m.Version + ".zip"
		data, err := os.ReadFile(d.Zip)
		if err != nil {
			return fmt.Errorf("read module zip: %w", err)
		}
		if err := writeIfChanged(filepath.Join(dir, m.Zip), data); err != nil {
			return err
		}
		keep[m.Zip] = true
	}
	data, err := man.Marshal()
	if err != nil {
		return err
	}
	if err := writeIfChanged(filepath.Join(dir, runtimedeps.ManifestName), data); err != nil {
		return err
	}
	keep[runtimedeps.ManifestName] = true
	return removeStale(dir, keep)
}

// moduleRoot is the folder of mgw's go.mod.
func moduleRoot() (string, error) {
	out, err := goCmd("", nil, "env", "GOMOD")
	if err != nil {
		return "", err
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside the mgw module")
	}
	return filepath.Dir(gomod), nil
}

// listPkg is what go list -json reports of a package.
type listPkg struct {
	ImportPath string
	Standard   bool
	Module     *struct {
		Path    string
		Version string
		Main    bool
	}
}

// listModules runs go list -deps over the runtime for every supported
// target and collects the third-party packages by module.
func listModules(root string) (runtimedeps.Manifest, error) {
	type modKey struct{ path, version string }
	pkgs := map[modKey]map[string]bool{}
	for _, t := range build.SupportedTargets() {
		env := []string{"GOOS=" + t.OS, "GOARCH=" + t.Arch, "CGO_ENABLED=0"}
		// With the tracing tag: a gateway built with mgw build --tracing
		// needs those modules too.
		out, err := goCmd(root, env, "list", "-deps", "-tags", gateway.TracingBuildTag, "-json=ImportPath,Standard,Module", runtimePattern)
		if err != nil {
			return runtimedeps.Manifest{}, err
		}
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			var p listPkg
			if err := dec.Decode(&p); err == io.EOF {
				break
			} else if err != nil {
				return runtimedeps.Manifest{}, fmt.Errorf("read go list output: %w", err)
			}
			if p.Standard || p.Module == nil || p.Module.Main {
				continue
			}
			k := modKey{p.Module.Path, p.Module.Version}
			if pkgs[k] == nil {
				pkgs[k] = map[string]bool{}
			}
			pkgs[k][p.ImportPath] = true
		}
	}
	var man runtimedeps.Manifest
	for k, set := range pkgs {
		m := runtimedeps.Module{Path: k.path, Version: k.version}
		for p := range set {
			m.Packages = append(m.Packages, p)
		}
		sort.Strings(m.Packages)
		man.Modules = append(man.Modules, m)
	}
	sort.Slice(man.Modules, func(i, j int) bool { return man.Modules[i].Path < man.Modules[j].Path })
	return man, nil
}

// downloaded is what go mod download -json reports of a module.
type downloaded struct {
	Path, Version, Zip, Sum, Error string
}

// download makes sure the modules' zips are in the module cache and
// returns where, keyed by "path version".
func download(root string, mods []runtimedeps.Module) (map[string]downloaded, error) {
	out := map[string]downloaded{}
	if len(mods) == 0 {
		return out, nil
	}
	args := []string{"mod", "download", "-json"}
	for _, m := range mods {
		args = append(args, m.Path+"@"+m.Version)
	}
	data, err := goCmd(root, nil, args...)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		var d downloaded
		if err := dec.Decode(&d); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("read go mod download output: %w", err)
		}
		if d.Error != "" {
			return nil, fmt.Errorf("download %s@%s: %s", d.Path, d.Version, d.Error)
		}
		out[d.Path+" "+d.Version] = d
	}
	return out, nil
}

// readGoSum returns the zip hashes of go.sum by "path version".
func readGoSum(file string) (map[string]string, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read go.sum: %w", err)
	}
	sums := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) == 3 && !strings.HasSuffix(f[1], "/go.mod") {
			sums[f[0]+" "+f[1]] = f[2]
		}
	}
	return sums, nil
}

func writeIfChanged(file string, data []byte) error {
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", file, err)
	}
	return nil
}

// removeStale deletes the files of dir not in keep: zips of modules no
// longer used.
func removeStale(dir string, keep map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		if !keep[e.Name()] {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return fmt.Errorf("remove stale %s: %w", e.Name(), err)
			}
		}
	}
	return nil
}

// goCmd runs the go command in dir with extra environment and returns its
// standard output; a failure carries its standard error.
func goCmd(dir string, env []string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}
