package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// routing is the routing-only goal.
var routing = &Goal{Rate: 0.85, Scenario: "routing only"}

func result(name string, rate float64, p99 time.Duration, rss int64) Result {
	return Result{Variant: Variant{Name: name, Goal: routing}, RSS: rss,
		Wrk: WrkResult{Requests: 1000, RequestsPerSec: rate, Percentiles: map[int]time.Duration{50: p99 / 4, 99: p99}}}
}

func verdicts(lines []GoalLine) string {
	var v []string
	for _, l := range lines {
		v = append(v, l.Verdict)
	}
	return strings.Join(v, " ")
}

func TestEvaluateGoals(t *testing.T) {
	nginx := result("nginx", 20000, 8*time.Millisecond, 10<<20)
	cases := []struct {
		name string
		gw   Result
		want string
	}{
		{"all met at the limits", result("gateway", 17000, 12*time.Millisecond, 25<<20), "PASS PASS PASS"},
		{"just under each", result("gateway", 16999, 12*time.Millisecond+time.Microsecond, 25<<20+1), "FALL SHORT FALL SHORT FALL SHORT"},
		{"not measured", Result{Variant: Variant{Name: "gateway", Goal: routing}, Err: errors.New("x")}, "n/a n/a n/a"},
	}
	for _, c := range cases {
		if got := verdicts(evaluateGoals(c.gw, &nginx)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := verdicts(evaluateGoals(result("gateway", 1, time.Second, 1<<20), nil)); got != "n/a n/a PASS" {
		t.Errorf("without nginx: %s, want n/a n/a PASS", got)
	}
	// The secured scenario is judged on its own rate goal.
	secured := result("gateway-secured", 16000, 8*time.Millisecond, 20<<20)
	secured.Variant.Goal = &Goal{Rate: 0.80, Scenario: "JWT + throttling + analytics"}
	if got := verdicts(evaluateGoals(secured, &nginx)); got != "PASS PASS PASS" {
		t.Errorf("secured at 0.80x: %s, want PASS PASS PASS", got)
	}
}

func TestWriteReportNamesFailures(t *testing.T) {
	var b strings.Builder
	writeReport(&b, []Result{
		result("nginx", 20000, 8*time.Millisecond, 10<<20),
		{Variant: Variant{Name: "gateway", Goal: routing}, Err: errors.New("build failed")},
	})
	out := b.String()
	for _, want := range []string{"gateway: not measured: build failed", "targets for gateway, routing only:", "req/s >= 0.85x nginx", "p99 <= 1.5x nginx", "peak RSS <= 25 MiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckLoad(t *testing.T) {
	ok := WrkResult{Requests: 1000, ReadErrors: 10}
	if err := checkLoad(ok); err != nil {
		t.Errorf("1%% socket errors: %v", err)
	}
	for name, w := range map[string]WrkResult{
		"no requests":   {},
		"error status":  {Requests: 1000, Non2xx: 1},
		"socket errors": {Requests: 1000, Timeouts: 11},
	} {
		if err := checkLoad(w); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMedianRun(t *testing.T) {
	runs := []Result{
		result("gateway", 900, 9*time.Millisecond, 21<<20),
		result("gateway", 1200, 5*time.Millisecond, 20<<20),
		result("gateway", 1000, 7*time.Millisecond, 25<<20),
	}
	us := time.Microsecond
	// The median run by req/s (runs[2]) is not the one with the median
	// CPU time: CPU per request is the median of each round's.
	runs[0].CPU = CPUTime{User: 10 * us, Sys: 40 * us}
	runs[1].CPU = CPUTime{User: 20 * us, Sys: 30 * us}
	runs[2].CPU = CPUTime{User: 30 * us, Sys: 20 * us}
	m := median(runs)
	if m.CPU.User != 20*us || m.CPU.Sys != 30*us {
		t.Errorf("CPU per request %+v; want the median user (20 µs) and system (30 µs) time of the rounds", m.CPU)
	}
	if m.Wrk.RequestsPerSec != 1000 || m.Wrk.P99() != 7*time.Millisecond {
		t.Errorf("median run %v req/s, p99 %v; want the 1000 req/s run", m.Wrk.RequestsPerSec, m.Wrk.P99())
	}
	if m.RSS != 25<<20 {
		t.Errorf("peak RSS %d; want the highest of the runs", m.RSS)
	}
	if len(m.Rates) != 3 || m.Rates[0] != 900 || m.Rates[2] != 1000 {
		t.Errorf("rates %v; want every round in order", m.Rates)
	}
	if two := median(runs[:2]); two.Wrk.RequestsPerSec != 900 {
		t.Errorf("median of two: %v; want the lower one", two.Wrk.RequestsPerSec)
	}
	failed := append(slices.Clone(runs), Result{Variant: Variant{Name: "gateway"}, Err: errors.New("crashed")})
	if median(failed).Err == nil {
		t.Error("a target that failed a round was reported as measured")
	}
	var buf strings.Builder
	writeReport(&buf, []Result{m})
	if !strings.Contains(buf.String(), "900 1200 1000") || !strings.Contains(buf.String(), "20.0+30.0") {
		t.Errorf("report lacks the rounds:\n%s", buf.String())
	}
}

// TestGoalsPerRound: with rounds, the goals are judged on the median of
// each round's ratio, which pairs measurements taken close in time.
func TestGoalsPerRound(t *testing.T) {
	withRounds := func(name string, rates []float64, p99s []time.Duration) *Result {
		var runs []Result
		for i := range rates {
			runs = append(runs, result(name, rates[i], p99s[i], 20<<20))
		}
		m := median(runs)
		return &m
	}
	ms := time.Millisecond
	nginx := withRounds("nginx", []float64{18725, 23501, 24078}, []time.Duration{7 * ms, 6 * ms, 6 * ms})
	// The medians of each (20000 vs 23501) are 0.85x apart, but each
	// round's ratio is 0.91, 0.87, 0.81: the median is 0.87.
	gw := withRounds("gateway", []float64{17040, 20446, 19500}, []time.Duration{10 * ms, 8 * ms, 9 * ms})
	lines := evaluateGoals(*gw, nginx)
	if got := verdicts(lines); got != "PASS PASS PASS" {
		t.Errorf("verdicts %s, want PASS PASS PASS: %+v", got, lines)
	}
	if !strings.Contains(lines[0].Value, "0.87x") || !strings.Contains(lines[0].Value, "(0.91 0.87 0.81)") {
		t.Errorf("rate line %q", lines[0].Value)
	}
	slow := withRounds("gateway", []float64{15000, 20000, 20000}, []time.Duration{10 * ms, 11 * ms, 12 * ms})
	if got := verdicts(evaluateGoals(*slow, nginx)); !strings.HasPrefix(got, "FALL SHORT") {
		t.Errorf("ratios 0.80 0.85 0.83 (median 0.83): %s, want the rate to FALL SHORT", got)
	}
}

// TestReportShowsFloor: beside the goals, the report gives the ratio a
// bare Go proxy reached in the same rounds, when it was measured.
func TestReportShowsFloor(t *testing.T) {
	ms := time.Millisecond
	rounds := func(name string, rates ...float64) Result {
		var runs []Result
		for _, x := range rates {
			runs = append(runs, result(name, x, 5*ms, 20<<20))
		}
		return median(runs)
	}
	gw := rounds("gateway", 14000, 15000, 16000)
	gw.Variant.Goal = &Goal{Rate: 0.85, Scenario: "routing only", Floor: "bare-fasthttp"}
	nginx := rounds("nginx", 20000, 20000, 20000)
	floor := rounds("bare-fasthttp", 17000, 16000, 18000)
	var buf strings.Builder
	writeReport(&buf, []Result{nginx, floor, gw})
	if !strings.Contains(buf.String(), "floor: bare-fasthttp") || !strings.Contains(buf.String(), "0.85x, median of the rounds' ratios (0.85 0.80 0.90)") {
		t.Errorf("report lacks the floor and its ratios:\n%s", buf.String())
	}
	buf.Reset()
	writeReport(&buf, []Result{nginx, gw})
	if strings.Contains(buf.String(), "floor") {
		t.Errorf("a floor that was not measured is reported:\n%s", buf.String())
	}
}

// TestReportShowsBaseline: beside a scenario's goals, the gateway without
// the scenario's features, compared with the same reference.
func TestReportShowsBaseline(t *testing.T) {
	ms := time.Millisecond
	nginxPost := result("nginx-post", 20000, 5*ms, 19<<20)
	val := result("gateway-validation", 13000, 7*ms, 19<<20)
	val.Variant.Goal = &Goal{Rate: 0.75, Scenario: "request validation", Baseline: "gateway-post"}
	val.Variant.Reference = "nginx-post"
	base := result("gateway-post", 15000, 6*ms, 19<<20)
	base.Variant.Reference = "nginx-post"
	var buf strings.Builder
	writeReport(&buf, []Result{nginxPost, base, val})
	if !strings.Contains(buf.String(), "baseline: gateway-post") || !strings.Contains(buf.String(), "0.75x (15000 vs 20000)") {
		t.Errorf("report lacks the baseline compared with nginx-post:\n%s", buf.String())
	}
	buf.Reset()
	writeReport(&buf, []Result{nginxPost, val})
	if strings.Contains(buf.String(), "baseline") {
		t.Errorf("a baseline that was not measured is reported:\n%s", buf.String())
	}
}

// TestPostTargetsUseNginxPost: a target that POSTs is compared with nginx
// under the same POSTs, in the table and in its goals.
func TestPostTargetsUseNginxPost(t *testing.T) {
	nginx := result("nginx", 30000, 5*time.Millisecond, 19<<20)
	nginxPost := result("nginx-post", 20000, 5*time.Millisecond, 19<<20)
	gw := result("gateway-validation", 15000, 7*time.Millisecond, 19<<20)
	gw.Variant.Goal = &Goal{Rate: 0.75, Scenario: "request validation"}
	gw.Variant.Reference = "nginx-post"
	var buf strings.Builder
	writeReport(&buf, []Result{nginx, nginxPost, gw})
	out := buf.String()
	if !strings.Contains(out, "0.75x (15000 vs 20000)") || !strings.Contains(out, "req/s >= 0.75x nginx-post") {
		t.Errorf("the goals do not compare with nginx-post:\n%s", out)
	}
	row := out[strings.Index(out, "gateway-validation"):]
	row = row[:strings.IndexByte(row, '\n')]
	if !strings.Contains(row, "0.75x") || strings.Contains(row, "0.50x") {
		t.Errorf("the table row does not divide by nginx-post: %q", row)
	}
}

// TestPostingTargetsNamed: the report's header names every target that
// is divided by nginx-post, gateway-post included, and no GET target.
func TestPostingTargetsNamed(t *testing.T) {
	got := strings.Join(postingTargets(), ",")
	for _, name := range []string{"bare-fasthttp-post", "gateway-validation", "gateway-post"} {
		if !strings.Contains(","+got+",", ","+name+",") {
			t.Errorf("postingTargets() = %s, missing %s", got, name)
		}
	}
	for _, name := range []string{"nginx", "nginx-post", "gateway", "bare-fasthttp"} {
		if strings.Contains(","+got+",", ","+name+",") {
			t.Errorf("postingTargets() = %s, names %s", got, name)
		}
	}
}
