package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// StatusKB returns a memory field ("VmHWM", "VmRSS") of a
// /proc/<pid>/status file, in bytes.
func StatusKB(status []byte, field string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != field {
			continue
		}
		num, ok := strings.CutSuffix(strings.TrimSpace(value), " kB")
		if !ok {
			return 0, fmt.Errorf("%s: %q is not in kB", field, strings.TrimSpace(value))
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || kb < 0 || kb > 1<<40 {
			return 0, fmt.Errorf("%s: %q is not a size in kB", field, strings.TrimSpace(value))
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("reading the status file: %w", err)
	}
	return 0, fmt.Errorf("the status file has no %s line (a kernel thread, or an exited process)", field)
}

// statFields splits the content of a /proc/<pid>/stat file after the
// command name, which may itself hold spaces and ")": fields[0] is the
// state (field 3 of proc(5)), fields[1] the parent pid, and so on.
func statFields(stat []byte) ([]string, error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil, errors.New("stat file has no \")\" after the command name")
	}
	return strings.Fields(string(stat[i+1:])), nil
}

// ParentPID returns the parent process id from the content of a
// /proc/<pid>/stat file ("pid (comm) state ppid ...").
func ParentPID(stat []byte) (int, error) {
	fields, err := statFields(stat)
	if err != nil {
		return 0, err
	}
	if len(fields) < 2 {
		return 0, errors.New("stat file ends before the parent pid")
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil || ppid < 0 {
		return 0, fmt.Errorf("stat file: parent pid %q is not a number", fields[1])
	}
	return ppid, nil
}

// Descendants lists the processes under pid (children, their children...),
// read from proc (normally "/proc").
func Descendants(proc string, pid int) ([]int, error) {
	entries, err := os.ReadDir(proc)
	if err != nil {
		return nil, fmt.Errorf("listing processes: %w", err)
	}
	children := map[int][]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(proc, e.Name(), "stat"))
		if err != nil {
			continue // exited meanwhile
		}
		ppid, err := ParentPID(stat)
		if err != nil {
			return nil, fmt.Errorf("process %d: %w", p, err)
		}
		children[ppid] = append(children[ppid], p)
	}
	var out []int
	queue := []int{pid}
	seen := map[int]bool{pid: true}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
				queue = append(queue, c)
			}
		}
	}
	return out, nil
}

// PeakRSS is the peak resident set size (VmHWM) of pid plus that of each
// of its live descendants, such as nginx's workers. Pages the processes
// share are counted once per process, as ps and top do.
func PeakRSS(proc string, pid int) (int64, error) {
	status, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, fmt.Errorf("peak RSS of process %d: %w", pid, err)
	}
	total, err := StatusKB(status, "VmHWM")
	if err != nil {
		return 0, fmt.Errorf("peak RSS of process %d: %w", pid, err)
	}
	kids, err := Descendants(proc, pid)
	if err != nil {
		return 0, fmt.Errorf("peak RSS of process %d: %w", pid, err)
	}
	for _, k := range kids {
		status, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(k), "status"))
		if err != nil {
			continue // exited meanwhile
		}
		if v, err := StatusKB(status, "VmHWM"); err == nil {
			total += v
		}
	}
	return total, nil
}
