package build

import (
	"fmt"
	"runtime"
	"strings"
)

// Target is a platform to build for: GOOS, GOARCH and an optional variant
// (the GOARM value for arm, e.g. "v7").
type Target struct {
	OS, Arch, Variant string
}

// HostTarget is the platform mgw runs on.
func HostTarget() Target { return Target{OS: runtime.GOOS, Arch: runtime.GOARCH} }

// String is "os/arch" or "os/arch/variant".
func (t Target) String() string {
	if t.Variant != "" {
		return t.OS + "/" + t.Arch + "/" + t.Variant
	}
	return t.OS + "/" + t.Arch
}

// Suffix is the binary name suffix: "-os-arch[variant][.exe]".
func (t Target) Suffix() string {
	s := "-" + t.OS + "-" + t.Arch + t.Variant
	if t.OS == "windows" {
		s += ".exe"
	}
	return s
}

// supported are the platforms gateways are built for (CGO_ENABLED=0).
var supported = map[string]bool{
	"linux/amd64": true, "linux/arm64": true, "linux/arm": true, "linux/386": true,
	"linux/ppc64le": true, "linux/s390x": true, "linux/riscv64": true,
	"darwin/amd64": true, "darwin/arm64": true,
	"windows/amd64": true, "windows/arm64": true,
	"freebsd/amd64": true, "freebsd/arm64": true,
}

// ParseTarget reads "os/arch" or "linux/arm/v6|v7".
func ParseTarget(s string) (Target, error) {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return Target{}, fmt.Errorf("invalid target %q: use os/arch, e.g. linux/arm64, linux/arm/v7, darwin/arm64, windows/amd64", s)
	}
	t := Target{OS: parts[0], Arch: parts[1]}
	if !supported[t.OS+"/"+t.Arch] {
		return Target{}, fmt.Errorf("unsupported target %q: supported are %s", s, supportedList())
	}
	if len(parts) == 3 {
		if t.Arch != "arm" || (parts[2] != "v5" && parts[2] != "v6" && parts[2] != "v7") {
			return Target{}, fmt.Errorf("invalid target %q: only arm takes a variant (v5, v6 or v7)", s)
		}
		t.Variant = parts[2]
	}
	return t, nil
}

func supportedList() string {
	var out []string
	for k := range supported {
		out = append(out, k)
	}
	sortStrings(out)
	return strings.Join(out, ", ")
}

// env is the GOOS/GOARCH/GOARM environment of the target.
func (t Target) env() []string {
	e := []string{"GOOS=" + t.OS, "GOARCH=" + t.Arch}
	if t.Variant != "" {
		e = append(e, "GOARM="+strings.TrimPrefix(t.Variant, "v"))
	}
	return e
}

// SupportedTargets lists the platforms gateways can be built for, sorted
// (without arm variants, which do not change what a build imports).
func SupportedTargets() []Target {
	var out []Target
	for _, k := range strings.Split(supportedList(), ", ") {
		os, arch, _ := strings.Cut(k, "/")
		out = append(out, Target{OS: os, Arch: arch})
	}
	return out
}
