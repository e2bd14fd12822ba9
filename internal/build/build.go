package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mgwio/mgw/internal/interceptors"
	"github.com/mgwio/mgw/internal/runtimedeps"
	"github.com/mgwio/mgw/pkg/codegen"
	"github.com/mgwio/mgw/pkg/gateway"
)

// modulePath is the module path of the build module: the same as mgw's, so
// that generated code imports the runtime by its usual path.
const modulePath = "github.com/mgwio/mgw"

// mainDir is where the generated main package goes in the build module.
const mainDir = "cmd/gateway"

// Request is one gateway to build.
type Request struct {
	Spec      *gateway.Spec
	Target    Target
	Toolchain Toolchain
	// OutDir receives the binary (created if missing).
	OutDir string
	// Suffixed names the binary <label>-<os>-<arch>; else <label>.
	Suffixed bool
	// KeepWorkdir leaves the build module on disk for debugging.
	KeepWorkdir bool
	// Env is the base environment (os.Environ()); build-affecting Go
	// variables are replaced by explicit values.
	Env []string
	// Interceptors are the label's checked Go interceptors; nil when it
	// has none.
	Interceptors *interceptors.Checked
	// Tracing compiles OpenTelemetry tracing in (gateway.TracingBuildTag).
	Tracing bool
}

// Artifact describes a built gateway.
type Artifact struct {
	Label     string  `json:"label"`
	Target    string  `json:"target"`
	Path      string  `json:"path"`
	SHA256    string  `json:"sha256"`
	Size      int64   `json:"size"`
	APIs      int     `json:"apis"`
	Resources int     `json:"resources"`
	Seconds   float64 `json:"seconds"`
	Workdir   string  `json:"workdir,omitempty"`
}

// Build generates and compiles one gateway. The binary appears in OutDir
// only when the build succeeded; a failed build leaves OutDir untouched.
func Build(ctx context.Context, req Request) (Artifact, error) {
	start := time.Now()
	spec := req.Spec
	art := Artifact{Label: spec.Label, Target: req.Target.String(), APIs: len(spec.APIs)}
	for _, a := range spec.APIs {
		art.Resources += len(a.Resources)
	}
	work, err := os.MkdirTemp("", "mgw-build-"+spec.Label+"-")
	if err != nil {
		return art, fmt.Errorf("create build folder: %w", err)
	}
	if req.KeepWorkdir {
		art.Workdir = work
	} else {
		defer os.RemoveAll(work)
	}
	if err := writeModule(work, spec, req.Interceptors, runtimedeps.Embedded()); err != nil {
		return art, err
	}
	if err := os.MkdirAll(req.OutDir, 0o755); err != nil {
		return art, fmt.Errorf("create output folder: %w", err)
	}
	name := spec.Label
	if req.Suffixed {
		name += req.Target.Suffix()
	} else if req.Target.OS == "windows" {
		name += ".exe"
	}
	final := filepath.Join(req.OutDir, name)
	tmp := filepath.Join(req.OutDir, "."+name+".tmp")
	defer os.Remove(tmp)
	if err := compile(ctx, req, work, tmp); err != nil {
		return art, fmt.Errorf("build %s for %s: %w", spec.Label, req.Target, err)
	}
	sum, size, err := hashFile(tmp)
	if err != nil {
		return art, err
	}
	if err := os.Rename(tmp, final); err != nil {
		return art, fmt.Errorf("move %s into place: %w", final, err)
	}
	art.Path, art.SHA256, art.Size = final, sum, size
	art.Seconds = time.Since(start).Seconds()
	return art, nil
}

// WriteModule lays out the build module in dir: go.mod, the runtime under
// pkg/gateway, the generated main package and vendor/ with the runtime's
// third-party packages from the modules embedded in mgw.
func WriteModule(dir string, spec *gateway.Spec) error {
	return writeModule(dir, spec, nil, runtimedeps.Embedded())
}

