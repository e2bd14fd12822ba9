// Command fastgw serves the load benchmark's label with the gateway's own
// handler (pkg/gateway: routing, middleware, its backend client) behind a
// fasthttp server through fasthttpadaptor, the way fasthttp would replace
// the gateway's plain-HTTP front door. It stands beside the gateway with
// its own h1 server and with net/http's server, so the three front doors
// are measured with everything else equal.
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"

	"github.com/mgwio/mgw/internal/benchmark/load/benchlabel"
	"github.com/mgwio/mgw/internal/benchmark/load/fastserve"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/gateway"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fastgw", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	backend := fs.String("backend", "", "backend base `URL`, such as http://127.0.0.1:8081")
	basePath := fs.String("base-path", "/bench/v1", "the API's base `path`")
	config := fs.String("config", "", "gateway configuration `file`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	spec, problems := workspace.SpecFromFiles("bench", benchlabel.Files(*basePath, *backend), "bench")
	if len(problems) > 0 {
		fmt.Fprintln(stderr, "fastgw: the benchmark label is invalid:", problems)
		return 1
	}
	cfg, err := gateway.LoadConfig(spec, *config, os.Environ())
	if err != nil {
		fmt.Fprintln(stderr, "fastgw:", err)
		return 1
	}
	logger, err := gateway.NewLogger(cfg.Log, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "fastgw:", err)
		return 1
	}
	g, err := gateway.New(spec, cfg, logger)
	if err != nil {
		fmt.Fprintln(stderr, "fastgw:", err)
		return 1
	}
	g.SetReady(true)
	// The gateway binary collects garbage at GOGC=150 (pkg/gateway's
	// tuneGC); the same here so only the front door differs.
	debug.SetGCPercent(150)
	srv := &fasthttp.Server{
		Handler:     fasthttpadaptor.NewFastHTTPHandler(g.Handler()),
		ReadTimeout: 30 * time.Second,
		Name:        "fastgw",
		Logger:      slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
	return fastserve.Run(srv, *addr, stderr)
}
