package h1

import (
	"bufio"
	"errors"
	"fmt"
	"net/http"
	"net/textproto"
	"strings"
)

// errHeaderTooLarge reports a response header block over the limit.
var errHeaderTooLarge = errors.New("response header too large")

// readHeaderBlock reads lines up to and including the empty line that
// ends a header block. It returns the block as one string (without the
// final empty line) and the number of lines in it; line ends are "\n"
// or "\r\n". Copying every header into a single string lets keys and
// values share one allocation.
func readHeaderBlock(br *bufio.Reader, scratch []byte, max int) (string, int, []byte, error) {
	buf := scratch[:0]
	lines := 0
	start := 0 // where the current line starts in buf
	for {
		line, err := br.ReadSlice('\n')
		if len(buf)+len(line) > max {
			return "", 0, buf, errHeaderTooLarge
		}
		buf = append(buf, line...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue // a line longer than the buffer: keep reading it
		}
		if err != nil {
			return "", 0, buf, err
		}
		if l := buf[start:]; len(l) == 1 || len(l) == 2 && l[0] == '\r' {
			return string(buf[:start]), lines, buf, nil
		}
		start = len(buf)
		lines++
	}
}

// nextLine splits block at its first line end.
func nextLine(block string) (line, rest string) {
	i := strings.IndexByte(block, '\n')
	if i < 0 {
		return block, ""
	}
	line, rest = block[:i], block[i+1:]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, rest
}

// parseFields parses header field lines into h. Keys are canonicalised,
// values trimmed of surrounding blanks. Obsolete line folding, invalid
// names and control characters in values are errors.
func parseFields(block string, lines int, h http.Header) error {
	vals := make([]string, lines)
	for i := 0; block != ""; i++ {
		var line string
		line, block = nextLine(block)
		if line == "" {
			return errors.New("empty header line")
		}
		if line[0] == ' ' || line[0] == '\t' {
			return errors.New("obsolete header line folding is not supported")
		}
		colon := -1
		for j := 0; j < len(line); j++ {
			if line[j] == ':' {
				colon = j
				break
			}
			if !isTokenChar(line[j]) {
				return fmt.Errorf("invalid header name %q", clip(line))
			}
		}
		if colon <= 0 {
			return fmt.Errorf("malformed header line %q", clip(line))
		}
		v := trimBlanks(line[colon+1:])
		if !ctlFree(v) {
			return fmt.Errorf("control character in header %q", line[:colon])
		}
		k := textproto.CanonicalMIMEHeaderKey(line[:colon])
		vals[i] = v
		if old, ok := h[k]; ok {
			h[k] = append(old, v)
		} else {
			h[k] = vals[i : i+1 : i+1]
		}
	}
	return nil
}

func trimBlanks(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

// isTokenChar reports the characters allowed in a header name or method
// (RFC 9110 5.6.2).
func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// clip shortens s for an error message.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "..."
	}
	return s
}

// hasToken reports whether a comma-separated header value list holds
// token, case-insensitively.
func hasToken(vals []string, token string) bool {
	for _, v := range vals {
		for v != "" {
			var t string
			t, v = cutComma(v)
			if equalFold(trimBlanks(t), token) {
				return true
			}
		}
	}
	return false
}

func cutComma(s string) (string, string) {
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			return s[:i], s[i+1:]
		}
	}
	return s, ""
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
