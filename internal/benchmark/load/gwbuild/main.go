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
	"strconv"

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
	spec, problems := workspace.SpecFromFiles("bench", label(*basePath, *backend), "bench")
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

// benchPolicies are quotas the load never reaches: with throttling on
// (the gateway-throttle variant) each request is counted twice, by the
// API-level policy and, as security is off, by Unauthenticated per client
// IP; the other variants turn throttling off.
const benchPolicies = `subscription:
  - name: Unauthenticated
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
advanced:
  - name: BenchAPI
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
`

// label is the workspace files of the benchmark label: the API with
// security off at basePath, and a secured copy at JWTBasePath.
func label(basePath, backend string) workspace.LabelFiles {
	return workspace.LabelFiles{
		"apis/Bench-v1.yaml":    benchAPI("Bench", basePath, backend, false),
		"apis/BenchJWT-v1.yaml": benchAPI("BenchJWT", JWTBasePath, backend, true),
		workspace.PoliciesFile:  []byte(benchPolicies),
	}
}

// JWTBasePath is where the secured copy of the benchmark API is served
// (the gateway-jwt variant calls it with a JWT).
const JWTBasePath = "/bench-jwt/v1"

// benchAPI is the benchmark API: GET /size/{n} answers n bytes. The
// unsecured one carries the API-level tier gateway-throttle enforces.
func benchAPI(title, basePath, backend string, secured bool) []byte {
	extra := "x-wso2-disable-security: true\nx-wso2-throttling-tier: BenchAPI\n"
	if secured {
		extra = ""
	}
	return fmt.Appendf(nil, `openapi: 3.0.0
info:
  title: %s
  version: v1
x-wso2-basePath: %s
%sx-wso2-production-endpoints:
  urls:
    - %s
paths:
  /size/{n}:
    get:
      parameters:
        - {name: n, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: n bytes}
`, title, strconv.Quote(basePath), extra, strconv.Quote(backend))
}
