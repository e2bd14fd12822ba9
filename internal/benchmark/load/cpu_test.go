package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A /proc/<pid>/stat line of the benchmark's gateway under load: utime
// 1234 and stime 5678 ticks.
const gatewayStat = "31848 (bench) S 1 31848 31848 0 -1 4194560 2690 0 0 0 1234 5678 0 0 20 0 11 0 9104321 1294594048 2653 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0"

func TestStatCPU(t *testing.T) {
	got, err := StatCPU([]byte(gatewayStat))
	if err != nil || got.User != 12340*time.Millisecond || got.Sys != 56780*time.Millisecond {
		t.Errorf("StatCPU = %+v, %v; want 12.34 s user, 56.78 s system", got, err)
	}
	// A command name may hold ") " and spaces.
	odd := strings.Replace(gatewayStat, "(bench)", "(a) b) c)", 1)
	if got, err := StatCPU([]byte(odd)); err != nil || got.User != 12340*time.Millisecond {
		t.Errorf("command name with \") \": %+v, %v", got, err)
	}
	for _, bad := range []string{"", "42 (x", "42 (x) S 1 2 3", strings.Replace(gatewayStat, " 1234 ", " -5 ", 1), strings.Replace(gatewayStat, " 5678 ", " 5x ", 1)} {
		if got, err := StatCPU([]byte(bad)); err == nil {
			t.Errorf("StatCPU(%.40q) = %+v, want an error", bad, got)
		}
	}
}

// TestProcessCPUCountsChildren: a child that spins is counted in its
// parent's CPU time, as nginx's workers are in nginx's.
func TestProcessCPUCountsChildren(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc on this system:", err)
	}
	before, err := ProcessCPU("/proc", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "while :; do :; done")
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start sh:", err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	// Wait until the child has used 300 ms of CPU (it spins as fast as the
	// machine lets it; a busy machine may take longer).
	var child CPUTime
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if child, err = ProcessCPU("/proc", cmd.Process.Pid); err != nil {
			t.Fatal(err)
		}
		if child.User+child.Sys >= 300*time.Millisecond {
			break
		}
	}
	if child.User+child.Sys < 300*time.Millisecond {
		t.Skipf("the child used only %v of CPU in 30 s", child.User+child.Sys)
	}
	after, err := ProcessCPU("/proc", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if grew := after.Sub(before); grew.User+grew.Sys < child.User+child.Sys {
		t.Errorf("the parent's CPU time grew by %+v while its child used %+v", grew, child)
	}
	if _, err := ProcessCPU("/proc", 1<<30); err == nil {
		t.Error("ProcessCPU of a process that does not exist: no error")
	}
}

func TestCPUPerRequest(t *testing.T) {
	c := CPUTime{User: 2 * time.Second, Sys: 5 * time.Second}.perRequest(100000)
	if c.User != 20*time.Microsecond || c.Sys != 50*time.Microsecond {
		t.Errorf("perRequest = %+v, want 20 µs user and 50 µs system", c)
	}
	if got := cpuPerRequest(c); got != "20.0+50.0" {
		t.Errorf("cpuPerRequest = %q", got)
	}
	if z := (CPUTime{User: time.Second}).perRequest(0); z != (CPUTime{}) {
		t.Errorf("no requests: %+v, want zero", z)
	}
}

func FuzzStatCPU(f *testing.F) {
	f.Add([]byte(gatewayStat))
	f.Add([]byte("1 (init) S 0 1 1 0 -1 4194560 0 0 0 0 7 9"))
	f.Fuzz(func(t *testing.T, stat []byte) {
		if c, err := StatCPU(stat); err == nil && (c.User < 0 || c.Sys < 0) {
			t.Fatalf("StatCPU = %+v", c)
		}
	})
}
