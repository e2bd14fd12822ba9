package h1

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// errBodyClosed is what Read returns after Close.
var errBodyClosed = errors.New("h1: read on closed response body")

// maxChunkLine bounds a chunk-size line, extensions included.
const maxChunkLine = 4096

// body reads a response body off its connection. When the body ends as
// its framing says and the connection may be reused, it goes back to the
// pool at once; a body closed early or broken closes the connection.
type body struct {
	t       *Transport
	c       *conn
	stop    func() bool // stops the request's cancellation hook
	f       framing
	left    int64 // Content-Length bytes still to read
	chunks  chunkDecoder
	trailer *http.Header
	done    bool
	err     error // returned once done: io.EOF or why the body broke
}

// Read implements io.Reader.
func (b *body) Read(p []byte) (int, error) {
	if b.done {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	switch {
	case b.f.chunked:
		return b.readChunked(p)
	case b.f.toClose:
		n, err := b.c.br.Read(p)
		if err == io.EOF {
			b.finish(io.EOF)
			return n, io.EOF
		}
		if err != nil {
			return n, b.fail(err)
		}
		return n, nil
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.c.br.Read(p)
	b.left -= int64(n)
	if b.left == 0 {
		b.finish(io.EOF)
		return n, io.EOF
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return n, b.fail(err)
	}
	return n, nil
}

// readChunked reads chunked data (RFC 9112 7.1).
func (b *body) readChunked(p []byte) (int, error) {
	n, err := b.chunks.read(b.c.br, p, b.readTrailer)
	switch {
	case err == io.EOF:
		b.finish(io.EOF)
		return n, io.EOF
	case err != nil:
		return n, b.fail(err)
	}
	return n, nil
}

// readTrailer reads the trailer section after the last chunk into the
// response's Trailer.
func (b *body) readTrailer() error {
	block, lines, scratch, err := readHeaderBlock(b.c.br, b.c.scratch, b.t.maxHeader())
	b.c.scratch = scratch
	if err != nil {
		return fmt.Errorf("reading the trailer: %w", err)
	}
	if lines == 0 {
		return nil
	}
	if *b.trailer == nil {
		*b.trailer = make(http.Header, lines)
	}
	if err := parseFields(block, lines, *b.trailer); err != nil {
		return fmt.Errorf("trailer: %w", err)
	}
	return nil
}

// Close implements io.Closer. A body not read to its end closes the
// connection: draining it could take arbitrarily long.
func (b *body) Close() error {
	if !b.done {
		b.done, b.err = true, errBodyClosed
		b.stop()
		b.c.close()
	}
	return nil
}

// finish ends a body that was read completely.
func (b *body) finish(err error) {
	b.done, b.err = true, err
	if b.stop() && b.f.reuse && !b.c.canceled.Load() {
		b.t.put(b.c)
		return
	}
	b.c.close()
}

// fail ends a broken body and returns the error to report.
func (b *body) fail(err error) error {
	canceled := b.c.canceled.Load()
	b.done = true
	b.stop()
	b.c.close()
	if canceled {
		b.err = fmt.Errorf("h1: response body: %w", errCanceled)
	} else {
		b.err = fmt.Errorf("h1: reading the response body: %w", err)
	}
	return b.err
}
