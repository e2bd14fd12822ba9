package h1

import (
	"bufio"
	"context"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// errCanceled reports an exchange stopped because its request's context
// ended; RoundTrip returns the context's error instead when it can.
var errCanceled = errors.New("request canceled")

// Transport is an http.RoundTripper for http:// URLs that keeps a pool of
// keep-alive connections per host. Set its fields before first use; the
// zero value works with no timeouts.
type Transport struct {
	// DialTimeout bounds connecting; 0 means no limit.
	DialTimeout time.Duration
	// ResponseHeaderTimeout bounds the wait for the response head after
	// the request was written, and each write to the backend; 0 means no
	// limit.
	ResponseHeaderTimeout time.Duration
	// ExpectContinueTimeout is how long a request with "Expect:
	// 100-continue" waits for the backend's answer before sending its
	// body anyway; 0 sends the body at once.
	ExpectContinueTimeout time.Duration
	// MaxIdleConnsPerHost is how many idle connections a host keeps;
	// 0 keeps none.
	MaxIdleConnsPerHost int
	// IdleConnTimeout retires connections idle for longer; 0 keeps them.
	IdleConnTimeout time.Duration
	// MaxResponseHeaderBytes limits a response head (and trailer);
	// 0 means 1 MiB.
	MaxResponseHeaderBytes int
	// BufferSize is the size of each connection's read and write buffers;
	// 0 means 16 KiB.
	BufferSize int

	mu        sync.Mutex
	idle      map[string][]*conn
	bufs      sync.Pool // 32 KiB request body copy buffers
	smallBufs sync.Pool // smallBody ones
}

// conn is one connection to a backend with its buffers.
type conn struct {
	nc       net.Conn
	br       *bufio.Reader
	bw       *bufio.Writer
	host     string
	scratch  []byte // reused for response heads
	num      [20]byte
	idleAt   time.Time
	reused   bool
	replay   bool        // the current request may be sent again once written
	canceled atomic.Bool // set by the request's cancellation hook

	readDeadline bool // a read deadline is set (cleared lazily, see response)

	rc         *reqCtx     // the served request hooked by the fast path
	unhookFast func() bool // detachFast, made once
	closed     bool
}

func (c *conn) close() {
	if !c.closed {
		c.closed = true
		c.nc.Close()
	}
}

// setDeadline, setReadDeadline and setWriteDeadline change c's deadlines
// without undoing a cancellation that happened meanwhile.
func (c *conn) setDeadline(t time.Time) {
	c.nc.SetDeadline(t)
	c.readDeadline = !t.IsZero()
	c.recheck()
}

func (c *conn) setReadDeadline(t time.Time) {
	c.nc.SetReadDeadline(t)
	c.readDeadline = !t.IsZero()
	c.recheck()
}

func (c *conn) setWriteDeadline(t time.Time) {
	c.nc.SetWriteDeadline(t)
	c.recheck()
}

// recheck re-applies the cancellation deadline if the hook fired while a
// deadline was being set: the hook stores canceled before its own
// SetDeadline, so one of the two always lands last.
func (c *conn) recheck() {
	if c.canceled.Load() {
		c.nc.SetDeadline(aLongTimeAgo)
	}
}

// aLongTimeAgo is a deadline that makes blocked I/O return at once.
var aLongTimeAgo = time.Unix(1, 0)

// hook makes I/O on c fail as soon as ctx ends. The returned function
// unregisters it and reports whether it did so before ctx ended. The
// context of a request served by Server takes a path that allocates
// nothing.
func (c *conn) hook(ctx context.Context) func() bool {
	c.canceled.Store(false)
	if rc, ok := ctx.Value(reqCtxKey{}).(*reqCtx); ok && !rc.canceledNow() {
		if rc.attach(c) {
			c.rc = rc
			if c.unhookFast == nil {
				c.unhookFast = c.detachFast
			}
			return c.unhookFast
		}
	}
	if ctx.Done() == nil {
		return func() bool { return true }
	}
	return context.AfterFunc(ctx, c.interrupt)
}

// interrupt makes c's pending and future I/O fail at once.
func (c *conn) interrupt() {
	c.canceled.Store(true)
	c.nc.SetDeadline(aLongTimeAgo)
}

// detachFast undoes the fast path of hook.
func (c *conn) detachFast() bool {
	rc := c.rc
	c.rc = nil
	return rc.detach(c)
}

func (t *Transport) maxHeader() int {
	if t.MaxResponseHeaderBytes > 0 {
		return t.MaxResponseHeaderBytes
	}
	return 1 << 20
}

func (t *Transport) bufferSize() int {
	if t.BufferSize > 0 {
		return t.BufferSize
	}
	return 16 << 10
}

// getConn returns an idle connection to host, or dials one.
func (t *Transport) getConn(ctx context.Context, host string, fresh bool) (*conn, error) {
	if !fresh {
		if c := t.takeIdle(host); c != nil {
			return c, nil
		}
	}
	d := net.Dialer{Timeout: t.DialTimeout, KeepAlive: 30 * time.Second}
	nc, err := d.DialContext(ctx, "tcp", host)
	if err != nil {
		return nil, err
	}
	size := t.bufferSize()
	return &conn{nc: nc, host: host, br: bufio.NewReaderSize(nc, size), bw: bufio.NewWriterSize(nc, size)}, nil
}

// takeIdle pops the most recently used idle connection to host; the
// pool's older ones are dropped once the newest has expired.
func (t *Transport) takeIdle(host string) *conn {
	t.mu.Lock()
	list := t.idle[host]
	if len(list) == 0 {
		t.mu.Unlock()
		return nil
	}
	c := list[len(list)-1]
	if t.IdleConnTimeout > 0 && time.Since(c.idleAt) > t.IdleConnTimeout {
		delete(t.idle, host)
		t.mu.Unlock()
		for _, old := range list {
			old.close()
		}
		return nil
	}
	list[len(list)-1] = nil
	t.idle[host] = list[:len(list)-1]
	t.mu.Unlock()
	c.reused = true
	return c
}

// put returns a connection whose exchange completed to the pool. The
// pool's oldest connections are retired here once they have expired, so
// a pool that shrinks under less load does not keep them open.
func (t *Transport) put(c *conn) {
	c.idleAt = time.Now()
	var expired []*conn
	t.mu.Lock()
	list := t.idle[c.host]
	if t.IdleConnTimeout > 0 {
		n := 0
		for n < len(list) && c.idleAt.Sub(list[n].idleAt) > t.IdleConnTimeout {
			n++
		}
		if n > 0 {
			expired = append(expired, list[:n]...)
			list = append(list[:0], list[n:]...)
			clear(list[len(list):cap(list)])
		}
	}
	if len(list) >= t.MaxIdleConnsPerHost {
		expired = append(expired, c)
	} else {
		list = append(list, c)
	}
	if t.idle == nil {
		t.idle = map[string][]*conn{}
	}
	t.idle[c.host] = list
	t.mu.Unlock()
	for _, old := range expired {
		old.close()
	}
}

// CloseIdleConnections closes the pooled connections; connections in use
// are closed when their exchange ends.
func (t *Transport) CloseIdleConnections() {
	t.mu.Lock()
	idle := t.idle
	t.idle = nil
	t.mu.Unlock()
	for _, list := range idle {
		for _, c := range list {
			c.close()
		}
	}
}

// smallBody is the largest Content-Length copied with a small buffer.
const smallBody = 4 << 10

// getBuf returns a buffer for copying a request body of length cl (-1
// when unknown) and the pool to put it back in: a small one for a body
// known to fit, as every request in flight holds its buffer.
func (t *Transport) getBuf(cl int64) (*[]byte, *sync.Pool) {
	pool, size := &t.bufs, 32<<10
	if cl >= 0 && cl <= smallBody {
		pool, size = &t.smallBufs, smallBody
	}
	if b, ok := pool.Get().(*[]byte); ok {
		return b, pool
	}
	b := make([]byte, size)
	return &b, pool
}
