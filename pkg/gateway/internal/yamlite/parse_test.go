package yamlite

import (
	"fmt"
	"strings"
	"testing"
)

// dump renders a node compactly so tests can compare structure.
func dump(n *Node) string {
	switch n.Kind {
	case Null:
		return "~"
	case Scalar:
		return fmt.Sprintf("%q", n.Value)
	case Sequence:
		parts := make([]string, len(n.Items))
		for i, it := range n.Items {
			parts[i] = dump(it)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case Mapping:
		parts := make([]string, len(n.Pairs))
		for i, p := range n.Pairs {
			parts[i] = fmt.Sprintf("%s:%s", p.Key.Value, dump(p.Value))
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return "?"
}

func TestParseValid(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", "~"},
		{"comments only", "# hello\n\n   # more\n", "~"},
		{"scalar document", "hello world\n", `"hello world"`},
		{"mapping", "a: 1\nb: two\n", `{a:"1" b:"two"}`},
		{"nested", "http:\n  port: 9090\n  host: ''\nlog:\n  level: debug\n", `{http:{port:"9090" host:""} log:{level:"debug"}}`},
		{"null values", "a:\nb: ~\nc: null\n", `{a:~ b:~ c:~}`},
		{"comment after value", "a: x # note\nb: 'y # not a comment' # note\n", `{a:"x" b:"y # not a comment"}`},
		{"hash without space is text", "a: x#y\n", `{a:"x#y"}`},
		{"url value", "u: http://h:80/p?q=1\n", `{u:"http://h:80/p?q=1"}`},
		{"block sequence", "l:\n  - a\n  - b\n", `{l:["a" "b"]}`},
		{"sequence at key indent", "l:\n- a\n- b\nm: c\n", `{l:["a" "b"] m:"c"}`},
		{"sequence of mappings", "l:\n  - n: 1\n    m: 2\n  - n: 3\n", `{l:[{n:"1" m:"2"} {n:"3"}]}`},
		{"nested sequences", "- - a\n  - b\n- c\n", `[["a" "b"] "c"]`},
		{"dash alone", "l:\n  -\n  - x\n", `{l:[~ "x"]}`},
		{"dash then block", "l:\n  -\n    k: v\n", `{l:[{k:"v"}]}`},
		{"flow sequence", "l: [a, 'b c', \"d\"]\n", `{l:["a" "b c" "d"]}`},
		{"flow empty", "l: []\nm: {}\n", `{l:[] m:{}}`},
		{"flow trailing comma", "l: [a, b,]\n", `{l:["a" "b"]}`},
		{"flow nested", "l: [[a], [b, c]]\n", `{l:[["a"] ["b" "c"]]}`},
		{"flow multiline", "l: [a,\n  b, # c\n  c\n]\nm: x\n", `{l:["a" "b" "c"] m:"x"}`},
		{"double escapes", `a: "t\tn\n\"q\" \\ \x41\u00e9\U0001F600"` + "\n", fmt.Sprintf("{a:%q}", "t\tn\n\"q\" \\ Aé😀")},
		{"single escapes", "a: 'it''s'\n", `{a:"it's"}`},
		{"quoted keys", "\"a b\": 1\n'c:d': 2\n", `{a b:"1" c:d:"2"}`},
		{"literal block", "a: |\n  one\n   two\n\n  three\nb: x\n", `{a:"one\n two\n\nthree\n" b:"x"}`},
		{"literal strip", "a: |-\n  one\n\n", `{a:"one"}`},
		{"literal keep", "a: |+\n  one\n\n\nb: 1\n", `{a:"one\n\n\n" b:"1"}`},
		{"folded block", "a: >\n  one\n  two\n\n  three\n", `{a:"one two\nthree\n"}`},
		{"folded more indented", "a: >\n  one\n    code\n  two\n", `{a:"one\n  code\ntwo\n"}`},
		{"explicit indent", "a: |2\n    x\n  y\n", `{a:"  x\ny\n"}`},
		{"document start", "---\na: 1\n", `{a:"1"}`},
		{"document end", "a: 1\n...\n# bye\n", `{a:"1"}`},
		{"crlf", "a: 1\r\nb: 2\r\n", `{a:"1" b:"2"}`},
		{"bom", "\xef\xbb\xbfa: 1\n", `{a:"1"}`},
		{"tab after colon", "a:\tx\n", `{a:"x"}`},
		{"numbers stay text", "v: 1.0\nw: 010\nx: yes\n", `{v:"1.0" w:"010" x:"yes"}`},
		{"key with trailing spaces", "a   : 1\n", `{a:"1"}`},
		{"deep map in seq in map", "a:\n  - b:\n      c: [1]\n", `{a:[{b:{c:["1"]}}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n, err := Parse([]byte(c.in))
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.in, err)
			}
			if got := dump(n); got != c.want {
				t.Errorf("Parse(%q)\n got %s\nwant %s", c.in, got, c.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"anchor", "a: &x 1\n", 1, "anchors"},
		{"alias", "a: 1\nb: *x\n", 2, "aliases"},
		{"tag", "a: !!str 1\n", 1, "tags"},
		{"directive", "%YAML 1.2\n---\na: 1\n", 1, "directives"},
		{"complex key", "? a\n: b\n", 1, "complex keys"},
		{"flow mapping", "a: {b: c}\n", 1, "flow mappings"},
		{"flow mapping in seq", "a: [x, {b: c}]\n", 1, "flow mappings"},
		{"colon in flow", "a: [b: c]\n", 1, "flow mappings"},
		{"two documents", "a: 1\n---\nb: 2\n", 2, "multiple documents"},
		{"duplicate key", "a: 1\nb: 2\na: 3\n", 3, `duplicate key "a" (first on line 1)`},
		{"tab indentation", "a:\n\tb: 1\n", 2, "tab"},
		{"bad indentation", "a: 1\n  b: 2\n", 2, "unexpected indentation"},
		{"multi-line plain", "a: one\n  two\n", 2, "multi-line"},
		{"unterminated double", "a: \"abc\n", 1, "unterminated double-quoted"},
		{"unterminated single", "a: 'abc\n", 1, "unterminated single-quoted"},
		{"bad escape", `a: "\q"` + "\n", 1, `\q`},
		{"short hex", `a: "\x4"` + "\n", 1, "hex digits"},
		{"surrogate", `a: "\ud800"` + "\n", 1, "not a valid Unicode"},
		{"unclosed flow", "a: [b, c\n", 1, "unclosed ["},
		{"unclosed flow before key", "a: [b, c\nd: e\n", 2, "opened on line 1"},
		{"junk after quote", "a: 'x' y\n", 1, "unexpected text"},
		{"mapping in plain value", "a: b: c\n", 1, `cannot contain ": "`},
		{"not a key", "a: 1\njust text\n", 2, `expected "key: value"`},
		{"seq item in map", "a: 1\n- b\n", 2, "sequence item"},
		{"seq on key line", "a: - b\n", 1, "sequence cannot start"},
		{"reserved char", "a: @x\n", 1, "quote it"},
		{"bad block header", "a: |x\n  b\n", 1, "block scalar header"},
		{"invalid utf8", "a: 1\nb: \xff\n", 2, "UTF-8"},
		{"content after end", "a: 1\n...\nb: 2\n", 3, "after the document end"},
		{"content on start marker", "--- a\n", 1, "--- line"},
		{"comment glued to quote", "a: 'x'#c\n", 1, "separated"},
		{"leftover after top-level seq", "- a\nb: c\n", 2, "unexpected content"},
		{"deep nesting", strings.Repeat("[", 100) + strings.Repeat("]", 100) + "\n", 1, "nesting deeper"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in))
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want error containing %q", c.in, c.want)
			}
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error %T %v is not a *SyntaxError", err, err)
			}
			if se.Line != c.line || !strings.Contains(se.Msg, c.want) {
				t.Errorf("Parse(%q) = %v; want line %d containing %q", c.in, err, c.line, c.want)
			}
		})
	}
}

func TestParseLines(t *testing.T) {
	n, err := Parse([]byte("# c\na:\n  b: 1\n  l:\n    - x\n    - [y]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := n.Pairs[0]
	if a.Key.Line != 2 {
		t.Errorf("key a on line %d, want 2", a.Key.Line)
	}
	b := a.Value.Pairs[0]
	if b.Key.Line != 3 || b.Value.Line != 3 {
		t.Errorf("b on lines %d/%d, want 3", b.Key.Line, b.Value.Line)
	}
	l := a.Value.Pairs[1].Value
	if l.Items[0].Line != 5 || l.Items[1].Line != 6 {
		t.Errorf("items on lines %d, %d; want 5, 6", l.Items[0].Line, l.Items[1].Line)
	}
}
