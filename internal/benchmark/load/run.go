package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// installHint says how to get the external tools.
const installHint = "apt-get install wrk nginx-light"

// Result is the measurement of one variant, or why there is none.
type Result struct {
	Variant Variant
	Wrk     WrkResult
	RSS     int64 // peak RSS in bytes
	// CPU is the target's processor time per request (the process and
	// its children) during the measurement: steadier than req/s on a
	// shared machine, where the rate moves with everything else.
	CPU CPUTime
	Err error
	// Rates and P99s are the requests/s and p99 latencies of every
	// round, in order (see median).
	Rates []float64
	P99s  []time.Duration
}

// median returns the run with the median requests/s (the lower middle
// one for an even count), with the highest peak RSS of all runs and
// every run's rate; a target that failed a round is not measured.
func median(runs []Result) Result {
	for _, r := range runs {
		if r.Err != nil {
			return r
		}
	}
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b Result) int { return cmp.Compare(a.Wrk.RequestsPerSec, b.Wrk.RequestsPerSec) })
	m := sorted[(len(sorted)-1)/2]
	// CPU per request: the median of the rounds' user and system times.
	users := make([]float64, len(runs))
	syss := make([]float64, len(runs))
	for i, r := range runs {
		users[i], syss[i] = float64(r.CPU.User), float64(r.CPU.Sys)
	}
	m.CPU = CPUTime{User: time.Duration(medianOf(users)), Sys: time.Duration(medianOf(syss))}
	for _, r := range runs {
		m.RSS = max(m.RSS, r.RSS)
		m.Rates = append(m.Rates, r.Wrk.RequestsPerSec)
		m.P99s = append(m.P99s, r.Wrk.P99())
	}
	return m
}

// tools are the external commands found on this machine.
type tools struct {
	wrk, nginx, goCmd string
}

// findTools looks up wrk, go and the commands the variants need.
func findTools(vs []Variant) (tools, error) {
	var t tools
	var err error
	if t.wrk, err = exec.LookPath("wrk"); err != nil {
		return t, fmt.Errorf("wrk is not installed (not in PATH); install it with: %s", installHint)
	}
	for _, v := range vs {
		for _, name := range v.Tools {
			if name != "nginx" {
				return t, fmt.Errorf("target %s needs %s, which this benchmark does not know how to find", v.Name, name)
			}
			if t.nginx, err = lookNginx(); err != nil {
				return t, fmt.Errorf("target %s: nginx is not installed (not in PATH or /usr/sbin); install it with: %s", v.Name, installHint)
			}
		}
	}
	if t.goCmd, err = exec.LookPath("go"); err != nil {
		return t, errors.New("go is not in PATH; the benchmark builds the backend and the proxies with it")
	}
	return t, nil
}

// lookNginx finds nginx, which Debian installs in /usr/sbin (not in a
// normal user's PATH).
func lookNginx() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	return exec.LookPath("/usr/sbin/nginx")
}

// run is the command; it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	opts, err := parseOptions(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	t, err := findTools(opts.Targets)
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "mgw-load-")
	if err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 1
	}
	if opts.Keep {
		fmt.Fprintln(stderr, "load: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	procs := &Procs{}
	defer procs.StopAll()

	env := &Env{Dir: dir, Body: opts.Body, Go: t.goCmd, Nginx: t.nginx, NginxWorkers: opts.NginxWorkers, Procs: procs,
		built: map[string]string{}, BackendBin: filepath.Join(dir, "backend")}
	fmt.Fprintln(stderr, "load: building the backend")
	if err := goBuild(ctx, t.goCmd, "internal/benchmark/load/backend", env.BackendBin); err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 1
	}
	if env.Backend, _, err = startBackend(ctx, env, "backend"); err != nil {
		fmt.Fprintln(stderr, "load: cannot start the backend:", err)
		return 1
	}

	head := header(ctx, opts, t)
	rounds := make([][]Result, len(opts.Targets))
	for round := 1; round <= opts.Rounds; round++ {
		if opts.Rounds > 1 {
			fmt.Fprintf(stderr, "load: round %d of %d\n", round, opts.Rounds)
		}
		for i, v := range opts.Targets {
			if n := len(rounds[i]); n > 0 && rounds[i][n-1].Err != nil {
				continue // failed once: not measured
			}
			res := measure(ctx, opts, t, env, v, round, stderr)
			if ctx.Err() != nil {
				fmt.Fprintln(stderr, "load: interrupted; stopping every process started")
				return 1
			}
			if res.Err != nil {
				fmt.Fprintf(stderr, "load: %s: not measured: %v\n", v.Name, res.Err)
			}
			rounds[i] = append(rounds[i], res)
		}
	}
	var results []Result
	for _, rs := range rounds {
		results = append(results, median(rs))
	}
	fmt.Fprint(stdout, head)
	writeReport(stdout, results)
	for _, r := range results {
		if r.Err != nil {
			return 1
		}
	}
	return 0
}

