package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Goals of issue 12 for every variant with a Goal: its own share of
// nginx's requests/s (Goal.Rate), and these two.
const (
	goalP99Ratio = 1.5      // p99 at most this multiple of nginx's
	goalRSS      = 25 << 20 // peak RSS under load at most this
)

// Goal is the requests/s target of a variant: at least Rate times its
// reference's (nginx under the same load), for what the variant stands
// for (Scenario).
type Goal struct {
	Rate     float64
	Scenario string
	// Floor is a bare Go proxy under the same load (bare-fasthttp): when
	// it was measured, its ratio is printed beside the goals, as the
	// most a Go proxy reached in the same rounds.
	Floor string
	// Baseline is the gateway under the same load without the features
	// the scenario adds (gateway for the secured scenario, gateway-post
	// for validation): when measured, its ratio is printed beside the
	// goals, as what those features cost.
	Baseline string
}

// header describes the run: load, machine and tool versions.
func header(ctx context.Context, o Options, t tools) string {
	var b strings.Builder
	fmt.Fprintf(&b, "load comparison: wrk -t%d -c%d -d%v --latency, %d-byte body, %v warm-up per target, all on 127.0.0.1\n",
		o.Threads, o.Connections, o.Duration, o.Body, o.Warmup)
	fmt.Fprintf(&b, "machine: %d CPUs, load average %s; %s; %s", runtime.NumCPU(), loadAverage(), runtime.Version(), firstLine(ctx, t.wrk, "-v"))
	if t.nginx != "" {
		fmt.Fprintf(&b, "; %s, worker_processes %s", firstLine(ctx, t.nginx, "-v"), o.NginxWorkers)
	}
	b.WriteString("\npeak RSS: VmHWM of the target process plus its children (nginx: master and workers)\n")
	b.WriteString("CPU µs/req: user and system time of the same processes during the measurement, per request (median of the rounds);\n")
	b.WriteString("        steadier than req/s on a shared machine, and the measure to use for changes of a few percent\n")
	b.WriteString("÷ nginx: ratios to nginx, or to nginx-post for the targets that POST what it POSTs (" + strings.Join(postingTargets(), ", ") + ")\n")
	if o.Rounds > 1 {
		fmt.Fprintf(&b, "rounds: every target measured %d times, taking turns; each row is the target's median run by req/s, peak RSS the highest of its runs;\n", o.Rounds)
		b.WriteString("        the targets below compare the gateway's and nginx's runs of each round and take the median ratio\n")
	}
	b.WriteString("\n")
	return b.String()
}

// postingTargets names the variants measured against nginx-post.
func postingTargets() []string {
	var names []string
	for _, v := range variants() {
		if v.Reference == "nginx-post" {
			names = append(names, v.Name)
		}
	}
	return names
}

// loadAverage is the 1, 5 and 15 minute load average: other work on the
// machine moves the numbers.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// firstLine is the first line a command prints (on either stream).
func firstLine(ctx context.Context, cmd string, args ...string) string {
	out, _ := exec.CommandContext(ctx, cmd, args...).CombinedOutput() // wrk -v exits 1
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	line = strings.TrimPrefix(line, "nginx version: ")
	if i := strings.Index(line, " Copyright"); i > 0 {
		line = line[:i]
	}
	if line == "" {
		return cmd + " (version unknown)"
	}
	return line
}

// reference is the name of the variant v's ratio columns divide by.
func (v Variant) reference() string {
	if v.Reference == "" {
		return "nginx"
	}
	return v.Reference
}

// writeReport prints the table, the failures and the goals.
func writeReport(w io.Writer, results []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	spread := false
	for _, r := range results {
		spread = spread || len(r.Rates) > 1
	}
	head := "target\treq/s\tp50 ms\tp99 ms\tpeak RSS MiB\tCPU µs/req user+sys\treq/s ÷ nginx\tp99 ÷ nginx\terrors\t"
	if spread {
		head += "req/s of the rounds\t"
	}
	fmt.Fprintln(tw, head)
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t-\tnot measured\t\n", r.Variant.Name)
			continue
		}
		rounds := ""
		if spread {
			var rs []string
			for _, x := range r.Rates {
				rs = append(rs, fmt.Sprintf("%.0f", x))
			}
			rounds = strings.Join(rs, " ") + "\t"
		}
		rate, p99 := "-", "-"
		if nginx := find(results, r.Variant.reference()); nginx != nil {
			rate = fmt.Sprintf("%.2fx", r.Wrk.RequestsPerSec/nginx.Wrk.RequestsPerSec)
			p99 = fmt.Sprintf("%.2fx", ratio(r.Wrk.P99(), nginx.Wrk.P99()))
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%s\t%s\t%.1f\t%s\t%s\t%s\t%d\t%s\n", r.Variant.Name, r.Wrk.RequestsPerSec,
			ms(r.Wrk.P50()), ms(r.Wrk.P99()), float64(r.RSS)/(1<<20), cpuPerRequest(r.CPU), rate, p99, r.Wrk.SocketErrors()+r.Wrk.Non2xx, rounds)
	}
	tw.Flush()
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(w, "%s: not measured: %v\n", r.Variant.Name, r.Err)
		}
	}
	for _, r := range results {
		if r.Variant.Goal == nil {
			continue
		}
		fmt.Fprintf(w, "\ntargets for %s, %s:\n", r.Variant.Name, r.Variant.Goal.Scenario)
		gw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		ref := find(results, r.Variant.reference())
		for _, g := range evaluateGoals(r, ref) {
			fmt.Fprintf(gw, "  %s\t%s\t%s\n", g.Goal, g.Value, g.Verdict)
		}
		if floor := find(results, r.Variant.Goal.Floor); floor != nil && ref != nil {
			fmt.Fprintf(gw, "  floor: %s\t%s\t(a bare Go proxy, nothing else)\n", floor.Variant.Name, rateVersus(*floor, *ref))
		}
		if base := find(results, r.Variant.Goal.Baseline); base != nil && ref != nil {
			fmt.Fprintf(gw, "  baseline: %s\t%s\t(the gateway without the scenario's features)\n", base.Variant.Name, rateVersus(*base, *ref))
		}
		gw.Flush()
	}
}

