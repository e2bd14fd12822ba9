package yamlite

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxDepth bounds nesting so hostile input cannot exhaust the stack.
const maxDepth = 64

// line is one input line: its number, indentation (leading spaces) and
// the text after the indentation.
type line struct {
	num    int
	indent int
	text   string
	raw    string
}

type parser struct {
	lines []line
	pos   int
	depth int
}

// Parse parses one YAML document. An empty document yields a Null node.
func Parse(src []byte) (*Node, error) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(src) {
		return nil, &SyntaxError{Line: firstInvalidLine(src), Msg: "the file is not valid UTF-8 text"}
	}
	p := &parser{}
	for i, raw := range strings.Split(string(src), "\n") {
		raw = strings.TrimSuffix(raw, "\r")
		n := 0
		for n < len(raw) && raw[n] == ' ' {
			n++
		}
		p.lines = append(p.lines, line{num: i + 1, indent: n, text: raw[n:], raw: raw})
	}
	p.skipBlank()
	if !p.eof() {
		l := p.cur()
		if strings.HasPrefix(l.text, "%") && l.indent == 0 {
			return nil, p.errf(l, "directives (%%) are not supported")
		}
		if l.indent == 0 && isMarker(l.text, "---") {
			if rest := stripComment(strings.TrimSpace(l.text[3:])); rest != "" {
				return nil, p.errf(l, "content on the --- line is not supported; start it on the next line")
			}
			p.pos++
		}
	}
	n, err := p.parseNode(-1)
	if err != nil {
		return nil, err
	}
	p.skipBlank()
	if p.eof() {
		return n, nil
	}
	l := p.cur()
	switch {
	case l.indent == 0 && isMarker(l.text, "..."):
		p.pos++
		p.skipBlank()
		if !p.eof() {
			return nil, p.errf(p.cur(), "content after the document end marker (...)")
		}
		return n, nil
	case l.indent == 0 && isMarker(l.text, "---"):
		return nil, p.errf(l, "multiple documents are not supported")
	case l.indent > 0:
		return nil, p.errf(l, "unexpected indentation")
	}
	return nil, p.errf(l, "unexpected content; the document's top level is a %s that ended on an earlier line", n.Kind)
}

func firstInvalidLine(src []byte) int {
	ln := 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size <= 1 {
			return ln
		}
		if r == '\n' {
			ln++
		}
		src = src[size:]
	}
	return ln
}

func isMarker(text, m string) bool {
	return text == m || strings.HasPrefix(text, m+" ") || strings.HasPrefix(text, m+"\t")
}

func (p *parser) eof() bool  { return p.pos >= len(p.lines) }
func (p *parser) cur() *line { return &p.lines[p.pos] }

func (p *parser) errf(l *line, format string, args ...any) error {
	return &SyntaxError{Line: l.num, Msg: fmt.Sprintf(format, args...)}
}

// isBlank reports a line with no content: empty, spaces or a comment.
func isBlank(l *line) bool {
	t := strings.TrimLeft(l.text, " \t")
	return t == "" || t[0] == '#'
}

func (p *parser) skipBlank() {
	for !p.eof() && isBlank(p.cur()) {
		p.pos++
	}
}

func (p *parser) lastLine() int {
	if len(p.lines) == 0 {
		return 1
	}
	if p.pos < len(p.lines) {
		return p.lines[p.pos].num
	}
	return p.lines[len(p.lines)-1].num
}

func (p *parser) checkTab(l *line) error {
	if strings.HasPrefix(l.text, "\t") {
		return p.errf(l, "tab character in indentation; indent with spaces")
	}
	return nil
}

func isSeqItem(text string) bool {
	return text == "-" || strings.HasPrefix(text, "- ") || strings.HasPrefix(text, "-\t")
}

