package prom

import (
	"sync"
	"testing"
	"time"
)

func TestStatusCountsConcurrent(t *testing.T) {
	var s StatusCounts
	codes := []int{200, 201, 204, 301, 304, 400, 401, 403, 404, 405, 429, 500, 502, 503, 504}
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				s.Inc(codes[(w+i)%len(codes)])
			}
		}()
	}
	wg.Wait()
	total := uint64(0)
	last := 0
	seen := 0
	s.Each(func(code int, n uint64) {
		if code <= last {
			t.Errorf("codes out of order: %d after %d", code, last)
		}
		last = code
		total += n
		seen++
	})
	if total != 8000 || seen != len(codes) {
		t.Errorf("counted %d events over %d codes, want 8000 over %d", total, seen, len(codes))
	}
}

func TestHistogramAndWriter(t *testing.T) {
	h := NewHistogram([]time.Duration{time.Millisecond, time.Second})
	h.Observe(500 * time.Microsecond)
	h.Observe(time.Millisecond) // on the bound: le is inclusive
	h.Observe(2 * time.Second)
	var w Writer
	w.Family("x_seconds", "Help with \\ and\nnewline.", "histogram")
	w.Histogram("x_seconds", []Label{L("a", `q"\`+"\n")}, h)
	want := "# HELP x_seconds Help with \\\\ and\\nnewline.\n# TYPE x_seconds histogram\n" +
		`x_seconds_bucket{a="q\"\\\n",le="0.001"} 2` + "\n" +
		`x_seconds_bucket{a="q\"\\\n",le="1"} 2` + "\n" +
		`x_seconds_bucket{a="q\"\\\n",le="+Inf"} 3` + "\n" +
		`x_seconds_sum{a="q\"\\\n"} 2.0015` + "\n" +
		`x_seconds_count{a="q\"\\\n"} 3` + "\n"
	if got := w.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