// GoalLine is one target of the issue and how a measurement met it.
type GoalLine struct {
	Goal, Value, Verdict string // Verdict is PASS, FALL SHORT or n/a
}

// evaluateGoals checks r, which has a Goal, against the targets;
// nginx, the goal's reference variant, may be nil.
func evaluateGoals(r Result, nginx *Result) []GoalLine {
	goalRate, ref := r.Variant.Goal.Rate, r.Variant.reference()
	rate := GoalLine{Goal: fmt.Sprintf("req/s >= %.2fx %s", goalRate, ref)}
	p99 := GoalLine{Goal: fmt.Sprintf("p99 <= %.1fx %s", goalP99Ratio, ref)}
	rss := GoalLine{Goal: fmt.Sprintf("peak RSS <= %d MiB", goalRSS>>20)}
	switch {
	case r.Err != nil:
		for _, g := range []*GoalLine{&rate, &p99, &rss} {
			g.Value, g.Verdict = "not measured", "n/a"
		}
		return []GoalLine{rate, p99, rss}
	case nginx == nil || nginx.Err != nil:
		rate.Value, rate.Verdict = ref+" not measured", "n/a"
		p99.Value, p99.Verdict = ref+" not measured", "n/a"
	case len(r.Rates) > 1 && len(r.Rates) == len(nginx.Rates):
		// Rounds: each round's ratio pairs two measurements taken a few
		// seconds apart, under the same load on the machine; the goal
		// is judged on the median of those ratios.
		xs := make([]float64, len(r.Rates))
		ys := make([]float64, len(r.Rates))
		for i := range r.Rates {
			xs[i] = r.Rates[i] / nginx.Rates[i]
			ys[i] = ratio(r.P99s[i], nginx.P99s[i])
		}
		x, y := medianOf(xs), medianOf(ys)
		rate.Value, rate.Verdict = rateVersus(r, *nginx), verdict(x >= goalRate)
		p99.Value, p99.Verdict = fmt.Sprintf("%.2fx, median of the rounds' ratios %s", y, listRatios(ys)), verdict(y <= goalP99Ratio)
	default:
		x := r.Wrk.RequestsPerSec / nginx.Wrk.RequestsPerSec
		rate.Value, rate.Verdict = rateVersus(r, *nginx), verdict(x >= goalRate)
		y := ratio(r.Wrk.P99(), nginx.Wrk.P99())
		p99.Value, p99.Verdict = fmt.Sprintf("%.2fx (%s vs %s ms)", y, ms(r.Wrk.P99()), ms(nginx.Wrk.P99())), verdict(y <= goalP99Ratio)
	}
	rss.Value, rss.Verdict = fmt.Sprintf("%.1f MiB", float64(r.RSS)/(1<<20)), verdict(r.RSS <= goalRSS)
	return []GoalLine{rate, p99, rss}
}

// rateVersus describes r's requests/s as a share of ref's: with rounds,
// the median of each round's ratio, and the ratios.
func rateVersus(r, ref Result) string {
	if len(r.Rates) > 1 && len(r.Rates) == len(ref.Rates) {
		xs := make([]float64, len(r.Rates))
		for i := range r.Rates {
			xs[i] = r.Rates[i] / ref.Rates[i]
		}
		return fmt.Sprintf("%.2fx, median of the rounds' ratios %s", medianOf(xs), listRatios(xs))
	}
	return fmt.Sprintf("%.2fx (%.0f vs %.0f)", r.Wrk.RequestsPerSec/ref.Wrk.RequestsPerSec, r.Wrk.RequestsPerSec, ref.Wrk.RequestsPerSec)
}

// medianOf is the middle value (the lower middle one for an even count).
func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[(len(s)-1)/2]
}

// listRatios prints ratios in round order, such as "(0.72 0.66 0.57)".
func listRatios(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = fmt.Sprintf("%.2f", x)
	}
	return "(" + strings.Join(parts, " ") + ")"
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "FALL SHORT"
}

// ratio is a/b; a zero b (a p99 below wrk's resolution) counts as 1 µs.
func ratio(a, b time.Duration) float64 {
	return float64(a) / float64(max(b, time.Microsecond))
}

// cpuPerRequest prints user and system time per request in µs, such as
// "6.1+19.2".
func cpuPerRequest(c CPUTime) string {
	us := func(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
	return fmt.Sprintf("%.1f+%.1f", us(c.User), us(c.Sys))
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// find returns the measured result named name, or nil.
func find(results []Result, name string) *Result {
	for i := range results {
		if results[i].Variant.Name == name && results[i].Err == nil {
			return &results[i]
		}
	}
	return nil
}
