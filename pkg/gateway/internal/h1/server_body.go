package h1

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"
)

// errBodyAfterHandler is what reads of a request body return once its
// handler has returned (a backend transport may still hold the body).
var errBodyAfterHandler = errors.New("h1: read on a request body after its handler returned")

// reqBody reads a request body off the client's connection. Reads are
// serialised: a transport may read the body on another goroutine, even
// after the handler returned.
type reqBody struct {
	mu             sync.Mutex
	c              *serverConn
	ex             *serverExchange
	chunked        bool
	left           int64 // Content-Length bytes still to read
	chunks         chunkDecoder
	done           bool  // read to its end
	closed         bool  // the handler returned
	expectContinue bool  // "100 Continue" is owed before the first read
	err            error // sticky failure
}

// Read implements io.Reader.
func (b *reqBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, errBodyAfterHandler
	}
	return b.read(p)
}

// complete reports whether the body was read to its end.
func (b *reqBody) complete() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.done
}

// Close implements io.Closer; the server drains or discards the rest.
func (b *reqBody) Close() error { return nil }

func (b *reqBody) read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if b.done {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	if b.c.staleDeadline {
		b.c.nc.SetReadDeadline(time.Time{})
		b.c.staleDeadline, b.c.deadline = false, false
	}
	if b.expectContinue {
		b.expectContinue = false
		if err := b.ex.resp.writeContinue(); err != nil {
			b.err = err
			return 0, err
		}
	}
	var n int
	var err error
	if b.chunked {
		n, err = b.readChunked(p)
	} else {
		if int64(len(p)) > b.left {
			p = p[:b.left]
		}
		n, err = b.c.br.Read(p)
		b.left -= int64(n)
		if b.left == 0 {
			err = io.EOF
		} else if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
	}
	switch {
	case err == io.EOF:
		b.done = true
		b.c.arm()
	case err != nil:
		b.err = err
		b.c.broken.Store(true)
	}
	return n, err
}

// readChunked reads chunked data (RFC 9112 7.1); the trailer section is
// read and dropped.
func (b *reqBody) readChunked(p []byte) (int, error) {
	n, err := b.chunks.read(b.c.br, p, b.skipTrailer)
	if n > 0 && err != nil && err != io.EOF {
		// Return the data now and the error on the next read.
		b.err = err
		return n, nil
	}
	return n, err
}

// skipTrailer reads the trailer section after the last chunk and drops
// it. Its lines must still be valid fields (RFC 9112 7.1.2): a request
// line or obs-fold there means the sender framed the message differently.
func (b *reqBody) skipTrailer() error {
	block, lines, scratch, err := readHeaderBlock(b.c.br, b.c.scratch, b.c.s.maxHeaderBytes())
	b.c.scratch = scratch
	if err != nil || lines == 0 {
		return err
	}
	if err := parseFields(block, lines, make(http.Header, lines)); err != nil {
		return fmt.Errorf("trailer: %w", err)
	}
	return nil
}

// drainTimeout bounds reading the rest of a body the handler left unread
// when no read timeout is configured.
const drainTimeout = 5 * time.Second

// finish runs after the handler: it reads up to maxDrain of what the
// handler left unread so the connection can carry another request, and
// reports whether it can. Later reads fail.
func (b *reqBody) finish(drain bool) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer func() { b.closed = true }()
	if b.done {
		return true
	}
	if b.err != nil || !drain || b.expectContinue {
		return false
	}
	if !b.chunked && b.left > maxDrain {
		return false
	}
	if !b.c.deadline || b.c.staleDeadline {
		// A client trickling the rest must not hold the connection.
		b.c.nc.SetReadDeadline(time.Now().Add(drainTimeout))
		b.c.deadline, b.c.staleDeadline = true, false
	}
	var buf [4096]byte
	for total := 0; total <= maxDrain; {
		n, err := b.read(buf[:])
		total += n
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
	}
	return false
}
