package ratelimit

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestWindowAtAlignsToEpoch(t *testing.T) {
	for _, tc := range []struct {
		now  int64 // Unix ms
		size time.Duration
		want Window
	}{
		{0, time.Second, Window{0, 1000}},
		{999, time.Second, Window{0, 1000}},
		{1000, time.Second, Window{1000, 2000}},
		{61_500, time.Minute, Window{60_000, 120_000}},
		{-1, time.Second, Window{-1000, 0}},
		{86_400_000*3 + 5, 24 * time.Hour, Window{86_400_000 * 3, 86_400_000 * 4}},
	} {
		got := WindowAt(time.UnixMilli(tc.now), tc.size)
		if got != tc.want {
			t.Errorf("WindowAt(%d ms, %v) = %+v, want %+v", tc.now, tc.size, got, tc.want)
		}
	}
}

func TestRetryAfterAtEdges(t *testing.T) {
	w := WindowAt(time.UnixMilli(60_000), time.Minute) // [60s, 120s)
	for _, tc := range []struct {
		now  int64
		want int64
	}{
		{60_000, 60}, // first instant: the whole window
		{60_001, 60}, // rounds up
		{119_000, 1}, // one second left
		{119_999, 1}, // last millisecond still says 1
		{119_001, 1}, // part of a second
		{118_999, 2}, // just over a second
		{130_000, 1}, // after the end: never 0
	} {
		if got := w.RetryAfterSeconds(time.UnixMilli(tc.now)); got != tc.want {
			t.Errorf("RetryAfterSeconds at %d ms = %d, want %d", tc.now, got, tc.want)
		}
	}
}

func TestWindowSize(t *testing.T) {
	for unit, want := range map[string]time.Duration{
		"sec": 3 * time.Second, "min": 3 * time.Minute, "hour": 3 * time.Hour, "day": 72 * time.Hour,
		"week": 21 * 24 * time.Hour, "month": 90 * 24 * time.Hour, "year": 3 * 365 * 24 * time.Hour,
	} {
		got, err := WindowSize(3, unit)
		if err != nil || got != want {
			t.Errorf("WindowSize(3, %s) = %v, %v; want %v", unit, got, err, want)
		}
	}
	for _, tc := range []struct {
		n    int64
		unit string
	}{{1, "fortnight"}, {0, "min"}, {-1, "sec"}, {1 << 60, "year"}} {
		if _, err := WindowSize(tc.n, tc.unit); err == nil {
			t.Errorf("WindowSize(%d, %q) accepted", tc.n, tc.unit)
		}
	}
}

func TestBytes(t *testing.T) {
	for unit, want := range map[string]int64{"KB": 2048, "MB": 2 << 20, "GB": 2 << 30} {
		if got, err := Bytes(2, unit); err != nil || got != want {
			t.Errorf("Bytes(2, %s) = %d, %v; want %d", unit, got, err, want)
		}
	}
	if _, err := Bytes(1, "TB"); err == nil {
		t.Error("TB accepted")
	}
	if _, err := Bytes(0, "KB"); err == nil {
		t.Error("0 KB accepted")
	}
}

func TestMemoryCountsPerKeyAndWindow(t *testing.T) {
	s := NewMemory()
	w1 := WindowAt(time.UnixMilli(1_000), time.Second)
	w2 := WindowAt(time.UnixMilli(2_000), time.Second)
	if v := s.Incr([]byte("a"), 1, w1); v != 1 {
		t.Fatalf("first = %d", v)
	}
	if v := s.Incr([]byte("a"), 5, w1); v != 6 {
		t.Fatalf("second = %d", v)
	}
	if v := s.Incr([]byte("b"), 1, w1); v != 1 {
		t.Fatalf("other key = %d", v)
	}
	if v := s.Incr([]byte("a"), 1, w2); v != 1 {
		t.Fatalf("next window restarts: got %d", v)
	}
}

func TestMemoryExactUnderConcurrency(t *testing.T) {
	s := NewMemory()
	w := WindowAt(time.Now(), time.Hour)
	const limit, callers = 37, 1000
	var passed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if v, _ := s.Add(context.Background(), []byte("k"), 1, w); v <= limit {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if passed.Load() != limit {
		t.Fatalf("%d passed, want exactly %d", passed.Load(), limit)
	}
}

func TestMemorySweepDropsEndedWindows(t *testing.T) {
	s := NewMemory()
	short := WindowAt(time.UnixMilli(10_000), time.Second) // ends 11s
	long := WindowAt(time.UnixMilli(10_000), time.Minute)  // ends 60s
	for i := 0; i < 100; i++ {
		s.Incr([]byte("s"+strconv.Itoa(i)), 1, short)
	}
	s.Incr([]byte("long"), 1, long)
	if n := s.Sweep(time.UnixMilli(10_999)); n != 0 {
		t.Fatalf("swept %d live counters", n)
	}
	if n := s.Sweep(time.UnixMilli(11_000)); n != 100 {
		t.Fatalf("swept %d, want 100", n)
	}
	if s.Len() != 1 {
		t.Fatalf("%d left, want the long one", s.Len())
	}
	if v := s.Incr([]byte("long"), 1, long); v != 2 {
		t.Fatalf("long counter lost: %d", v)
	}
}

func TestRunSweeperStops(t *testing.T) {
	s := NewMemory()
	s.Incr([]byte("x"), 1, Window{0, 1})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.RunSweeper(ctx, time.Millisecond, time.Now); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for s.Len() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if s.Len() != 0 {
		t.Fatal("sweeper did not remove the ended counter")
	}
}

// BenchmarkMemoryIncr is the hot-path check on an existing key.
func BenchmarkMemoryIncr(b *testing.B) {
	s := NewMemory()
	w := WindowAt(time.Now(), time.Hour)
	key := []byte("app-123:/petstore:1.0.0")
	s.Incr(key, 1, w)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.Incr(key, 1, w)
	}
}

// BenchmarkMemoryIncrParallel spreads keys over goroutines.
func BenchmarkMemoryIncrParallel(b *testing.B) {
	s := NewMemory()
	w := WindowAt(time.Now(), time.Hour)
	var id atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		key := []byte(fmt.Sprintf("app-%d:/petstore:1.0.0", id.Add(1)))
		for pb.Next() {
			s.Incr(key, 1, w)
		}
	})
}

// BenchmarkMemoryMillionKeys reports the heap held per distinct key.
func BenchmarkMemoryMillionKeys(b *testing.B) {
	const keys = 1_000_000
	w := WindowAt(time.Now(), time.Hour)
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s := NewMemory()
		buf := make([]byte, 0, 64)
		for k := 0; k < keys; k++ {
			buf = strconv.AppendInt(append(buf[:0], "app-"...), int64(k), 10)
			buf = append(buf, ":/petstore:1.0.0"...)
			s.Incr(buf, 1, w)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/keys, "bytes/key")
		runtime.KeepAlive(s)
	}
}
