package h1

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pendLimit is how much of a response body of unknown length is held back
// in the hope that the handler finishes and it can go out with a
// Content-Length instead of chunked.
const pendLimit = 2048

// response is Server's http.ResponseWriter and http.Flusher.
type response struct {
	c      *serverConn
	ex     *serverExchange
	header http.Header

	mu          sync.Mutex // serialises the head with a "100 Continue" from a body read
	status      int
	wroteHeader bool // the final status is decided
	headSent    bool // the head is in the write buffer
	cl          int64
	written     int64
	chunked     bool
	noBody      bool // HEAD request, or a status without a body
	closeAfter  bool
	sent100     bool // the handler sent "100 Continue" itself
	werr        error
}

func (w *response) init(c *serverConn, ex *serverExchange) {
	w.c, w.ex = c, ex
	if c.respHeader == nil {
		c.respHeader = make(http.Header, 8)
	} else {
		clear(c.respHeader)
	}
	w.header = c.respHeader
	w.cl = -1
	c.pend = c.pend[:0]
}

// Header implements http.ResponseWriter.
func (w *response) Header() http.Header { return w.header }

// WriteHeader implements http.ResponseWriter. A 1xx status is sent at
// once as an interim response (not to HTTP/1.0 clients); the first other
// status is final and later calls are ignored.
func (w *response) WriteHeader(code int) {
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wroteHeader {
		return
	}
	if code < 200 {
		if w.ex.req.ProtoMinor == 0 || w.werr != nil {
			return
		}
		if code == http.StatusContinue {
			if w.sent100 {
				return
			}
			w.sent100 = true
		}
		w.writeStatusLine(code)
		w.writeFields(w.header, nil)
		w.c.bw.WriteString("\r\n")
		w.flushConn()
		return
	}
	w.status, w.wroteHeader = code, true
	w.noBody = w.ex.req.Method == http.MethodHead || code == http.StatusNoContent || code == http.StatusNotModified
	if v, ok := w.header["Content-Length"]; ok && len(v) == 1 {
		if n, err := strconv.ParseInt(v[0], 10, 64); err == nil && n >= 0 {
			w.cl = n
		}
	}
}

// Write implements http.ResponseWriter.
func (w *response) Write(p []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if w.noBody {
		if w.ex.req.Method == http.MethodHead {
			w.written += int64(len(p))
			return len(p), nil
		}
		return 0, http.ErrBodyNotAllowed
	}
	if w.werr != nil {
		return 0, w.werr
	}
	if w.cl >= 0 && w.written+int64(len(p)) > w.cl {
		return 0, http.ErrContentLength
	}
	if !w.headSent {
		if w.cl < 0 && len(w.c.pend)+len(p) <= pendLimit {
			w.c.pend = append(w.c.pend, p...)
			w.written += int64(len(p))
			return len(p), nil
		}
		w.commit(false)
	}
	w.written += int64(len(p))
	return len(p), w.writeBody(p)
}

// Flush implements http.Flusher: the head and the body so far go out now.
func (w *response) Flush() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.headSent {
		w.commit(false)
	}
	w.flushConn()
}

// writeBody writes body bytes after the head, as a chunk when chunked.
func (w *response) writeBody(p []byte) error {
	if len(p) == 0 || w.werr != nil {
		return w.werr
	}
	bw := w.c.bw
	if w.chunked {
		bw.Write(strconv.AppendInt(w.c.num[:0], int64(len(p)), 16))
		bw.WriteString("\r\n")
		bw.Write(p)
		_, err := bw.WriteString("\r\n")
		w.noteErr(err)
		return w.werr
	}
	_, err := bw.Write(p)
	w.noteErr(err)
	return w.werr
}

func (w *response) noteErr(err error) {
	if err != nil && w.werr == nil {
		w.werr = err
		w.closeAfter = true
	}
}

func (w *response) flushConn() {
	w.noteErr(w.c.bw.Flush())
}

// writeContinue sends "100 Continue" for a body read, unless the final
// status is already decided.
func (w *response) writeContinue() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wroteHeader || w.werr != nil || w.sent100 {
		return nil
	}
	w.sent100 = true
	w.c.bw.WriteString("HTTP/1.1 100 Continue\r\n\r\n")
	w.flushConn()
	return w.werr
}

// commit decides the framing and writes the head; final means the handler
// has returned, so the held-back body is all there is.
func (w *response) commit(final bool) {
	drainable := w.bodyDrainable() // before w.mu: a body read holds its lock, then w.mu
	w.mu.Lock()
	defer w.mu.Unlock()
	w.headSent = true
	req := w.ex.req
	h := w.header
	_, trailers := h["Trailer"]
	if !trailers {
		for k := range h {
			if strings.HasPrefix(k, http.TrailerPrefix) {
				trailers = true
				break
			}
		}
	}
	is11 := req.ProtoMinor == 1
	closeDelimited := false
	switch {
	case w.noBody:
		if req.Method == http.MethodHead && w.cl < 0 && final && w.written > 0 {
			w.cl = w.written
		}
		if w.status == http.StatusNoContent {
			w.cl = -1
		}
	case trailers && is11:
		w.chunked, w.cl = true, -1
	case w.cl >= 0:
	case final:
		w.cl = int64(len(w.c.pend))
	case is11:
		w.chunked = true
	default:
		closeDelimited = true
	}
	w.closeAfter = w.closeAfter || closeDelimited || req.Close || w.c.s.closing.Load() ||
		hasToken(h["Connection"], "close") || !drainable
	keepAlive10 := !is11 && !w.closeAfter

	w.writeStatusLine(w.status)
	w.writeFields(h, func(k string) bool {
		switch k {
		case "Content-Length", "Transfer-Encoding":
			return true
		case "Connection":
			return w.closeAfter || keepAlive10
		case "Trailer":
			return !w.chunked
		}
		return strings.HasPrefix(k, http.TrailerPrefix)
	})
	bw := w.c.bw
	if w.cl >= 0 {
		bw.WriteString("Content-Length: ")
		bw.Write(strconv.AppendInt(w.c.num[:0], w.cl, 10))
		bw.WriteString("\r\n")
	}
	if w.chunked {
		bw.WriteString("Transfer-Encoding: chunked\r\n")
	}
	if w.closeAfter {
		bw.WriteString("Connection: close\r\n")
	} else if keepAlive10 {
		bw.WriteString("Connection: keep-alive\r\n")
	}
	if _, ok := h["Date"]; !ok {
		bw.WriteString("Date: ")
		bw.Write(w.c.httpDate())
		bw.WriteString("\r\n")
	}
	_, err := bw.WriteString("\r\n")
	w.noteErr(err)
	if len(w.c.pend) > 0 && !w.noBody {
		w.writeBodyLocked()
	}
}

