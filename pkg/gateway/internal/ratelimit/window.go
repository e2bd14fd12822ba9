// Package ratelimit counts events per key in fixed windows aligned to the
// Unix epoch, as the WSO2 gateway's timeBatch windows did. It holds the
// counter-store interface and the default in-memory store.
package ratelimit

import (
	"fmt"
	"time"
)

// Window is one fixed counting window [Start, End) in Unix milliseconds.
type Window struct {
	Start int64
	End   int64
}

// WindowAt returns the window of size that contains now, aligned to the
// Unix epoch. size must be positive.
func WindowAt(now time.Time, size time.Duration) Window {
	ms := now.UnixMilli()
	sz := size.Milliseconds()
	if sz <= 0 {
		sz = 1
	}
	start := ms - mod(ms, sz)
	return Window{Start: start, End: start + sz}
}

func mod(a, b int64) int64 {
	m := a % b
	if m < 0 {
		m += b
	}
	return m
}

// Remaining is the time from now to the window's end.
func (w Window) Remaining(now time.Time) time.Duration {
	d := time.Duration(w.End-now.UnixMilli()) * time.Millisecond
	if d < 0 {
		return 0
	}
	return d
}

// RetryAfterSeconds is the Retry-After value for a request refused at
// now: whole seconds until the window ends, rounded up, at least 1.
func (w Window) RetryAfterSeconds(now time.Time) int64 {
	ms := w.End - now.UnixMilli()
	s := (ms + 999) / 1000
	if s < 1 {
		s = 1
	}
	return s
}

// unitDurations are the API Manager's time units as fixed lengths (a
// month is 30 days and a year 365 days, as the original converted them).
var unitDurations = map[string]time.Duration{
	"ms":    time.Millisecond,
	"sec":   time.Second,
	"min":   time.Minute,
	"hour":  time.Hour,
	"day":   24 * time.Hour,
	"week":  7 * 24 * time.Hour,
	"month": 30 * 24 * time.Hour,
	"year":  365 * 24 * time.Hour,
}

// WindowSize returns unitTime × timeUnit, or an error naming the bad
// value and the units that are allowed.
func WindowSize(unitTime int64, timeUnit string) (time.Duration, error) {
	d, ok := unitDurations[timeUnit]
	if !ok {
		return 0, fmt.Errorf("time unit %q is not supported; use sec, min, hour, day, week, month or year", timeUnit)
	}
	if unitTime <= 0 {
		return 0, fmt.Errorf("unit time %d must be positive", unitTime)
	}
	if unitTime > int64(100*365*24*time.Hour/d) {
		return 0, fmt.Errorf("window of %d %s is too long; use at most 100 years", unitTime, timeUnit)
	}
	return time.Duration(unitTime) * d, nil
}

// dataUnits are the multipliers of bandwidth policies' dataUnit.
var dataUnits = map[string]int64{"B": 1, "KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}

// Bytes returns amount × unit in bytes ("KB", "MB", "GB", powers of 1024
// as the API Manager's bandwidth policies), or an error naming the fix.
func Bytes(amount int64, unit string) (int64, error) {
	m, ok := dataUnits[unit]
	if !ok {
		return 0, fmt.Errorf("data unit %q is not supported; use KB, MB or GB", unit)
	}
	if amount <= 0 {
		return 0, fmt.Errorf("data amount %d must be positive", amount)
	}
	if amount > (1<<62)/m {
		return 0, fmt.Errorf("data amount %d %s is too large", amount, unit)
	}
	return amount * m, nil
}