// parseNode parses the block node starting at the next content line,
// which must be indented more than parent. It yields Null when there is none.
func (p *parser) parseNode(parent int) (*Node, error) {
	p.depth++
	defer func() { p.depth-- }()
	p.skipBlank()
	if p.eof() {
		return &Node{Kind: Null, Line: p.lastLine()}, nil
	}
	l := p.cur()
	if p.depth > maxDepth {
		return nil, p.errf(l, "nesting deeper than %d levels", maxDepth)
	}
	if l.indent <= parent {
		return &Node{Kind: Null, Line: l.num}, nil
	}
	if err := p.checkTab(l); err != nil {
		return nil, err
	}
	if isSeqItem(l.text) {
		return p.parseSeq(l.indent)
	}
	if _, _, ok, err := p.splitKey(l); err != nil {
		return nil, err
	} else if ok {
		return p.parseMap(l.indent)
	}
	return p.parseInline(l.text, parent)
}

func (p *parser) parseSeq(indent int) (*Node, error) {
	seq := &Node{Kind: Sequence, Line: p.cur().num}
	for {
		p.skipBlank()
		if p.eof() {
			return seq, nil
		}
		l := p.cur()
		if l.indent < indent {
			return seq, nil
		}
		if l.indent > indent {
			return nil, p.errf(l, "unexpected indentation in a sequence")
		}
		if err := p.checkTab(l); err != nil {
			return nil, err
		}
		if !isSeqItem(l.text) {
			return seq, nil
		}
		rest := strings.TrimLeft(l.text[1:], " \t")
		var item *Node
		var err error
		if rest == "" || rest[0] == '#' {
			num := l.num
			p.pos++
			item, err = p.parseNode(indent)
			if item != nil && item.Kind == Null {
				item.Line = num
			}
		} else {
			// Re-read the rest of the line as if it started a line of its
			// own at its column: "- key: v" opens a mapping there.
			l.indent += len(l.text) - len(rest)
			l.text = rest
			item, err = p.parseNode(indent)
		}
		if err != nil {
			return nil, err
		}
		seq.Items = append(seq.Items, item)
	}
}

func (p *parser) parseMap(indent int) (*Node, error) {
	m := &Node{Kind: Mapping, Line: p.cur().num}
	seen := map[string]int{}
	for {
		p.skipBlank()
		if p.eof() {
			return m, nil
		}
		l := p.cur()
		if l.indent < indent {
			return m, nil
		}
		if l.indent > indent {
			return nil, p.errf(l, "unexpected indentation (a multi-line plain value? quote it or use a | block)")
		}
		if err := p.checkTab(l); err != nil {
			return nil, err
		}
		if isSeqItem(l.text) {
			return nil, p.errf(l, "a sequence item (-) where a mapping key was expected")
		}
		if l.indent == 0 && (isMarker(l.text, "---") || isMarker(l.text, "...")) {
			return m, nil
		}
		key, rest, ok, err := p.splitKey(l)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, p.errf(l, `expected "key: value", found %q`, clip(l.text))
		}
		if first, dup := seen[key.Value]; dup {
			return nil, p.errf(l, "duplicate key %q (first on line %d)", key.Value, first)
		}
		seen[key.Value] = l.num
		rest = strings.TrimLeft(rest, " \t")
		var val *Node
		if rest == "" || rest[0] == '#' {
			num := l.num
			p.pos++
			p.skipBlank()
			if !p.eof() && p.cur().indent == indent && isSeqItem(p.cur().text) {
				val, err = p.parseSeq(indent)
			} else {
				val, err = p.parseNode(indent)
				if val != nil && val.Kind == Null {
					val.Line = num
				}
			}
		} else {
			val, err = p.parseInline(rest, indent)
		}
		if err != nil {
			return nil, err
		}
		m.Pairs = append(m.Pairs, Pair{Key: key, Value: val})
	}
}

