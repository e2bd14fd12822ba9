// Command gwbuild builds the load benchmark's gateway the way mgw build
// does (internal/workspace.SpecFromFiles, then internal/build) from a
// synthetic label: one API at -base-path whose resource /size/{n} goes to
// -backend, with security off, so only routing and proxying are measured
// (and throttling, when the variant turns it on).
// It prints the binary's path. The load benchmark runs it as a separate
// program so that a runtime that does not compile yet costs only the
// gateway's measurement.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/mgwio/mgw/internal/benchmark/load/benchlabel"
	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/workspace"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gwbuild", flag.ContinueOnError)
	fs.SetOutput(stderr)
	backend := fs.String("backend", "", "backend base `URL`, such as http://127.0.0.1:8081")
	basePath := fs.String("base-path", "/bench/v1", "the API's base `path`")
	out := fs.String("out", "dist", "output `directory`")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *backend == "" {
		fmt.Fprintln(stderr, "gwbuild: -backend is required, such as -backend http://127.0.0.1:8081")
		return 2
	}
	tc, err := build.FindToolchain(ctx, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "gwbuild:", err)
		return 1
	}
	spec, problems := workspace.SpecFromFiles("bench", benchlabel.Files(*basePath, *backend), "bench")
	if len(problems) > 0 {
		fmt.Fprintln(stderr, "gwbuild: the benchmark label is invalid:", problems)
		return 1
	}
	art, err := build.Build(ctx, build.Request{Spec: spec, Target: build.HostTarget(), Toolchain: tc, OutDir: *out, Env: os.Environ()})
	if err != nil {
		fmt.Fprintln(stderr, "gwbuild: mgw build:", err)
		return 1
	}
	fmt.Fprintln(stdout, art.Path)
	return 0
}
