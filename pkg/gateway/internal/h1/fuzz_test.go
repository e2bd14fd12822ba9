package h1

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// FuzzResponse feeds arbitrary bytes to the response parser and body
// readers as a backend's answer. Whatever the input, parsing must not
// panic, a Content-Length body must have exactly its declared size, and
// a chunked body must never return more bytes than were sent.
func FuzzResponse(f *testing.F) {
	for _, seed := range []string{
		"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Sum: 1\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
		"HTTP/1.0 200 OK\r\n\r\nuntil close",
		"HTTP/1.1 103 Early Hints\nLink: </a>\n\nHTTP/1.1 304 Not Modified\nETag: x\n\n",
		"HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nConnection: close\r\n\r\nabc",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nX: " + strings.Repeat("a", 100) + "\r\nContent-Length: 0\r\n\r\n",
		"HTTP/1.1 999 Whatever\r\n\r\n",
	} {
		f.Add([]byte(seed), false)
		f.Add([]byte(seed), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, head bool) {
		a, b := net.Pipe()
		defer a.Close()
		defer b.Close()
		tr := &Transport{MaxIdleConnsPerHost: 1, MaxResponseHeaderBytes: 4096}
		// A small buffer exercises lines longer than the buffer.
		c := &conn{nc: a, host: "fuzz", br: bufio.NewReaderSize(bytes.NewReader(data), 16)}
		h, err := tr.readFinalHead(c)
		if err != nil {
			return
		}
		if h.status < 200 || h.status > 999 {
			t.Fatalf("final status %d", h.status)
		}
		method := "GET"
		if head {
			method = "HEAD"
		}
		req, _ := http.NewRequest(method, "http://fuzz/", nil)
		resp, err := tr.response(c, req, &h, func() bool { return true }, true)
		if err != nil {
			return
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if len(body) > len(data) {
			t.Fatalf("read %d body bytes from %d input bytes", len(body), len(data))
		}
		if err == nil && resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength {
			t.Fatalf("Content-Length %d but read %d bytes", resp.ContentLength, len(body))
		}
	})
}
