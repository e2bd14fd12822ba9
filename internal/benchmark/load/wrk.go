package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// WrkResult is what one wrk run with --latency reports.
type WrkResult struct {
	// Requests completed and the time they took.
	Requests int64
	Elapsed  time.Duration
	// RequestsPerSec is wrk's "Requests/sec" line.
	RequestsPerSec float64
	// Percentiles maps 50, 75, 90 and 99 to the latency wrk printed.
	Percentiles map[int]time.Duration
	// Non2xx counts responses whose status was not 2xx or 3xx.
	Non2xx int64
	// Socket errors by kind.
	ConnectErrors, ReadErrors, WriteErrors, Timeouts int64
}

// P50 is the median latency.
func (r WrkResult) P50() time.Duration { return r.Percentiles[50] }

// P99 is the 99th percentile latency.
func (r WrkResult) P99() time.Duration { return r.Percentiles[99] }

// SocketErrors is the sum of connect, read, write and timeout errors.
func (r WrkResult) SocketErrors() int64 {
	return r.ConnectErrors + r.ReadErrors + r.WriteErrors + r.Timeouts
}

// WrkLoad is one wrk invocation.
type WrkLoad struct {
	Path        string // the wrk command
	URL         string
	Duration    time.Duration // whole seconds, at least one
	Connections int
	Threads     int
	Headers     []string // "Name: value", sent with every request
	Script      string   // a wrk Lua script (-s), such as one that POSTs
}

// Args are wrk's command-line arguments for l.
func (l WrkLoad) Args() []string {
	args := []string{
		"-t", strconv.Itoa(l.Threads),
		"-c", strconv.Itoa(l.Connections),
		"-d", fmt.Sprintf("%ds", int(l.Duration/time.Second)),
	}
	for _, h := range l.Headers {
		args = append(args, "-H", h)
	}
	if l.Script != "" {
		args = append(args, "-s", l.Script)
	}
	return append(args, "--latency", l.URL)
}

// RunWrk runs wrk and parses its report.
func RunWrk(ctx context.Context, l WrkLoad) (WrkResult, error) {
	cmd := exec.CommandContext(ctx, l.Path, l.Args()...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return WrkResult{}, fmt.Errorf("wrk: %w", ctx.Err())
	}
	if err != nil {
		return WrkResult{}, fmt.Errorf("wrk %s: %w: %s%s", strings.Join(l.Args(), " "), err, strings.TrimSpace(string(out)), strings.TrimSpace(stderr.String()))
	}
	res, err := ParseWrk(string(out))
	if err != nil {
		return WrkResult{}, fmt.Errorf("wrk %s: %w", strings.Join(l.Args(), " "), err)
	}
	return res, nil
}

// ParseWrk parses the text report of wrk 4 run with --latency. It needs
// the "Latency Distribution" block (50% and 99% at least), the
// "N requests in T" line and the "Requests/sec:" line.
func ParseWrk(out string) (WrkResult, error) {
	res := WrkResult{Percentiles: map[int]time.Duration{}}
	var haveRequests, haveRate bool
	inDistribution := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		fail := func(what string, err error) (WrkResult, error) {
			return WrkResult{}, fmt.Errorf("wrk output line %d %q: %s: %w", n, line, what, err)
		}
		if inDistribution {
			if pct, val, ok := strings.Cut(line, "%"); ok && !strings.Contains(pct, " ") {
				p, err := strconv.Atoi(pct)
				if err != nil || p <= 0 || p > 100 {
					return fail("bad percentile", fmt.Errorf("%q is not a percentage from 1 to 100", pct))
				}
				d, err := parseWrkDuration(strings.TrimSpace(val))
				if err != nil {
					return fail("bad latency", err)
				}
				res.Percentiles[p] = d
				continue
			}
			inDistribution = false
		}
		switch {
		case line == "Latency Distribution":
			inDistribution = true
		case strings.HasPrefix(line, "Requests/sec:"):
			v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(line, "Requests/sec:")), 64)
			if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
				return fail("bad rate", fmt.Errorf("not a non-negative number"))
			}
			res.RequestsPerSec, haveRate = v, true
		case strings.Contains(line, " requests in "):
			var count, elapsed string
			if _, err := fmt.Sscanf(line, "%s requests in %s", &count, &elapsed); err != nil {
				return fail("bad request count", err)
			}
			c, err := strconv.ParseInt(count, 10, 64)
			if err != nil || c < 0 {
				return fail("bad request count", fmt.Errorf("%q is not a count", count))
			}
			d, err := parseWrkDuration(strings.TrimSuffix(elapsed, ","))
			if err != nil {
				return fail("bad elapsed time", err)
			}
			res.Requests, res.Elapsed, haveRequests = c, d, true
		case strings.HasPrefix(line, "Non-2xx or 3xx responses:"):
			v, err := strconv.ParseInt(strings.TrimSpace(strings.TrimPrefix(line, "Non-2xx or 3xx responses:")), 10, 64)
			if err != nil || v < 0 {
				return fail("bad non-2xx count", fmt.Errorf("not a count"))
			}
			res.Non2xx = v
		case strings.HasPrefix(line, "Socket errors:"):
			var err error
			if _, err = fmt.Sscanf(line, "Socket errors: connect %d, read %d, write %d, timeout %d",
				&res.ConnectErrors, &res.ReadErrors, &res.WriteErrors, &res.Timeouts); err != nil {
				return fail("bad socket error counts", err)
			}
			if res.ConnectErrors < 0 || res.ReadErrors < 0 || res.WriteErrors < 0 || res.Timeouts < 0 {
				return fail("bad socket error counts", fmt.Errorf("negative count"))
			}
		}
	}
	if err := sc.Err(); err != nil {
		return WrkResult{}, fmt.Errorf("reading wrk output: %w", err)
	}
	var missing []string
	if !haveRequests {
		missing = append(missing, `"N requests in T" line`)
	}
	if !haveRate {
		missing = append(missing, `"Requests/sec:" line`)
	}
	for _, p := range []int{50, 99} {
		if _, ok := res.Percentiles[p]; !ok {
			missing = append(missing, fmt.Sprintf("%d%% latency (run wrk with --latency)", p))
		}
	}
	if len(missing) > 0 {
		return WrkResult{}, fmt.Errorf("wrk output is missing the %s; is this the report of wrk 4?", strings.Join(missing, ", the "))
	}
	if res.P50() > res.P99() {
		return WrkResult{}, fmt.Errorf("wrk output has a 50%% latency (%v) above its 99%% latency (%v)", res.P50(), res.P99())
	}
	return res, nil
}

// wrkUnits are the time units wrk prints, with their length.
var wrkUnits = []struct {
	suffix string
	unit   time.Duration
}{
	{"us", time.Microsecond},
	{"ms", time.Millisecond},
	{"s", time.Second},
	{"m", time.Minute},
	{"h", time.Hour},
}

// parseWrkDuration reads wrk's "2.00ms", "319.42ms", "5.06s", "1.00m".
func parseWrkDuration(s string) (time.Duration, error) {
	for _, u := range wrkUnits {
		num, ok := strings.CutSuffix(s, u.suffix)
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(num, 64)
		if err != nil || v < 0 || math.IsNaN(v) || v*float64(u.unit) > float64(math.MaxInt64) {
			break
		}
		return time.Duration(math.Round(v * float64(u.unit))), nil
	}
	return 0, fmt.Errorf("%q is not a wrk duration such as 850.00us, 2.00ms or 1.05s", s)
}
