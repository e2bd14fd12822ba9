package yamlite

import (
	"strconv"
	"strings"
	"testing"
)

// emit writes n back as YAML using only double-quoted scalars and block
// collections. strconv.Quote's escapes are all valid YAML escapes.
func emit(b *strings.Builder, n *Node, indent int) {
	pad := strings.Repeat(" ", indent)
	switch n.Kind {
	case Mapping:
		if len(n.Pairs) == 0 {
			b.WriteString(pad + "{}\n")
			return
		}
		for _, p := range n.Pairs {
			b.WriteString(pad + strconv.Quote(p.Key.Value) + ":")
			emitValue(b, p.Value, indent)
		}
	case Sequence:
		if len(n.Items) == 0 {
			b.WriteString(pad + "[]\n")
			return
		}
		for _, it := range n.Items {
			b.WriteString(pad + "-")
			emitValue(b, it, indent)
		}
	default:
		emitValue(b, n, indent-2)
	}
}

func emitValue(b *strings.Builder, n *Node, indent int) {
	switch {
	case n.Kind == Null:
		b.WriteString(" ~\n")
	case n.Kind == Scalar:
		b.WriteString(" " + strconv.Quote(n.Value) + "\n")
	case n.Kind == Mapping && len(n.Pairs) == 0:
		b.WriteString(" {}\n")
	case n.Kind == Sequence && len(n.Items) == 0:
		b.WriteString(" []\n")
	default:
		b.WriteString("\n")
		emit(b, n, indent+2)
	}
}

func FuzzParse(f *testing.F) {
	seeds := []string{
		"", "a: 1\n", "a:\n  b: [x, 'y', \"z\"]\n  c:\n  - d: e\n    f: |\n      text\n",
		"- - a\n  - b\n- {}\n- []\n", "a: >-\n  folded\n  text\n\n  more\n", "---\nx: \"\\u00e9\\t\"\n...\n",
		"a: [b,\n  c # comment\n]\n", "k: 'it''s'\n", "a: &x 1\n", "a: {b: c}\n", "\tx: 1\n",
		"a: |+2\n    x\n\n", "? x\n", "a: b: c\n", "\"q\": 1\n'r': 2\n", "a:\n-\n- ~\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := Parse([]byte(src))
		lines := strings.Count(src, "\n") + 1
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error %T is not a *SyntaxError: %v", err, err)
			}
			if se.Line < 1 || se.Line > lines {
				t.Fatalf("error line %d outside 1..%d: %v", se.Line, lines, err)
			}
			return
		}
		// Round trip: emitting the tree and parsing it again yields the
		// same tree.
		var b strings.Builder
		if n.Kind == Scalar || n.Kind == Null {
			emitValue(&b, n, 0)
		} else {
			emit(&b, n, 0)
		}
		n2, err := Parse([]byte(b.String()))
		if err != nil {
			t.Fatalf("re-parsing emitted YAML failed: %v\ninput: %q\nemitted:\n%s", err, src, b.String())
		}
		if dump(n) != dump(n2) {
			t.Fatalf("round trip changed the document\ninput: %q\nfirst:  %s\nsecond: %s\nemitted:\n%s", src, dump(n), dump(n2), b.String())
		}
		// Decoding arbitrary documents never panics.
		var c testConfig
		(&Decoder{}).Decode(n, &c)
	})
}
