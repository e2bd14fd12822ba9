package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// startGatewayFasthttp builds fastgw/ (once per run) and runs it: the
// gateway's handler and backend client behind a fasthttp server through
// fasthttpadaptor, configured as the gateway variant is.
func startGatewayFasthttp(ctx context.Context, env *Env) (Target, error) {
	bin, err := env.once("fastgw", func() (string, error) {
		p := filepath.Join(env.Dir, "fastgw")
		return p, goBuild(ctx, env.Go, "internal/benchmark/load/fastgw", p)
	})
	if err != nil {
		return Target{}, err
	}
	confPath := filepath.Join(env.Dir, "gateway.yaml")
	if err := os.WriteFile(confPath, []byte(gatewayConfig(false)), 0o644); err != nil {
		return Target{}, fmt.Errorf("gateway-fasthttp-server: %w", err)
	}
	port, err := freePort()
	if err != nil {
		return Target{}, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	args := []string{"-addr", addr, "-backend", env.Backend, "-base-path", benchBasePath, "-config", confPath}
	p, err := env.start("fastgw", bin, args, gatewayEnv("MGW_THROTTLING_ENABLED=false"))
	if err != nil {
		return Target{}, err
	}
	base := "http://" + addr
	if err := waitReady(ctx, p, base+"/health", 10*time.Second); err != nil {
		return Target{}, err
	}
	return Target{URL: fmt.Sprintf("%s%s/size/%d", base, benchBasePath, env.Body), PID: p.PID()}, nil
}
