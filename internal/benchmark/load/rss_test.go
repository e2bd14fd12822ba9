package main

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testdata/proc-status.txt is /proc/<pid>/status of the benchmark backend.
func TestStatusKB(t *testing.T) {
	status := []byte(readTestdata(t, "proc-status.txt"))
	for field, kb := range map[string]int64{"VmHWM": 14568, "VmRSS": 14496, "VmPeak": 2210004} {
		got, err := StatusKB(status, field)
		if err != nil || got != kb*1024 {
			t.Errorf("StatusKB(%s) = %d, %v; want %d", field, got, err, kb*1024)
		}
	}
	if _, err := StatusKB(status, "VmNothing"); err == nil || !strings.Contains(err.Error(), "no VmNothing line") {
		t.Errorf("missing field: err = %v", err)
	}
	if _, err := StatusKB(status, "Name"); err == nil || !strings.Contains(err.Error(), "not in kB") {
		t.Errorf("field without kB: err = %v", err)
	}
	if _, err := StatusKB([]byte("VmHWM:\t  12x kB\n"), "VmHWM"); err == nil || !strings.Contains(err.Error(), "not a size") {
		t.Errorf("bad number: err = %v", err)
	}
}

func readSelfKB(t *testing.T, field string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc on this system:", err)
	}
	v, err := StatusKB(data, field)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPeakRSSSeesGrowth(t *testing.T) {
	before := readSelfKB(t, "VmRSS")
	const grow = 64 << 20
	buf := make([]byte, grow)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	peak, err := PeakRSS("/proc", os.Getpid())
	runtime.KeepAlive(buf)
	if err != nil {
		t.Fatal(err)
	}
	if peak < before+grow-(4<<20) {
		t.Errorf("peak RSS %d MiB after touching 64 MiB on top of %d MiB", peak>>20, before>>20)
	}
}

func TestPeakRSSCountsChildren(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip("cannot start sleep:", err)
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	kids, err := Descendants("/proc", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(kids, cmd.Process.Pid) {
		t.Fatalf("Descendants = %v, want it to hold the child %d", kids, cmd.Process.Pid)
	}
	own := readSelfKB(t, "VmHWM")
	data, err := os.ReadFile("/proc/" + strconv.Itoa(cmd.Process.Pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	child, err := StatusKB(data, "VmHWM")
	if err != nil {
		t.Fatal(err)
	}
	peak, err := PeakRSS("/proc", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if child <= 0 || peak < own+child {
		t.Errorf("PeakRSS = %d, want at least own %d + child %d", peak, own, child)
	}
	if _, err := PeakRSS("/proc", 1<<30); err == nil {
		t.Error("PeakRSS of a process that does not exist: no error")
	}
}

func TestParentPID(t *testing.T) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skip("no /proc on this system:", err)
	}
	if got, err := ParentPID(stat); err != nil || got != os.Getppid() {
		t.Errorf("ParentPID(/proc/self/stat) = %d, %v; want %d", got, err, os.Getppid())
	}
	if got, err := ParentPID([]byte("42 (a) b) c) S 7 42 42 0")); err != nil || got != 7 {
		t.Errorf("command name with \") \": got %d, %v; want 7", got, err)
	}
	for _, bad := range []string{"", "42 (x", "42 (x) S", "42 (x) S -3 1"} {
		if got, err := ParentPID([]byte(bad)); err == nil {
			t.Errorf("ParentPID(%q) = %d, want an error", bad, got)
		}
	}
}

func FuzzStatusKB(f *testing.F) {
	f.Add([]byte(readTestdata(f, "proc-status.txt")), "VmHWM")
	f.Add([]byte("VmHWM: 1 kB\n"), "VmHWM")
	f.Fuzz(func(t *testing.T, status []byte, field string) {
		if v, err := StatusKB(status, field); err == nil && (v < 0 || v%1024 != 0) {
			t.Fatalf("StatusKB = %d", v)
		}
	})
}

func FuzzParentPID(f *testing.F) {
	f.Add([]byte("42 (a) b) S 7 42 42 0"))
	f.Add([]byte("1 (init) S 0 1 1 0 -1 4194560"))
	f.Fuzz(func(t *testing.T, stat []byte) {
		if v, err := ParentPID(stat); err == nil && v < 0 {
			t.Fatalf("ParentPID = %d", v)
		}
	})
}