// writeModule is WriteModule with the label's interceptors (if any) and
// the runtime modules taken from deps.
func writeModule(dir string, spec *gateway.Spec, ic *interceptors.Checked, deps fs.FS) error {
	var opts codegen.Options
	if ic != nil {
		opts.Interceptors = &codegen.Interceptors{Request: ic.Request, Response: ic.Response}
	}
	generated, err := codegen.GenerateWith(spec, opts)
	if err != nil {
		return err
	}
	runtimeSrc, err := gateway.Source()
	if err != nil {
		return fmt.Errorf("read embedded runtime: %w", err)
	}
	imports, err := runtimedeps.ExternalImports(runtimeSrc, modulePath)
	if err != nil {
		return err
	}
	vendored, require, err := runtimedeps.Vendor(deps, imports)
	if err != nil {
		return err
	}
	files := map[string][]byte{"go.mod": goMod(require)}
	for p, data := range vendored {
		files[p] = data
	}
	for p, data := range runtimeSrc {
		files["pkg/gateway/"+p] = data
	}
	for p, data := range generated {
		files[mainDir+"/"+p] = data
	}
	if ic != nil {
		for _, f := range ic.Files {
			files[interceptors.ModuleDir+"/"+f.Name] = f.Data
		}
	}
	for p, data := range files {
		path := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("write build module: %w", err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("write build module: %w", err)
		}
	}
	return nil
}

// goMod is the build module's go.mod: mgw's module path, the oldest Go
// release that builds gateways, and the vendored modules.
func goMod(require []runtimedeps.Module) []byte {
	b := fmt.Appendf(nil, "module %s\n\ngo 1.%d\n", modulePath, MinGoMinor)
	if len(require) > 0 {
		b = append(b, "\nrequire (\n"...)
		for _, m := range require {
			b = fmt.Appendf(b, "\t%s %s\n", m.Path, m.Version)
		}
		b = append(b, ")\n"...)
	}
	return b
}

// compile runs go build with an explicit environment: static (no cgo),
// offline (no proxy, no workspace, local toolchain only) and reproducible
// (-trimpath, no build ID, no VCS stamping). Third-party packages come
// only from the build module's vendor/ folder (-mod=vendor).
func compile(ctx context.Context, req Request, work, out string) error {
	args := []string{"build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid="}
	if req.Tracing {
		args = append(args, "-tags", gateway.TracingBuildTag)
	}
	args = append(args, "-o", out, "./"+mainDir)
	cmd := exec.CommandContext(ctx, req.Toolchain.Path, args...)
	cmd.Dir = work
	cmd.Env = append(buildEnv(req.Env), req.Target.env()...)
	var stderr strings.Builder
	cmd.Stdout = &stderr
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		if ic := req.Interceptors; ic != nil {
			reg, _ := os.ReadFile(filepath.Join(work, filepath.FromSlash(interceptors.ModuleDir), interceptors.RegistryFile))
			if mapped, ok := ic.MapBuildOutput(msg, interceptors.RegistryLines(reg)); ok {
				return fmt.Errorf("the interceptors do not compile:\n%s", mapped)
			}
		}
		return fmt.Errorf("go build failed (rerun with --keep-workdir to inspect the generated module):\n%s", msg)
	}
	return nil
}

// controlled are the variables compile sets itself; inherited values are
// dropped so a user's GOFLAGS, GOOS or proxy cannot change the result.
var controlled = []string{
	"GOFLAGS", "GOOS", "GOARCH", "GOARM", "GOAMD64", "GOARM64", "GO386", "GOEXPERIMENT",
	"CGO_ENABLED", "GOPROXY", "GOWORK", "GOTOOLCHAIN", "GO111MODULE", "GOENV", "GONOSUMDB",
	"GONOSUMCHECK", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GOINSECURE", "GOVCS",
}

func cleanEnv() []string { return filterEnv(os.Environ()) }

func filterEnv(base []string) []string {
	var out []string
	for _, kv := range base {
		name, _, _ := strings.Cut(kv, "=")
		drop := strings.HasPrefix(name, "CGO_")
		for _, c := range controlled {
			if name == c {
				drop = true
			}
		}
		if !drop {
			out = append(out, kv)
		}
	}
	return out
}

func buildEnv(base []string) []string {
	if base == nil {
		base = os.Environ()
	}
	return append(filterEnv(base),
		"CGO_ENABLED=0", "GOFLAGS=-mod=vendor", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off",
		"GOTOOLCHAIN=local", "GO111MODULE=on", "GOENV=off", "GOAMD64=v1",
	)
}

func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func sortStrings(s []string) { sort.Strings(s) }
