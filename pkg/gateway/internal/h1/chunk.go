package h1

import (
	"bufio"
	"errors"
	"fmt"
	"io"
)

// readLine reads one chunk-size line of at most max bytes and returns it
// without its CRLF. Chunked framing needs CRLF (RFC 9112 7.1; the bare LF
// that 2.2 tolerates is for the start line and fields only): a parser
// that ends the line at a bare LF reads the body differently from one
// that does not, which is how requests are smuggled. The slice is valid
// until the next read.
func readLine(br *bufio.Reader, max int) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) || len(line) > max {
		return nil, errors.New("chunk size line too long")
	}
	if err != nil {
		return nil, err
	}
	n := len(line)
	if n < 2 || line[n-2] != '\r' {
		return nil, errors.New("chunk size line not ended by CRLF")
	}
	return line[:n-2], nil
}

// readCRLF reads the CRLF that follows a chunk's data.
func readCRLF(br *bufio.Reader) error {
	for _, want := range []byte("\r\n") {
		c, err := br.ReadByte()
		if err != nil {
			return err
		}
		if c != want {
			return errors.New("chunk data not followed by CRLF")
		}
	}
	return nil
}

// parseChunkSize parses a chunk-size line: hex digits, then chunk
// extensions, which are checked against RFC 9112 7.1.1 and ignored.
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
	if i == 0 || !validChunkExt(line[i:]) {
		return 0, fmt.Errorf("malformed chunk size line %q", clip(string(line)))
	}
	return n, nil
}

// validChunkExt reports whether ext is a chunk-ext:
//
//	*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
//
// with a token name and a token or quoted-string value. Anything else
// (blanks with no extension, control characters, a bare CR) is refused:
// parsers that skip extensions loosely disagree on where the line ends.
func validChunkExt(ext []byte) bool {
	i := 0
	blanks := func() {
		for i < len(ext) && (ext[i] == ' ' || ext[i] == '\t') {
			i++
		}
	}
	token := func() bool {
		j := i
		for i < len(ext) && isTokenChar(ext[i]) {
			i++
		}
		return i > j
	}
	for i < len(ext) {
		blanks()
		if i == len(ext) || ext[i] != ';' {
			return false
		}
		i++
		blanks()
		if !token() {
			return false
		}
		j := i
		blanks()
		if i == len(ext) || ext[i] != '=' {
			i = j // no value: the blanks belong to the next extension
			continue
		}
		i++
		blanks()
		if i < len(ext) && ext[i] == '"' {
			if !quotedString(ext, &i) {
				return false
			}
		} else if !token() {
			return false
		}
	}
	return true
}

// quotedString advances *i past a quoted-string (RFC 9110 5.6.4) that
// starts at s[*i], reporting whether it is one.
func quotedString(s []byte, i *int) bool {
	for j := *i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			*i = j + 1
			return true
		case c == '\\':
			j++
			if j == len(s) || s[j] < ' ' && s[j] != '\t' || s[j] == 0x7f {
				return false
			}
		case c < ' ' && c != '\t' || c == 0x7f:
			return false
		}
	}
	return false
}

// chunkDecoder reads chunked data (RFC 9112 7.1) for the client's
// response bodies and the server's request bodies.
type chunkDecoder struct {
	left int64 // bytes of the current chunk still to read
	crlf bool  // a chunk's data ended; its CRLF is still to be read
}

// read reads chunk data into p. At the last chunk it calls trailer to
// read the trailer section, then returns io.EOF. The end of the stream
// anywhere before is io.ErrUnexpectedEOF; n may be positive with an
// error.
func (d *chunkDecoder) read(br *bufio.Reader, p []byte, trailer func() error) (int, error) {
	if d.left == 0 {
		if d.crlf {
			if err := readCRLF(br); err != nil {
				return 0, unexpectedEOF(err)
			}
			d.crlf = false
		}
		line, err := readLine(br, maxChunkLine)
		if err != nil {
			return 0, unexpectedEOF(err)
		}
		size, err := parseChunkSize(line)
		if err != nil {
			return 0, err
		}
		if size == 0 {
			if err := trailer(); err != nil {
				return 0, unexpectedEOF(err)
			}
			return 0, io.EOF
		}
		d.left = size
	}
	if int64(len(p)) > d.left {
		p = p[:d.left]
	}
	n, err := br.Read(p)
	d.left -= int64(n)
	if d.left == 0 {
		d.crlf = true
	}
	return n, unexpectedEOF(err)
}

// unexpectedEOF turns io.EOF into io.ErrUnexpectedEOF: a stream that
// ends where more is due.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
