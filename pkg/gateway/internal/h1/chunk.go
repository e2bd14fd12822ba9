package h1

import (
	"bufio"
	"errors"
	"fmt"
)

// readLine reads one line of at most max bytes and returns it without its
// line end ("\r\n" or "\n"). The slice is valid until the next read.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(line) > max {
		return nil, errors.New("chunk size line too long")
	}
	if err != nil {
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// readCRLF reads the line end that follows a chunk's data.
func readCRLF(br *bufio.Reader) error {
	c, err := br.ReadByte()
	if err != nil {
		return err
	}
	if c == '\r' {
		if c, err = br.ReadByte(); err != nil {
			return err
		}
	}
	if c != '\n' {
		return errors.New("chunk data not followed by CRLF")
	}
	return nil
}

// parseChunkSize parses a chunk-size line: hex digits, then optional
// blanks and chunk extensions, which are ignored.
func parseChunkSize(line []byte) (int64, error) {
	var n int64
	i := 0
	for ; i < len(line); i++ {
		c := line[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			goto rest
		}
		if i >= 15 {
			return 0, errors.New("chunk size too large")
		}
		n = n<<4 | int64(d)
	}
rest:
	if i == 0 {
		return 0, fmt.Errorf("malformed chunk size line %q", clip(string(line)))
	}
	for j := i; j < len(line); j++ {
		if c := line[j]; c == ';' {
			break
		} else if c != ' ' && c != '\t' {
			return 0, fmt.Errorf("malformed chunk size line %q", clip(string(line)))
		}
	}
	return n, nil
}
