package h1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Connection states, for Shutdown.
const (
	stateIdle   int32 = iota // waiting for a request (or new)
	stateActive              // reading, serving or answering a request
	stateClosed              // closed by Shutdown or Close
)

// watchDelay is how long a request runs before the server starts reading
// its connection to notice a client that went away. Most requests end
// sooner and never pay for the extra read.
const watchDelay = 100 * time.Millisecond

// maxDrain is how much of a request body the handler left unread the
// server reads to keep the connection; a larger rest closes it.
const maxDrain = 256 << 10

// serverConn is one client connection and its buffers.
type serverConn struct {
	s      *Server
	nc     net.Conn
	cr     connReader
	br     *bufio.Reader
	bw     *bufio.Writer
	remote string
	state  atomic.Int32

	scratch       []byte      // reused for request heads
	respHeader    http.Header // reused for each response's header: a handler must not use its ResponseWriter after returning
	pend          []byte      // response body held back to compute Content-Length
	num           [32]byte
	date          [len(http.TimeFormat)]byte
	dateSec       int64
	deadline      bool        // a read deadline is set
	staleDeadline bool        // the deadline set was for the idle wait or the head: clear it before a read that may block
	broken        atomic.Bool // the connection cannot carry another request

	wmu      sync.Mutex // guards the watch fields
	watchT   *time.Timer
	armed    bool          // the current request may be watched
	watching bool          // the watch read is in progress
	aborting bool          // the watch read is being interrupted
	watchEnd chan struct{} // closed when the watch read returns
	reqCtx   *reqCtx       // the current request's context, while its handler runs
}

// connReader is what the connection's bufio.Reader reads from: the socket,
// after a byte the watch read may have taken from a pipelined request.
type connReader struct {
	nc      net.Conn
	b       [1]byte
	hasByte bool
}

// Read implements io.Reader.
func (r *connReader) Read(p []byte) (int, error) {
	if r.hasByte && len(p) > 0 {
		p[0] = r.b[0]
		r.hasByte = false
		return 1, nil
	}
	return r.nc.Read(p)
}

func newServerConn(s *Server, nc net.Conn) *serverConn {
	c := &serverConn{s: s, nc: nc, remote: nc.RemoteAddr().String()}
	c.cr.nc = nc
	c.br = bufio.NewReaderSize(&c.cr, 4096)
	c.bw = bufio.NewWriterSize(nc, 4096)
	return c
}

// serve runs the connection's requests one after another.
func (c *serverConn) serve() {
	defer c.close()
	defer func() {
		if p := recover(); p != nil && p != http.ErrAbortHandler {
			buf := make([]byte, 16<<10)
			buf = buf[:runtime.Stack(buf, false)]
			c.s.logf("h1: panic serving %s: %v\n%s", c.remote, p, buf)
		}
	}()
	for {
		if !c.waitRequest() {
			return
		}
		if !c.serveRequest() {
			return
		}
		if c.s.closing.Load() || !c.state.CompareAndSwap(stateActive, stateIdle) {
			return
		}
	}
}

func (c *serverConn) close() {
	c.state.Store(stateClosed)
	c.nc.Close()
	if c.watchT != nil {
		c.watchT.Stop()
	}
	c.s.trackConn(c, false)
}

// waitRequest waits, within the idle timeout, for the first byte of the
// next request, and marks the connection active.
func (c *serverConn) waitRequest() bool {
	c.staleDeadline = false
	if c.br.Buffered() == 0 {
		if d := c.s.idleTimeout(); d > 0 {
			c.nc.SetReadDeadline(time.Now().Add(d))
			c.deadline = true
		} else if c.deadline {
			c.nc.SetReadDeadline(time.Time{})
			c.deadline = false
		}
		if _, err := c.br.Peek(1); err != nil {
			return false
		}
	}
	return c.state.CompareAndSwap(stateIdle, stateActive)
}

// serveRequest reads one request, runs the handler and finishes the
// response. It reports whether the connection may carry another request.
func (c *serverConn) serveRequest() bool {
	var t0, whole time.Time
	if c.s.ReadTimeout > 0 || c.s.ReadHeaderTimeout > 0 {
		t0 = time.Now()
	}
	if d := c.s.ReadTimeout; d > 0 {
		whole = t0.Add(d)
	}
	// Most heads arrive in one segment: when the whole head is buffered,
	// reading it cannot block and needs no deadline of its own, and the
	// idle deadline is left in place until a read could block again (see
	// staleDeadline). That saves two deadline changes per request.
	if !headBuffered(c.br) {
		switch hdr := c.s.ReadHeaderTimeout; {
		case hdr > 0 && (whole.IsZero() || t0.Add(hdr).Before(whole)):
			c.nc.SetReadDeadline(t0.Add(hdr))
			c.deadline = true
		case !whole.IsZero():
			c.nc.SetReadDeadline(whole)
			c.deadline = true
		case c.deadline:
			c.nc.SetReadDeadline(time.Time{})
			c.deadline = false
		}
	}

	ex := &serverExchange{}
	err := c.readRequest(ex)
	if err != nil {
		c.answerBadRequest(err)
		return false
	}
	// The head is in: the read deadline is now the whole request's, or
	// none; clearing an idle or header deadline waits for the next read
	// that could block (body, client watch).
	switch {
	case !whole.IsZero():
		c.nc.SetReadDeadline(whole)
		c.deadline = true
	case c.deadline:
		c.staleDeadline = true
	}
	if d := c.s.WriteTimeout; d > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(d))
	}

	defer ex.ctx.cancel()
	ex.req = ex.tmpl.WithContext(&ex.ctx)
	ex.resp.init(c, ex)
	c.wmu.Lock()
	c.reqCtx = &ex.ctx
	c.wmu.Unlock()
	if ex.body.done {
		c.arm()
	}
	ok := c.runHandler(ex)
	c.disarm()
	c.wmu.Lock()
	c.reqCtx = nil
	c.wmu.Unlock()
	if !ok {
		return false
	}
	ex.resp.finish()
	keep := !c.broken.Load() && !ex.resp.closeAfter && ex.resp.werr == nil
	if !keep && ex.resp.werr == nil && !ex.body.complete() {
		c.lingerClose()
	}
	return keep
}

