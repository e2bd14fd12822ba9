// Package prom implements the few Prometheus metric types the gateway
// needs, lock-free on the hot path, and writes them in the Prometheus text
// exposition format (version 0.0.4) without the client library.
package prom

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Histogram counts observations in fixed buckets.
type Histogram struct {
	bounds []time.Duration
	counts []atomic.Uint64 // per bucket, the last one is +Inf
	sum    atomic.Int64    // nanoseconds
}

// NewHistogram makes a histogram with the given upper bounds, ascending.
func NewHistogram(bounds []time.Duration) *Histogram {
	return &Histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

// Observe records one duration.
func (h *Histogram) Observe(d time.Duration) {
	i := 0
	for i < len(h.bounds) && d > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	h.sum.Add(int64(d))
}

// Count returns the number of observations.
func (h *Histogram) Count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

// StatusCounts counts events by HTTP status code. The first eight codes
// seen take lock-free slots; rarer codes share a locked map.
type StatusCounts struct {
	slots [8]struct {
		code atomic.Int32
		n    atomic.Uint64
	}
	mu   sync.Mutex
	more map[int]uint64
}

// Inc counts one event with the given status code (100-999).
func (s *StatusCounts) Inc(code int) {
	c := int32(code)
	for i := range s.slots {
		sl := &s.slots[(code+i)%len(s.slots)]
		cur := sl.code.Load()
		if cur == 0 && sl.code.CompareAndSwap(0, c) {
			cur = c
		} else if cur == 0 {
			cur = sl.code.Load()
		}
		if cur == c {
			sl.n.Add(1)
			return
		}
	}
	s.mu.Lock()
	if s.more == nil {
		s.more = map[int]uint64{}
	}
	s.more[code]++
	s.mu.Unlock()
}

// Each calls fn for every code with a count, in ascending code order.
func (s *StatusCounts) Each(fn func(code int, n uint64)) {
	counts := map[int]uint64{}
	for i := range s.slots {
		if c := s.slots[i].code.Load(); c != 0 {
			counts[int(c)] += s.slots[i].n.Load()
		}
	}
	s.mu.Lock()
	for c, n := range s.more {
		counts[c] += n
	}
	s.mu.Unlock()
	codes := make([]int, 0, len(counts))
	for c, n := range counts {
		if n > 0 {
			codes = append(codes, c)
		}
	}
	sort.Ints(codes)
	for _, c := range codes {
		fn(c, counts[c])
	}
}

// Label is one name="value" pair.
type Label struct {
	Name, Value string
}

// L makes a label.
func L(name, value string) Label { return Label{Name: name, Value: value} }

// Writer accumulates a text exposition.
type Writer struct {
	b strings.Builder
}

// String returns the exposition written so far.
func (w *Writer) String() string { return w.b.String() }

// Family writes the HELP and TYPE lines of a metric family.
func (w *Writer) Family(name, help, typ string) {
	w.b.WriteString("# HELP ")
	w.b.WriteString(name)
	w.b.WriteByte(' ')
	for i := 0; i < len(help); i++ {
		switch help[i] {
		case '\\':
			w.b.WriteString(`\\`)
		case '\n':
			w.b.WriteString(`\n`)
		default:
			w.b.WriteByte(help[i])
		}
	}
	w.b.WriteString("\n# TYPE ")
	w.b.WriteString(name)
	w.b.WriteByte(' ')
	w.b.WriteString(typ)
	w.b.WriteByte('\n')
}

// Sample writes one sample line.
func (w *Writer) Sample(name string, labels []Label, value float64) {
	w.b.WriteString(name)
	if len(labels) > 0 {
		w.b.WriteByte('{')
		for i, l := range labels {
			if i > 0 {
				w.b.WriteByte(',')
			}
			w.b.WriteString(l.Name)
			w.b.WriteString(`="`)
			EscapeLabelValue(&w.b, l.Value)
			w.b.WriteByte('"')
		}
		w.b.WriteByte('}')
	}
	w.b.WriteByte(' ')
	w.b.WriteString(FormatValue(value))
	w.b.WriteByte('\n')
}

// Histogram writes the _bucket, _sum and _count samples of h. The count
// is the sum of the buckets read, so _count always equals the +Inf bucket.
func (w *Writer) Histogram(name string, labels []Label, h *Histogram) {
	ls := make([]Label, len(labels)+1)
	copy(ls, labels)
	var cum uint64
	for i := range h.counts {
		cum += h.counts[i].Load()
		le := "+Inf"
		if i < len(h.bounds) {
			le = FormatValue(h.bounds[i].Seconds())
		}
		ls[len(labels)] = L("le", le)
		w.Sample(name+"_bucket", ls, float64(cum))
	}
	w.Sample(name+"_sum", labels, time.Duration(h.sum.Load()).Seconds())
	w.Sample(name+"_count", labels, float64(cum))
}

// EscapeLabelValue writes v with \, " and newline escaped.
func EscapeLabelValue(b *strings.Builder, v string) {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
}

// FormatValue formats a sample value as Prometheus expects.
func FormatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
