package yamlite

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// parseDouble reads a double-quoted scalar at the start of t and returns
// its value and the text after the closing quote.
func parseDouble(t string) (val, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(t); i++ {
		c := t[i]
		switch c {
		case '"':
			return b.String(), t[i+1:], nil
		case '\\':
			i++
			if i >= len(t) {
				return "", "", errors.New("unterminated double-quoted string (quoted strings must end on the same line)")
			}
			n, r, err := unescape(t[i:])
			if err != nil {
				return "", "", err
			}
			b.WriteString(r)
			i += n - 1
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("unterminated double-quoted string (quoted strings must end on the same line)")
}

// unescape decodes the escape sequence at the start of s (after the
// backslash), returning how many bytes it used.
func unescape(s string) (int, string, error) {
	simple := map[byte]string{
		'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n",
		'v': "\v", 'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"",
		'/': "/", '\\': "\\", 'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
	}
	if r, ok := simple[s[0]]; ok {
		return 1, r, nil
	}
	width := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[0]]
	if width == 0 {
		return 0, "", fmt.Errorf("unknown escape sequence \\%c in a double-quoted string", s[0])
	}
	if len(s) < 1+width {
		return 0, "", fmt.Errorf("escape \\%c needs %d hex digits", s[0], width)
	}
	v, err := strconv.ParseUint(s[1:1+width], 16, 32)
	if err != nil {
		return 0, "", fmt.Errorf("escape \\%c needs %d hex digits", s[0], width)
	}
	r := rune(v)
	if !utf8.ValidRune(r) {
		return 0, "", fmt.Errorf("escape \\%s is not a valid Unicode code point", s[:1+width])
	}
	return 1 + width, string(r), nil
}

// parseSingle reads a single-quoted scalar at the start of t.
func parseSingle(t string) (val, rest string, err error) {
	var b strings.Builder
	for i := 1; i < len(t); i++ {
		if t[i] != '\'' {
			b.WriteByte(t[i])
			continue
		}
		if i+1 < len(t) && t[i+1] == '\'' {
			b.WriteByte('\'')
			i++
			continue
		}
		return b.String(), t[i+1:], nil
	}
	return "", "", errors.New("unterminated single-quoted string (quoted strings must end on the same line)")
}

// flowScanner walks the text of a flow sequence across lines.
type flowScanner struct {
	p    *parser
	text string // rest of the current line
	line int
}

func (s *flowScanner) peek() byte {
	if s.text == "" {
		return 0
	}
	return s.text[0]
}

// skip passes over whitespace, comments and line ends; it reports false at
// the end of input.
func (s *flowScanner) skip() bool {
	for {
		t := strings.TrimLeft(s.text, " \t")
		if t != "" && t[0] == '#' && (len(t) < len(s.text) || s.atLineStart()) {
			t = ""
		}
		s.text = t
		if t != "" {
			return true
		}
		s.p.pos++
		if s.p.eof() {
			return false
		}
		l := s.p.cur()
		s.text, s.line = l.text, l.num
	}
}

func (s *flowScanner) atLineStart() bool {
	return s.text == s.p.cur().text
}

func (p *parser) parseFlow(text string) (*Node, error) {
	s := &flowScanner{p: p, text: text, line: p.cur().num}
	n, err := s.seq(0)
	if err != nil {
		return nil, err
	}
	l := p.cur()
	if err := p.trailing(l, s.text); err != nil {
		return nil, err
	}
	p.pos++
	return n, nil
}

func (s *flowScanner) errf(format string, args ...any) error {
	return &SyntaxError{Line: s.line, Msg: fmt.Sprintf(format, args...)}
}

// seq parses "[...]" with the scanner at "[".
func (s *flowScanner) seq(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, s.errf("nesting deeper than %d levels", maxDepth)
	}
	open := s.line
	n := &Node{Kind: Sequence, Line: s.line}
	s.text = s.text[1:]
	for {
		if !s.skip() {
			return nil, &SyntaxError{Line: open, Msg: "unclosed [ (no matching ])"}
		}
		if s.peek() == ']' {
			s.text = s.text[1:]
			return n, nil
		}
		item, err := s.item(depth)
		if err != nil {
			return nil, err
		}
		n.Items = append(n.Items, item)
		if !s.skip() {
			return nil, &SyntaxError{Line: open, Msg: "unclosed [ (no matching ])"}
		}
		switch s.peek() {
		case ',':
			s.text = s.text[1:]
		case ']':
		default:
			return nil, s.errf("expected , or ] in the flow sequence opened on line %d, found %q", open, clip(s.text))
		}
	}
}