// runHandler calls the handler. A panic aborts the response, logged
// unless it is http.ErrAbortHandler; runHandler then reports false and
// the connection must close.
func (c *serverConn) runHandler(ex *serverExchange) (ok bool) {
	defer func() {
		if ok {
			return
		}
		p := recover()
		if p != http.ErrAbortHandler {
			buf := make([]byte, 16<<10)
			buf = buf[:runtime.Stack(buf, false)]
			c.s.logf("h1: panic serving %s: %v\n%s", c.remote, p, buf)
		}
		// Send what the handler flushed so far, no more: the client must
		// see a broken response, not a complete short one.
		ex.resp.abort()
	}()
	c.s.Handler.ServeHTTP(&ex.resp, ex.req)
	return true
}

// answerBadRequest answers a request that could not be read; read errors
// and timeouts before a whole head just close the connection.
func (c *serverConn) answerBadRequest(err error) {
	var re *requestError
	if !errors.As(err, &re) {
		return
	}
	if c.s.WriteTimeout > 0 {
		c.nc.SetWriteDeadline(time.Now().Add(c.s.WriteTimeout))
	}
	fmt.Fprintf(c.bw, "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s",
		re.status, http.StatusText(re.status), len(re.msg)+1, re.msg+"\n")
	c.bw.Flush()
	c.lingerClose()
}

// lingerTime bounds how long a connection closing on a client that may
// still be sending is read (and the data dropped) after the answer.
const lingerTime = 500 * time.Millisecond

// lingerClose lets the client read the answer before the connection
// closes although it may still be sending (a request body the server did
// not read): closing with unread data would reset the connection, and
// the reset can destroy the answer before the client reads it. It ends
// the sending side, then reads and drops what arrives for a while.
func (c *serverConn) lingerClose() {
	tc, ok := c.nc.(interface{ CloseWrite() error })
	if !ok || tc.CloseWrite() != nil {
		return
	}
	c.nc.SetReadDeadline(time.Now().Add(lingerTime))
	io.Copy(io.Discard, c.nc)
}

// arm starts the client watch timer for the current request, whose body
// has been read in full.
func (c *serverConn) arm() {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.armed || c.reqCtx == nil {
		return
	}
	c.armed = true
	if c.watchT == nil {
		c.watchT = time.AfterFunc(watchDelay, c.watch)
	} else {
		c.watchT.Reset(watchDelay)
	}
}

// disarm stops watching the client; once it returns, the connection's
// reads belong to the serving goroutine again.
func (c *serverConn) disarm() {
	c.wmu.Lock()
	if !c.armed {
		c.wmu.Unlock()
		return
	}
	c.armed = false
	c.watchT.Stop()
	if !c.watching {
		c.wmu.Unlock()
		return
	}
	c.aborting = true
	end := c.watchEnd
	c.nc.SetReadDeadline(aLongTimeAgo)
	c.wmu.Unlock()
	<-end
	c.wmu.Lock()
	c.aborting = false
	c.wmu.Unlock()
	c.nc.SetReadDeadline(time.Time{})
	c.deadline = false
}

// watch runs on the timer's goroutine: it reads from the connection until
// disarm interrupts it, the client sends more (a pipelined request, kept
// for later) or the client goes away, which cancels the request.
func (c *serverConn) watch() {
	c.wmu.Lock()
	if !c.armed || c.watching {
		c.wmu.Unlock()
		return
	}
	c.watching = true
	c.watchEnd = make(chan struct{})
	if c.deadline {
		// ReadTimeout covers reading the request, and the idle or header
		// deadline the wait; neither covers waiting for the handler.
		c.nc.SetReadDeadline(time.Time{})
	}
	c.wmu.Unlock()

	n, err := c.nc.Read(c.cr.b[:])

	c.wmu.Lock()
	defer c.wmu.Unlock()
	if n == 1 {
		c.cr.hasByte = true
	}
	// A client that half-closed after pipelining requests still waits
	// for their answers: only an end with nothing left to serve means it
	// went away.
	halfClosed := err == io.EOF && c.br.Buffered() > 0
	if err != nil && !c.aborting && !halfClosed {
		c.broken.Store(true)
		if c.reqCtx != nil {
			c.reqCtx.cancel()
		}
	}
	c.watching = false
	close(c.watchEnd)
}

// headBuffered reports whether br holds a whole request head already.
func headBuffered(br *bufio.Reader) bool {
	buf, _ := br.Peek(br.Buffered())
	buf = bytes.TrimLeft(buf, "\r\n") // blank lines before a request line are skipped
	return bytes.Contains(buf, []byte("\n\r\n")) || bytes.Contains(buf, []byte("\n\n"))
}
