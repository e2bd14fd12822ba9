package main

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func result(name string, rate float64, p99 time.Duration, rss int64) Result {
	return Result{Variant: Variant{Name: name}, RSS: rss,
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
		{"all met at the limits", result("gateway", 12000, 16*time.Millisecond, 30<<20-1), "PASS PASS PASS"},
		{"just under each", result("gateway", 11999, 16*time.Millisecond+time.Microsecond, 30<<20), "FAIL FAIL FAIL"},
		{"not measured", Result{Variant: Variant{Name: "gateway"}, Err: errors.New("x")}, "n/a n/a n/a"},
	}
	for _, c := range cases {
		if got := verdicts(evaluateGoals(c.gw, &nginx)); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if got := verdicts(evaluateGoals(result("gateway", 1, time.Second, 1<<20), nil)); got != "n/a n/a PASS" {
		t.Errorf("without nginx: %s, want n/a n/a PASS", got)
	}
}

func TestWriteReportNamesFailures(t *testing.T) {
	var b strings.Builder
	writeReport(&b, []Result{
		result("nginx", 20000, 8*time.Millisecond, 10<<20),
		{Variant: Variant{Name: "gateway", Goals: true}, Err: errors.New("build failed")},
	})
	out := b.String()
	for _, want := range []string{"gateway: not measured: build failed", "req/s >= 0.6x nginx"} {
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
