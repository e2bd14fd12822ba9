package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// clockTick is the unit of utime and stime in /proc/<pid>/stat: USER_HZ,
// 100 on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// CPUTime is processor time spent in user space and in the kernel.
type CPUTime struct {
	User, Sys time.Duration
}

// Sub is the time spent between an earlier reading and c.
func (c CPUTime) Sub(earlier CPUTime) CPUTime {
	return CPUTime{User: c.User - earlier.User, Sys: c.Sys - earlier.Sys}
}

// StatCPU returns the user and system time (utime, stime: all of the
// process's threads) from the content of a /proc/<pid>/stat file.
func StatCPU(stat []byte) (CPUTime, error) {
	// utime and stime are fields 14 and 15 of proc(5).
	fields, err := statFields(stat)
	if err != nil {
		return CPUTime{}, err
	}
	if len(fields) < 13 {
		return CPUTime{}, errors.New("stat file ends before utime and stime")
	}
	var ticks [2]int64
	for j, f := range fields[11:13] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil || n < 0 || n > 1<<40 {
			return CPUTime{}, fmt.Errorf("stat file: %q is not a tick count", f)
		}
		ticks[j] = n
	}
	return CPUTime{User: time.Duration(ticks[0]) * clockTick, Sys: time.Duration(ticks[1]) * clockTick}, nil
}

// ProcessCPU is the processor time of pid plus that of each of its live
// descendants (nginx's workers), read from proc (normally "/proc").
func ProcessCPU(proc string, pid int) (CPUTime, error) {
	read := func(p int) (CPUTime, error) {
		stat, err := os.ReadFile(filepath.Join(proc, strconv.Itoa(p), "stat"))
		if err != nil {
			return CPUTime{}, err
		}
		return StatCPU(stat)
	}
	total, err := read(pid)
	if err != nil {
		return CPUTime{}, fmt.Errorf("CPU time of process %d: %w", pid, err)
	}
	kids, err := Descendants(proc, pid)
	if err != nil {
		return CPUTime{}, fmt.Errorf("CPU time of process %d: %w", pid, err)
	}
	for _, k := range kids {
		c, err := read(k)
		if err != nil {
			continue // exited meanwhile
		}
		total.User += c.User
		total.Sys += c.Sys
	}
	return total, nil
}

// perRequest divides the time a measurement took by its requests.
func (c CPUTime) perRequest(requests int64) CPUTime {
	if requests <= 0 {
		return CPUTime{}
	}
	return CPUTime{User: c.User / time.Duration(requests), Sys: c.Sys / time.Duration(requests)}
}