// maxSocketErrorShare is the share of requests that may end in a socket
// error before a measurement is rejected.
const maxSocketErrorShare = 0.01

// measure starts v, checks it answers, loads it for the warm-up and then
// the measurement, reads its peak RSS and stops every process v started.
func measure(ctx context.Context, opts Options, t tools, base *Env, v Variant, round int, progress io.Writer) Result {
	res := Result{Variant: v}
	env := *base
	env.Dir = filepath.Join(base.Dir, fmt.Sprintf("%s-%d", v.Name, round))
	if err := os.Mkdir(env.Dir, 0o755); err != nil {
		res.Err = err
		return res
	}
	mark := env.Procs.Mark()
	defer env.Procs.StopSince(mark)

	fmt.Fprintf(progress, "load: %s: starting\n", v.Name)
	started := time.Now()
	target, err := v.Start(ctx, &env)
	if err != nil {
		res.Err = err
		return res
	}
	fmt.Fprintf(progress, "load: %s: ready after %.1fs\n", v.Name, time.Since(started).Seconds())
	if err := checkTarget(ctx, target, opts.Body); err != nil {
		res.Err = err
		return res
	}
	load := WrkLoad{Path: t.wrk, URL: target.URL, Connections: opts.Connections, Threads: opts.Threads, Headers: target.Headers}
	if target.Post != nil {
		if load.Script, err = writePostScript(env.Dir, target.Post); err != nil {
			res.Err = err
			return res
		}
	}
	if opts.Warmup > 0 {
		fmt.Fprintf(progress, "load: %s: warming up for %v\n", v.Name, opts.Warmup)
		load.Duration = opts.Warmup
		if _, err := RunWrk(ctx, load); err != nil {
			res.Err = fmt.Errorf("warm-up: %w", err)
			return res
		}
	}
	fmt.Fprintf(progress, "load: %s: measuring for %v\n", v.Name, opts.Duration)
	load.Duration = opts.Duration
	cpu0, err := ProcessCPU("/proc", target.PID)
	if err != nil {
		res.Err = err
		return res
	}
	if res.Wrk, err = RunWrk(ctx, load); err != nil {
		res.Err = err
		return res
	}
	cpu1, err := ProcessCPU("/proc", target.PID)
	if err != nil {
		res.Err = err
		return res
	}
	res.CPU = cpu1.Sub(cpu0).perRequest(res.Wrk.Requests)
	if res.RSS, err = PeakRSS("/proc", target.PID); err != nil {
		res.Err = err
		return res
	}
	res.Err = checkLoad(res.Wrk)
	return res
}

// checkLoad rejects a run whose numbers do not describe successful
// proxying: any error status, or more than a few socket errors.
func checkLoad(w WrkResult) error {
	switch {
	case w.Requests == 0:
		return errors.New("no request completed under load")
	case w.Non2xx > 0:
		return fmt.Errorf("%d of %d responses under load were not 2xx or 3xx", w.Non2xx, w.Requests)
	case float64(w.SocketErrors()) > maxSocketErrorShare*float64(w.Requests):
		return fmt.Errorf("%d socket errors for %d requests (connect %d, read %d, write %d, timeout %d)",
			w.SocketErrors(), w.Requests, w.ConnectErrors, w.ReadErrors, w.WriteErrors, w.Timeouts)
	}
	return nil
}
