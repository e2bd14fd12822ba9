package main

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Options are the command-line flags.
type Options struct {
	Duration     time.Duration
	Warmup       time.Duration
	Connections  int
	Threads      int
	Body         int
	Targets      []Variant
	NginxWorkers string
	Keep         bool
	// Rounds is how many times each target is measured, the targets
	// taking turns, so that a slow moment of a shared machine does not
	// decide a ratio; the report shows each target's median run.
	Rounds int
}

// maxBody is the largest body the backend serves.
const maxBody = 1 << 24

// parseOptions reads args; the error says which flag is wrong and why.
func parseOptions(args []string, stderr io.Writer) (Options, error) {
	var o Options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: go run ./internal/benchmark/load [flags]")
		fmt.Fprintln(stderr, "Compares the requests/s, latency and memory of the backend, nginx, a bare")
		fmt.Fprintln(stderr, "httputil.ReverseProxy and the mgw gateway under wrk load, all on 127.0.0.1.")
		fmt.Fprintln(stderr, "Needs: apt-get install wrk nginx-light")
		fs.PrintDefaults()
	}
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "measured load per target (whole seconds)")
	fs.DurationVar(&o.Warmup, "warmup", 2*time.Second, "unmeasured load before each measurement (whole seconds, 0 for none)")
	fs.IntVar(&o.Connections, "connections", 50, "wrk connections")
	fs.IntVar(&o.Threads, "threads", 2, "wrk threads")
	fs.IntVar(&o.Body, "body", 1024, "response body `bytes`")
	var names []string
	for _, v := range variants() {
		names = append(names, v.Name)
	}
	targets := fs.String("targets", defaultTargets, "comma-separated targets to measure, in order, from: "+strings.Join(names, ", "))
	fs.StringVar(&o.NginxWorkers, "nginx-workers", "auto", "nginx worker_processes: auto (one per CPU) or a number")
	fs.IntVar(&o.Rounds, "rounds", 1, "measure every target this many times, taking turns, and report each one's median run (3 or 5 steady a shared machine's numbers)")
	fs.BoolVar(&o.Keep, "keep", false, "keep the temporary directory (configurations, logs, binaries) and print where it is")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q; every setting is a flag (see -help)", fs.Arg(0))
	}
	if o.Duration < time.Second || o.Duration%time.Second != 0 {
		return o, fmt.Errorf("-duration %v: wrk measures whole seconds; give 1s or more, such as 10s", o.Duration)
	}
	if o.Warmup < 0 || o.Warmup%time.Second != 0 {
		return o, fmt.Errorf("-warmup %v: give whole seconds, such as 2s, or 0 for none", o.Warmup)
	}
	if o.Rounds < 1 || o.Rounds > 99 {
		return o, fmt.Errorf("-rounds %d: give 1 to 99", o.Rounds)
	}
	if o.Threads < 1 {
		return o, fmt.Errorf("-threads %d: give at least 1", o.Threads)
	}
	if o.Connections < o.Threads {
		return o, fmt.Errorf("-connections %d: wrk needs at least one connection per thread (-threads %d)", o.Connections, o.Threads)
	}
	if o.Body < 0 || o.Body > maxBody {
		return o, fmt.Errorf("-body %d: give a size from 0 to %d bytes", o.Body, maxBody)
	}
	if o.NginxWorkers != "auto" {
		if n, err := strconv.Atoi(o.NginxWorkers); err != nil || n < 1 {
			return o, fmt.Errorf("-nginx-workers %q: give auto or a positive number", o.NginxWorkers)
		}
	}
	var err error
	if o.Targets, err = selectVariants(*targets); err != nil {
		return o, err
	}
	return o, nil
}
