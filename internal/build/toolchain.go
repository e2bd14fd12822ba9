// Package build compiles a gateway: it lays out a build module from the
// generated source and the embedded runtime, then runs the Go toolchain
// with an explicit, offline, reproducible environment.
package build

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// MinGoMinor is the oldest Go 1.x minor release that builds gateways: the
// newest go directive among the runtime's modules (golang.org/x/crypto
// declares go 1.26.0); a test keeps it so.
const MinGoMinor = 26

// Toolchain is a Go toolchain found on this machine.
type Toolchain struct {
	// Path is the go command.
	Path string
	// Version is what `go env GOVERSION` printed, e.g. "go1.26.8".
	Version string
}

// FindToolchain locates the go command: $MGW_GO if set, else go on PATH,
// and checks that it is recent enough.
func FindToolchain(ctx context.Context, getenv func(string) string) (Toolchain, error) {
	goCmd := getenv("MGW_GO")
	from := "MGW_GO"
	if goCmd == "" {
		p, err := exec.LookPath("go")
		if err != nil {
			return Toolchain{}, fmt.Errorf("mgw build needs a Go toolchain (go1.%d or newer) and found none on PATH: install Go from https://go.dev/dl/ and put it on PATH, or set MGW_GO to the go command", MinGoMinor)
		}
		goCmd, from = p, "PATH"
	}
	cmd := exec.CommandContext(ctx, goCmd, "env", "GOVERSION")
	cmd.Env = append(cleanEnv(), "GOTOOLCHAIN=local", "GOENV=off")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		detail := err.Error()
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			detail = strings.TrimSpace(string(ee.Stderr))
		}
		return Toolchain{}, fmt.Errorf("cannot run the Go toolchain %s (from %s): %s; set MGW_GO to a working go command (go1.%d or newer)", goCmd, from, detail, MinGoMinor)
	}
	version := strings.TrimSpace(string(out))
	minor, ok := goMinor(version)
	if !ok || minor < MinGoMinor {
		return Toolchain{}, fmt.Errorf("the Go toolchain %s (from %s) is %s; mgw build needs go1.%d or newer: install it and put it on PATH, or set MGW_GO to its go command", goCmd, from, orUnknown(version), MinGoMinor)
	}
	return Toolchain{Path: goCmd, Version: version}, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "of unknown version"
	}
	return s
}

// goMinor extracts 24 from "go1.24.3", "go1.24rc1" or "go1.24".
func goMinor(v string) (int, bool) {
	rest, ok := strings.CutPrefix(v, "go1.")
	if !ok {
		return 0, false
	}
	end := 0
	for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
		end++
	}
	n, err := strconv.Atoi(rest[:end])
	return n, err == nil
}