func (s *flowScanner) item(depth int) (*Node, error) {
	switch c := s.peek(); c {
	case '[':
		return s.seq(depth + 1)
	case '{':
		t := strings.TrimLeft(s.text[1:], " \t")
		if !strings.HasPrefix(t, "}") {
			return nil, s.errf("flow mappings ({...}) are not supported; write the mapping in block style")
		}
		s.text = t[1:]
		return &Node{Kind: Mapping, Line: s.line}, nil
	case '"', '\'':
		var v, rest string
		var err error
		if c == '"' {
			v, rest, err = parseDouble(s.text)
		} else {
			v, rest, err = parseSingle(s.text)
		}
		if err != nil {
			return nil, s.errf("%v", err)
		}
		s.text = rest
		return &Node{Kind: Scalar, Line: s.line, Value: v, Quoted: true}, nil
	case ',':
		return nil, s.errf("empty item in a flow sequence")
	case '&', '*', '!', '|', '>', '%', '@', '`':
		return nil, s.errf("a value in a flow sequence cannot start with %q; quote it", c)
	}
	end := len(s.text)
	for i := 0; i < len(s.text); i++ {
		c := s.text[i]
		if c == ',' || c == ']' || c == '[' || c == '{' || c == '}' {
			end = i
			break
		}
		if c == '#' && i > 0 && (s.text[i-1] == ' ' || s.text[i-1] == '\t') {
			end = i
			break
		}
	}
	v := strings.TrimRight(s.text[:end], " \t")
	if strings.Contains(v, ": ") || strings.HasSuffix(v, ":") {
		return nil, s.errf("flow mappings are not supported; quote %q if it is a plain value", v)
	}
	if end < len(s.text) && (s.text[end] == '[' || s.text[end] == '{' || s.text[end] == '}') {
		return nil, s.errf("unexpected %q in a flow sequence; quote the value", s.text[end])
	}
	s.text = s.text[end:]
	switch v {
	case "~", "null", "Null", "NULL":
		return &Node{Kind: Null, Line: s.line}, nil
	}
	return &Node{Kind: Scalar, Line: s.line, Value: v}, nil
}

// parseBlockScalar reads a | or > block scalar whose header is text on the
// current line; its content is indented more than parent.
func (p *parser) parseBlockScalar(text string, parent int) (*Node, error) {
	l := p.cur()
	folded := text[0] == '>'
	chomp, explicit := byte(0), 0
	h := text[1:]
	for h != "" && h[0] != ' ' && h[0] != '\t' {
		switch c := h[0]; {
		case (c == '+' || c == '-') && chomp == 0:
			chomp = c
		case c >= '1' && c <= '9' && explicit == 0:
			explicit = int(c - '0')
		default:
			return nil, p.errf(l, "invalid block scalar header %q (use |, |-, |+, > …)", clip(text))
		}
		h = h[1:]
	}
	if err := p.trailing(l, h); err != nil {
		return nil, err
	}
	start := l.num
	p.pos++
	base := parent
	if base < 0 {
		base = 0
	}
	indent := -1
	if explicit > 0 {
		indent = base + explicit
		if parent < 0 {
			indent = explicit
		}
	}
	var lines []string
	for !p.eof() {
		c := p.cur()
		blank := strings.TrimLeft(c.raw, " ") == ""
		if !blank {
			if indent < 0 {
				if c.indent <= parent {
					break
				}
				indent = c.indent
			}
			if c.indent < indent {
				break
			}
		}
		if blank {
			if indent >= 0 && len(c.raw) > indent {
				lines = append(lines, c.raw[indent:])
			} else {
				lines = append(lines, "")
			}
		} else {
			lines = append(lines, c.raw[indent:])
		}
		p.pos++
	}
	// Trailing blank lines that belong to the scalar only matter for
	// "keep" chomping; blank lines are never structure.
	trail := 0
	for trail < len(lines) && strings.TrimLeft(lines[len(lines)-1-trail], " ") == "" {
		trail++
	}
	body := lines[:len(lines)-trail]
	var v string
	if folded {
		v = fold(body)
	} else {
		v = strings.Join(body, "\n")
	}
	switch chomp {
	case '-':
	case '+':
		if len(body) > 0 {
			v += "\n"
		}
		v += strings.Repeat("\n", trail)
	default:
		if len(body) > 0 {
			v += "\n"
		}
	}
	return &Node{Kind: Scalar, Line: start, Value: v, Quoted: true}, nil
}

// fold joins the lines of a folded block scalar: line breaks between two
// ordinary lines become spaces, empty lines become line breaks, and lines
// indented further keep their breaks.
func fold(body []string) string {
	var b strings.Builder
	empty, first, prevMore := 0, true, false
	for _, ln := range body {
		if strings.TrimLeft(ln, " ") == "" {
			empty++
			continue
		}
		more := ln[0] == ' ' || ln[0] == '\t'
		switch {
		case first:
			b.WriteString(strings.Repeat("\n", empty))
		case empty == 0 && !more && !prevMore:
			b.WriteByte(' ')
		case more || prevMore:
			b.WriteString(strings.Repeat("\n", empty+1))
		default:
			b.WriteString(strings.Repeat("\n", empty))
		}
		b.WriteString(ln)
		first, empty, prevMore = false, 0, more
	}
	return b.String()
}
