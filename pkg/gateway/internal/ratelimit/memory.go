package ratelimit

import (
	"context"
	"hash/maphash"
	"sync"
	"time"
)

// shardCount spreads keys over independently locked maps; a power of 2.
const shardCount = 128

// Memory is the in-memory Store: sharded maps of counters. A counter
// lives until its window ends; Sweep removes ended ones, so memory is
// bounded by the keys active in their current windows.
type Memory struct {
	seed   maphash.Seed
	shards [shardCount]shard
}

type shard struct {
	mu sync.Mutex
	m  map[string]*counter
	_  [40]byte // keep shards on separate cache lines
}

type counter struct {
	start, end int64 // window in Unix ms
	n          int64
}

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	s := &Memory{seed: maphash.MakeSeed()}
	for i := range s.shards {
		s.shards[i].m = map[string]*counter{}
	}
	return s
}

// Add implements Store. It does not allocate for a key it already holds.
func (s *Memory) Add(_ context.Context, key []byte, n int64, w Window) (int64, error) {
	return s.Incr(key, n, w), nil
}

// Incr is Add without the context and error: the memory store cannot fail.
func (s *Memory) Incr(key []byte, n int64, w Window) int64 {
	sh := &s.shards[maphash.Bytes(s.seed, key)&(shardCount-1)]
	sh.mu.Lock()
	c := sh.m[string(key)]
	switch {
	case c == nil:
		c = &counter{start: w.Start, end: w.End}
		sh.m[string(key)] = c
	case c.start != w.Start:
		c.start, c.end, c.n = w.Start, w.End, 0
	}
	c.n += n
	v := c.n
	sh.mu.Unlock()
	return v
}

// Sweep removes counters whose window ended at or before now and
// returns how many it removed.
func (s *Memory) Sweep(now time.Time) int {
	ms := now.UnixMilli()
	removed := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		for k, c := range sh.m {
			if c.end <= ms {
				delete(sh.m, k)
				removed++
			}
		}
		sh.mu.Unlock()
	}
	return removed
}

// Len returns the number of counters held.
func (s *Memory) Len() int {
	n := 0
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.Lock()
		n += len(sh.m)
		sh.mu.Unlock()
	}
	return n
}

// RunSweeper calls Sweep every interval until ctx ends.
func (s *Memory) RunSweeper(ctx context.Context, interval time.Duration, now func() time.Time) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Sweep(now())
		}
	}
}
