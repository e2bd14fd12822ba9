// Package redis is a small Redis client on the standard library: RESP2
// over TCP or TLS, a bounded connection pool, deadlines on every call,
// AUTH and SELECT on connect, and an atomic counter increment run as a
// Lua script (EVALSHA, falling back to EVAL once the server lost it).
package redis

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// Limits on replies, so a confused or hostile server cannot make the
// client allocate without bound.
const (
	maxBulk  = 512 << 20
	maxArray = 1 << 20
	maxDepth = 8
	maxLine  = 64 << 10
)

// Reply is one decoded RESP value.
type Reply struct {
	// Kind is the RESP type byte: '+', '-', ':', '$' or '*'.
	Kind byte
	// Str is the text of simple strings, errors and bulk strings.
	Str string
	// Int is the value of integers, and of simple strings as numbers.
	Int int64
	// Nil marks a null bulk string or array.
	Nil bool
	// Elems are an array's elements.
	Elems []Reply
}

// Error is an error reply from the server, such as "NOSCRIPT No matching
// script".
type Error struct{ Msg string }

// Error implements error.
func (e *Error) Error() string { return "redis: " + e.Msg }

// ErrProtocol reports a reply that is not valid RESP.
var ErrProtocol = errors.New("redis: malformed reply")

// ReadReply reads one RESP value from r.
func ReadReply(r *bufio.Reader) (Reply, error) {
	return readReply(r, 0)
}

func readReply(r *bufio.Reader, depth int) (Reply, error) {
	line, err := readLine(r)
	if err != nil {
		return Reply{}, err
	}
	if len(line) == 0 {
		return Reply{}, fmt.Errorf("%w: empty line", ErrProtocol)
	}
	rep := Reply{Kind: line[0]}
	body := line[1:]
	switch rep.Kind {
	case '+', '-':
		rep.Str = string(body)
		return rep, nil
	case ':':
		n, err := strconv.ParseInt(string(body), 10, 64)
		if err != nil {
			return Reply{}, fmt.Errorf("%w: bad integer %q", ErrProtocol, truncate(body))
		}
		rep.Int = n
		return rep, nil
	case '$':
		n, err := strconv.ParseInt(string(body), 10, 64)
		if err != nil || n < -1 || n > maxBulk {
			return Reply{}, fmt.Errorf("%w: bad bulk length %q", ErrProtocol, truncate(body))
		}
		if n == -1 {
			rep.Nil = true
			return rep, nil
		}
		buf := make([]byte, n+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return Reply{}, fmt.Errorf("redis: reading a bulk string: %w", eof(err))
		}
		if buf[n] != '\r' || buf[n+1] != '\n' {
			return Reply{}, fmt.Errorf("%w: bulk string not ended by CRLF", ErrProtocol)
		}
		rep.Str = string(buf[:n])
		return rep, nil
	case '*':
		n, err := strconv.ParseInt(string(body), 10, 64)
		if err != nil || n < -1 || n > maxArray {
			return Reply{}, fmt.Errorf("%w: bad array length %q", ErrProtocol, truncate(body))
		}
		if n == -1 {
			rep.Nil = true
			return rep, nil
		}
		if depth >= maxDepth {
			return Reply{}, fmt.Errorf("%w: arrays nested deeper than %d", ErrProtocol, maxDepth)
		}
		rep.Elems = make([]Reply, 0, min(n, 64))
		for i := int64(0); i < n; i++ {
			e, err := readReply(r, depth+1)
			if err != nil {
				return Reply{}, err
			}
			rep.Elems = append(rep.Elems, e)
		}
		return rep, nil
	}
	return Reply{}, fmt.Errorf("%w: unknown type byte %q", ErrProtocol, rep.Kind)
}

// readLine reads up to CRLF and returns the line without it.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine {
			return nil, fmt.Errorf("%w: line longer than %d bytes", ErrProtocol, maxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("redis: reading a reply: %w", eof(err))
		}
		break
	}
	if len(line) < 2 || line[len(line)-2] != '\r' {
		return nil, fmt.Errorf("%w: line not ended by CRLF", ErrProtocol)
	}
	return line[:len(line)-2], nil
}

func eof(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func truncate(b []byte) string {
	if len(b) > 32 {
		return string(b[:32]) + "…"
	}
	return string(b)
}

// appendCommand encodes args as a RESP array of bulk strings.
func appendCommand(dst []byte, args ...[]byte) []byte {
	dst = append(dst, '*')
	dst = strconv.AppendInt(dst, int64(len(args)), 10)
	dst = append(dst, '\r', '\n')
	for _, a := range args {
		dst = append(dst, '$')
		dst = strconv.AppendInt(dst, int64(len(a)), 10)
		dst = append(dst, '\r', '\n')
		dst = append(dst, a...)
		dst = append(dst, '\r', '\n')
	}
	return dst
}
