package h1

import (
	"context"
	"sync"
	"time"
)

// reqCtxKey finds a request's *reqCtx among a context's values.
type reqCtxKey struct{}

// reqCtx is the context of a request Server serves. It is cancelled when
// the client goes away or the handler returns. It allocates nothing until
// someone asks for Done: then a standard cancellable context is made so
// that contexts derived from it are linked as usual. The h1 Transport
// registers its backend connection directly instead (see hookFast).
type reqCtx struct {
	mu       sync.Mutex
	inner    context.Context
	cancelFn context.CancelFunc
	canceled bool
	backend  *conn // a backend exchange to interrupt on cancellation
}

// Deadline implements context.Context: a request has none.
func (c *reqCtx) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done implements context.Context.
func (c *reqCtx) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.makeInner()
	return c.inner.Done()
}

func (c *reqCtx) makeInner() {
	if c.inner == nil {
		c.inner, c.cancelFn = context.WithCancel(context.Background())
		if c.canceled {
			c.cancelFn()
		}
	}
}

// Err implements context.Context.
func (c *reqCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.canceled {
		return context.Canceled
	}
	return nil
}

// Value implements context.Context. Once Done was called, the standard
// context behind it answers too, which lets context.WithCancel and
// context.AfterFunc link to it without a goroutine.
func (c *reqCtx) Value(key any) any {
	if _, ok := key.(reqCtxKey); ok {
		return c
	}
	c.mu.Lock()
	inner := c.inner
	c.mu.Unlock()
	if inner != nil {
		return inner.Value(key)
	}
	return nil
}

// String names the context in fmt output.
func (c *reqCtx) String() string { return "h1.requestContext" }

// cancel cancels the request: Done closes, Err reports context.Canceled
// and a backend exchange registered with hookFast is interrupted.
func (c *reqCtx) cancel() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.canceled {
		return
	}
	c.canceled = true
	if c.cancelFn != nil {
		c.cancelFn()
	}
	if b := c.backend; b != nil {
		b.interrupt()
	}
}

// attach registers b to be interrupted on cancellation; it fails when the
// request is already cancelled or another exchange is registered.
func (c *reqCtx) attach(b *conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.canceled || c.backend != nil {
		return false
	}
	c.backend = b
	return true
}

// detach unregisters b and reports whether the request was still live.
func (c *reqCtx) detach(b *conn) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.backend == b {
		c.backend = nil
	}
	return !c.canceled
}

// canceledNow reports whether the request was cancelled.
func (c *reqCtx) canceledNow() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.canceled
}
