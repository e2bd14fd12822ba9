package ratelimit

import "context"

// Store keeps counters. Add adds n to the counter of key in window w
// (a counter starts at zero in every window) and returns its new value;
// concurrent Adds on one key are atomic, so exactly limit callers see a
// value ≤ limit. The store may use key only during the call.
type Store interface {
	Add(ctx context.Context, key []byte, n int64, w Window) (int64, error)
}