// writeBodyLocked writes the held-back body after the head.
func (w *response) writeBodyLocked() {
	p := w.c.pend
	w.c.pend = w.c.pend[:0]
	w.writeBody(p)
}

// bodyDrainable reports whether what the handler left of the request body
// can be read after the response so the connection stays usable.
func (w *response) bodyDrainable() bool {
	b := &w.ex.body
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.done:
		return true
	case b.err != nil, b.expectContinue:
		return false
	case b.chunked:
		return true // finish tries; a rest over maxDrain closes the connection
	}
	return b.left <= maxDrain
}

// writeStatusLine writes "HTTP/1.x code reason".
func (w *response) writeStatusLine(code int) {
	bw := w.c.bw
	if w.ex.req.ProtoMinor == 0 {
		bw.WriteString("HTTP/1.0 ")
	} else {
		bw.WriteString("HTTP/1.1 ")
	}
	bw.Write(strconv.AppendInt(w.c.num[:0], int64(code), 10))
	bw.WriteByte(' ')
	if text := http.StatusText(code); text != "" {
		bw.WriteString(text)
	} else {
		bw.WriteString("status code ")
		bw.Write(strconv.AppendInt(w.c.num[:0], int64(code), 10))
	}
	bw.WriteString("\r\n")
}

// writeFields writes h's fields except those skip names. Invalid names
// are dropped and CR or LF in values become spaces, so no handler can
// split a response.
func (w *response) writeFields(h http.Header, skip func(string) bool) {
	bw := w.c.bw
	for k, vv := range h {
		if skip != nil && skip(k) || !validToken(k) {
			continue
		}
		for _, v := range vv {
			bw.WriteString(k)
			bw.WriteString(": ")
			writeFieldValue(bw, v)
			bw.WriteString("\r\n")
		}
	}
}

// writeFieldValue writes v with CR and LF replaced by spaces.
func writeFieldValue(bw interface {
	WriteString(string) (int, error)
	WriteByte(byte) error
}, v string) {
	for {
		i := indexCRLF(v)
		if i < 0 {
			bw.WriteString(v)
			return
		}
		bw.WriteString(v[:i])
		bw.WriteByte(' ')
		v = v[i+1:]
	}
}

// finish completes the response after the handler returned: the head if
// still held back, the body's end and trailers, the request body's rest.
func (w *response) finish() {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	if !w.headSent {
		w.commit(true)
	}
	if !w.noBody && w.cl >= 0 && w.written < w.cl {
		w.closeAfter = true // a short body: the client must see it end early
	}
	if w.chunked && w.werr == nil {
		bw := w.c.bw
		bw.WriteString("0\r\n")
		w.writeTrailers()
		_, err := bw.WriteString("\r\n")
		w.noteErr(err)
	}
	w.flushConn()
	if !w.ex.body.finish(!w.closeAfter) {
		w.closeAfter = true
	}
}

// writeTrailers writes the fields announced in "Trailer" and those set
// with http.TrailerPrefix.
func (w *response) writeTrailers() {
	h := w.header
	for _, list := range h["Trailer"] {
		for list != "" {
			var k string
			k, list = cutComma(list)
			k = http.CanonicalHeaderKey(trimBlanks(k))
			switch k {
			case "", "Content-Length", "Transfer-Encoding", "Trailer", "Host":
				continue
			}
			if vv, ok := h[k]; ok && validToken(k) {
				for _, v := range vv {
					w.c.bw.WriteString(k)
					w.c.bw.WriteString(": ")
					writeFieldValue(w.c.bw, v)
					w.c.bw.WriteString("\r\n")
				}
			}
		}
	}
	for k, vv := range h {
		if name, ok := strings.CutPrefix(k, http.TrailerPrefix); ok && validToken(name) {
			for _, v := range vv {
				w.c.bw.WriteString(name)
				w.c.bw.WriteString(": ")
				writeFieldValue(w.c.bw, v)
				w.c.bw.WriteString("\r\n")
			}
		}
	}
}

// abort ends a response whose handler panicked: what was flushed stays
// sent, the rest is dropped and the connection will close.
func (w *response) abort() {
	w.closeAfter = true
	w.c.pend = w.c.pend[:0]
	w.ex.body.finish(false)
}

// httpDate returns the Date header value, formatted once a second.
func (c *serverConn) httpDate() []byte {
	now := time.Now()
	if sec := now.Unix(); sec != c.dateSec {
		c.dateSec = sec
		now.UTC().AppendFormat(c.date[:0], http.TimeFormat)
	}
	return c.date[:]
}
