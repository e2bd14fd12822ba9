package keymanager

import (
	"context"
	"math"
	"sync"
	"time"
)

// Validator caches key manager answers and makes one call for concurrent
// requests about the same key.
type Validator struct {
	// Fetch asks the key manager; ctx carries the call's timeout.
	Fetch func(ctx context.Context, r Request) (*Info, error)
	// Key names a request in the caches.
	Key func(r Request) string
	// TTL and NegativeTTL bound how long answers are reused; Timeout
	// bounds one call; Size bounds each cache.
	TTL, NegativeTTL, Timeout time.Duration
	Size                      int
	// Skew is allowed when checking a token's validity period.
	Skew time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time

	mu    sync.Mutex
	pos   map[string]cached
	neg   map[string]cached
	calls map[string]*call
}

type cached struct {
	info  *Info
	until time.Time
}

type call struct {
	done chan struct{}
	info *Info
	err  error
}

func (v *Validator) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// Expired reports whether info's token is past issuedTime +
// validityPeriod (milliseconds) at now, with skew.
func Expired(info *Info, now time.Time, skew time.Duration) bool {
	if info.ValidityPeriod <= 0 || info.ValidityPeriod > math.MaxInt64-info.IssuedTime {
		return false
	}
	end := info.IssuedTime + info.ValidityPeriod
	return now.Add(-skew).UnixMilli() > end
}

// Validate returns the key manager's answer for r, from the caches when
// possible. Errors are not cached: the next request asks again. It
// returns when ctx ends even if the call goes on for other waiters.
func (v *Validator) Validate(ctx context.Context, r Request) (*Info, error) {
	key := v.Key(r)
	now := v.now()
	v.mu.Lock()
	if v.pos == nil {
		v.pos, v.neg, v.calls = map[string]cached{}, map[string]cached{}, map[string]*call{}
	}
	if c, ok := v.pos[key]; ok {
		if now.Before(c.until) {
			v.mu.Unlock()
			return c.info, nil
		}
		delete(v.pos, key)
	}
	if c, ok := v.neg[key]; ok {
		if now.Before(c.until) {
			v.mu.Unlock()
			return c.info, nil
		}
		delete(v.neg, key)
	}
	c, ok := v.calls[key]
	if !ok {
		c = &call{done: make(chan struct{})}
		v.calls[key] = c
		go v.do(key, r, c)
	}
	v.mu.Unlock()
	select {
	case <-c.done:
		return c.info, c.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (v *Validator) do(key string, r Request, c *call) {
	ctx, cancel := context.WithTimeout(context.Background(), v.Timeout)
	defer cancel()
	c.info, c.err = v.Fetch(ctx, r)
	now := v.now()
	v.mu.Lock()
	delete(v.calls, key)
	if c.err == nil {
		if c.info.Authorized {
			if v.TTL > 0 {
				evict(v.pos, v.Size)
				v.pos[key] = cached{c.info, now.Add(v.TTL)}
			}
		} else if v.NegativeTTL > 0 {
			evict(v.neg, v.Size)
			v.neg[key] = cached{c.info, now.Add(v.NegativeTTL)}
		}
	}
	v.mu.Unlock()
	close(c.done)
}

// evict makes room in a full cache by dropping about a quarter of it.
func evict[V any](m map[string]V, size int) {
	if size <= 0 || len(m) < size {
		return
	}
	drop := size/4 + 1
	for k := range m {
		if drop == 0 {
			return
		}
		delete(m, k)
		drop--
	}
}
