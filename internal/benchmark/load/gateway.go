package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// benchBasePath is where the gateway serves the benchmark API (see
// gwbuild/).
const benchBasePath = "/bench/v1"

// gatewayConfig binds the gateway to 127.0.0.1 only and sets its access
// log; HTTPS stays off as no certificate is configured.
func gatewayConfig(accessLog bool) string {
	return fmt.Sprintf("http:\n  host: 127.0.0.1\nlog:\n  level: info\n  access: %t\n", accessLog)
}

// gatewayEnv is this process's environment without MGW_* variables, so
// the caller's settings do not change what is measured, plus extra.
func gatewayEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MGW_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startGateway runs the gateway binary built from the benchmark label
// (once per run) in front of the shared backend; extraEnv adds MGW_*
// variables for a variant (it may use env.Dir).
func startGateway(accessLog bool, extraEnv ...func(env *Env) []string) func(ctx context.Context, env *Env) (Target, error) {
	return func(ctx context.Context, env *Env) (Target, error) {
		bin, err := env.once("gateway", func() (string, error) { return buildGateway(ctx, env) })
		if err != nil {
			return Target{}, err
		}
		confPath := filepath.Join(env.Dir, "gateway.yaml")
		if err := os.WriteFile(confPath, []byte(gatewayConfig(accessLog)), 0o644); err != nil {
			return Target{}, fmt.Errorf("gateway: %w", err)
		}
		port, err := freePort()
		if err != nil {
			return Target{}, err
		}
		// The label has throttling policies; only gateway-throttle
		// (throttleEnv, later in the list, wins) enforces them.
		vars := []string{"MGW_HTTP_PORT=" + strconv.Itoa(port), "MGW_THROTTLING_ENABLED=false"}
		for _, f := range extraEnv {
			vars = append(vars, f(env)...)
		}
		p, err := env.start("gateway", bin, []string{"--config", confPath}, gatewayEnv(vars...))
		if err != nil {
			return Target{}, err
		}
		base := "http://127.0.0.1:" + strconv.Itoa(port)
		if err := waitReady(ctx, p, base+"/health", 10*time.Second); err != nil {
			return Target{}, err
		}
		return Target{URL: fmt.Sprintf("%s%s/size/%d", base, benchBasePath, env.Body), PID: p.PID()}, nil
	}
}

// buildGateway builds and runs gwbuild/, which builds the benchmark
// label with mgw's builder into env.Dir/dist; it returns the binary's path.
func buildGateway(ctx context.Context, env *Env) (string, error) {
	tool := filepath.Join(env.Dir, "gwbuild")
	if err := goBuild(ctx, env.Go, "internal/benchmark/load/gwbuild", tool); err != nil {
		return "", fmt.Errorf("gateway: %w", err)
	}
	cmd := exec.CommandContext(ctx, tool, "-backend", env.Backend, "-base-path", benchBasePath, "-out", filepath.Join(env.Dir, "dist"))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("gateway: building the label: %w\n%s", err, indent(strings.TrimSpace(stderr.String())))
	}
	return strings.TrimSpace(string(out)), nil
}
