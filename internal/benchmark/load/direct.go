package main

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// startBackend starts a backend process named name on a free port and
// returns its base URL.
func startBackend(ctx context.Context, env *Env, name string) (string, *Proc, error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	p, err := env.start(name, env.BackendBin, []string{"-addr", "127.0.0.1:" + strconv.Itoa(port), "-name", name}, nil)
	if err != nil {
		return "", nil, err
	}
	if err := waitReady(ctx, p, base+"/size/0", 10*time.Second); err != nil {
		return "", nil, err
	}
	return base, p, nil
}

// startDirect measures a backend of its own, so its memory is its own.
func startDirect(ctx context.Context, env *Env) (Target, error) {
	base, p, err := startBackend(ctx, env, "direct-backend")
	if err != nil {
		return Target{}, err
	}
	return Target{URL: fmt.Sprintf("%s/size/%d", base, env.Body), PID: p.PID()}, nil
}
