package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// modulePath is this module's import path.
const modulePath = "github.com/mgwio/mgw"

// goBuild compiles the package pkg of this module to out, static and
// without debug paths, as mgw build does for gateways.
func goBuild(ctx context.Context, goCmd, pkg, out string) error {
	cmd := exec.CommandContext(ctx, goCmd, "build", "-trimpath", "-o", out, modulePath+"/"+pkg)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s (run the benchmark from the mgw repository, as make bench does): %w\n%s", pkg, err, indent(strings.TrimSpace(string(msg))))
	}
	return nil
}