// splitKey recognises "key: rest" on l. ok is false when the line is not a
// mapping entry.
func (p *parser) splitKey(l *line) (key *Node, rest string, ok bool, err error) {
	t := l.text
	if t == "" {
		return nil, "", false, nil
	}
	switch t[0] {
	case '"', '\'':
		var v, after string
		if t[0] == '"' {
			v, after, err = parseDouble(t)
		} else {
			v, after, err = parseSingle(t)
		}
		if err != nil {
			// Not a key after all when the quoted text is a whole value;
			// report the quoting problem either way.
			return nil, "", false, p.errf(l, "%v", err)
		}
		a := strings.TrimLeft(after, " \t")
		if !strings.HasPrefix(a, ":") || (len(a) > 1 && a[1] != ' ' && a[1] != '\t') {
			return nil, "", false, nil
		}
		return &Node{Kind: Scalar, Line: l.num, Value: v, Quoted: true}, a[1:], true, nil
	case '?':
		if len(t) == 1 || t[1] == ' ' || t[1] == '\t' {
			return nil, "", false, p.errf(l, "complex keys (?) are not supported")
		}
	case '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '#':
		return nil, "", false, nil
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == '#' && i > 0 && (t[i-1] == ' ' || t[i-1] == '\t') {
			return nil, "", false, nil
		}
		if c == ':' && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t') {
			k := strings.TrimRight(t[:i], " \t")
			return &Node{Kind: Scalar, Line: l.num, Value: k}, t[i+1:], true, nil
		}
	}
	return nil, "", false, nil
}

// parseInline parses a value that starts at text on the current line; the
// value belongs to a node indented at parent. It consumes every line the
// value spans.
func (p *parser) parseInline(text string, parent int) (*Node, error) {
	l := p.cur()
	switch text[0] {
	case '"', '\'':
		var v, rest string
		var err error
		if text[0] == '"' {
			v, rest, err = parseDouble(text)
		} else {
			v, rest, err = parseSingle(text)
		}
		if err != nil {
			return nil, p.errf(l, "%v", err)
		}
		if err := p.trailing(l, rest); err != nil {
			return nil, err
		}
		p.pos++
		return &Node{Kind: Scalar, Line: l.num, Value: v, Quoted: true}, nil
	case '[':
		return p.parseFlow(text)
	case '{':
		rest := strings.TrimLeft(text[1:], " \t")
		if !strings.HasPrefix(rest, "}") {
			return nil, p.errf(l, "flow mappings ({...}) are not supported; write the mapping in block style")
		}
		if err := p.trailing(l, rest[1:]); err != nil {
			return nil, err
		}
		p.pos++
		return &Node{Kind: Mapping, Line: l.num}, nil
	case '|', '>':
		return p.parseBlockScalar(text, parent)
	case '&':
		return nil, p.errf(l, "anchors (&) are not supported")
	case '*':
		return nil, p.errf(l, "aliases (*) are not supported; quote a value that starts with *")
	case '!':
		return nil, p.errf(l, "tags (!) are not supported; quote a value that starts with !")
	case '%', '@', '`':
		return nil, p.errf(l, "a plain value cannot start with %q; quote it", text[0])
	case ',', ']', '}':
		return nil, p.errf(l, "unexpected %q", text[0])
	case '?':
		if len(text) == 1 || text[1] == ' ' || text[1] == '\t' {
			return nil, p.errf(l, "complex keys (?) are not supported")
		}
	case '-':
		if isSeqItem(text) {
			return nil, p.errf(l, "a sequence cannot start on the same line as its key; start it on the next line")
		}
	}
	v := stripComment(text)
	if i := strings.Index(v, ": "); i >= 0 || strings.HasSuffix(v, ":") {
		return nil, p.errf(l, "a plain value cannot contain \": \" or end with \":\"; quote it")
	}
	p.pos++
	switch v {
	case "~", "null", "Null", "NULL":
		return &Node{Kind: Null, Line: l.num}, nil
	}
	return &Node{Kind: Scalar, Line: l.num, Value: v}, nil
}

// trailing checks that only whitespace or a comment follows a value.
func (p *parser) trailing(l *line, rest string) error {
	r := strings.TrimLeft(rest, " \t")
	if r == "" {
		return nil
	}
	if r[0] == '#' {
		if len(r) < len(rest) {
			return nil
		}
		return p.errf(l, "a comment must be separated from the value by a space")
	}
	return p.errf(l, "unexpected text after the value: %q", clip(r))
}

// stripComment removes a trailing " # comment" from plain text and trims
// trailing whitespace.
func stripComment(t string) string {
	for i := 0; i < len(t); i++ {
		if t[i] == '#' && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t') {
			t = t[:i]
			break
		}
	}
	return strings.TrimRight(t, " \t")
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
