package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// startBare builds bareproxy/ and runs it in front of the shared backend.
func startBare(ctx context.Context, env *Env) (Target, error) {
	return startBareProgram(ctx, env, "bareproxy")
}

// startBareFasthttp builds fastproxy/ and runs it in front of the shared
// backend: the fasthttp engine's own floor, beside bare (net/http).
func startBareFasthttp(ctx context.Context, env *Env) (Target, error) {
	return startBareProgram(ctx, env, "fastproxy")
}

// startBareProgram builds internal/benchmark/load/<name> and runs it with
// -addr and -backend: a proxy with nothing else in the path.
func startBareProgram(ctx context.Context, env *Env, name string) (Target, error) {
	bin := filepath.Join(env.Dir, name)
	if err := goBuild(ctx, env.Go, "internal/benchmark/load/"+name, bin); err != nil {
		return Target{}, err
	}
	port, err := freePort()
	if err != nil {
		return Target{}, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	p, err := env.start(name, bin, []string{"-addr", addr, "-backend", env.Backend}, nil)
	if err != nil {
		return Target{}, err
	}
	url := fmt.Sprintf("http://%s/size/%d", addr, env.Body)
	if err := waitReady(ctx, p, url, 10*time.Second); err != nil {
		return Target{}, err
	}
	return Target{URL: url, PID: p.PID()}, nil
}
