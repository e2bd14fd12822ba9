package h1

import (
	"errors"
	"fmt"
	"net/http"
)

// head is a parsed response head: status line and header fields.
type head struct {
	status     int
	statusText string // "200 OK"
	minor      int    // HTTP/1.minor
	header     http.Header
}

// parseHead parses a response head as readHeaderBlock returned it.
func parseHead(block string, lines int) (head, error) {
	var h head
	line, rest := nextLine(block)
	if len(line) < 12 || line[:7] != "HTTP/1." || line[8] != ' ' || line[12:] != "" && line[12] != ' ' {
		return h, fmt.Errorf("malformed status line %q", clip(line))
	}
	switch line[7] {
	case '0':
		h.minor = 0
	case '1':
		h.minor = 1
	default:
		return h, fmt.Errorf("unsupported protocol in status line %q", clip(line))
	}
	code := 0
	for _, c := range []byte(line[9:12]) {
		if c < '0' || c > '9' {
			return h, fmt.Errorf("malformed status code in %q", clip(line))
		}
		code = code*10 + int(c-'0')
	}
	if code < 100 {
		return h, fmt.Errorf("status code %d out of range", code)
	}
	h.status = code
	h.statusText = line[9:]
	h.header = make(http.Header, lines)
	if err := parseFields(rest, lines-1, h.header); err != nil {
		return h, err
	}
	return h, nil
}

// framing describes how a response body is delimited.
type framing struct {
	length  int64 // -1 for chunked or until close
	chunked bool
	toClose bool // the body ends when the connection closes
	reuse   bool // the connection may serve another request afterwards
}

// responseFraming applies RFC 9112 6.3 to a final response to a request
// with the given method.
func responseFraming(method string, h *head) (framing, error) {
	f := framing{length: -1, reuse: h.minor == 1 && !hasToken(h.header["Connection"], "close")}
	if method == http.MethodHead || h.status == http.StatusNoContent || h.status == http.StatusNotModified {
		f.length = 0
		return f, nil
	}
	if te, ok := h.header["Transfer-Encoding"]; ok {
		if len(te) != 1 || !equalFold(trimBlanks(te[0]), "chunked") {
			return f, fmt.Errorf("unsupported transfer encoding %q", te)
		}
		if h.minor == 0 {
			return f, errors.New("chunked transfer encoding in an HTTP/1.0 response")
		}
		// A length next to chunked is ignored and the connection retired
		// (RFC 9112 6.3, item 3).
		if _, ok := h.header["Content-Length"]; ok {
			delete(h.header, "Content-Length")
			f.reuse = false
		}
		f.chunked = true
		return f, nil
	}
	if cl, ok := h.header["Content-Length"]; ok {
		n, err := parseLength(cl)
		if err != nil {
			return f, err
		}
		f.length = n
		return f, nil
	}
	f.toClose, f.reuse = true, false
	return f, nil
}

// parseLength parses Content-Length values, which must agree.
func parseLength(vals []string) (int64, error) {
	var n int64 = -1
	for _, v := range vals {
		for v != "" {
			var t string
			t, v = cutComma(v)
			t = trimBlanks(t)
			if t == "" || len(t) > 18 {
				return 0, fmt.Errorf("invalid Content-Length %q", clip(t))
			}
			var m int64
			for i := 0; i < len(t); i++ {
				if t[i] < '0' || t[i] > '9' {
					return 0, fmt.Errorf("invalid Content-Length %q", clip(t))
				}
				m = m*10 + int64(t[i]-'0')
			}
			if n >= 0 && m != n {
				return 0, errors.New("conflicting Content-Length values")
			}
			n = m
		}
	}
	if n < 0 {
		return 0, errors.New("empty Content-Length")
	}
	return n, nil
}

// protoString returns the response's protocol name.
func protoString(minor int) string {
	if minor == 0 {
		return "HTTP/1.0"
	}
	return "HTTP/1.1"
}
