package image

import (
	"strings"
	"testing"
)

// FuzzParseRef: --image and --push values never panic the parser, and an
// accepted reference names an image that parses again to the same name.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"mgw/demo", "mgw/demo:1.0", "127.0.0.1:5000/a/b:v2", "Bad/Name", "a@sha256:00", "x:$(y)", "http://h/r", "a/b/c/d:e.f-g_h", ":", "/", "a//b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRef(s)
		if err != nil {
			if !strings.Contains(err.Error(), "image reference") {
				t.Fatalf("error does not say what was wrong: %v", err)
			}
			return
		}
		again, err := ParseRef(r.Name())
		if err != nil {
			t.Fatalf("%q was accepted as %q, which is refused: %v", s, r.Name(), err)
		}
		if again.Name() != r.Name() {
			t.Fatalf("%q: %q then %q", s, r.Name(), again.Name())
		}
		if strings.ContainsAny(r.Name(), " \t\n\"'$`") {
			t.Fatalf("accepted a name with shell or YAML metacharacters: %q", r.Name())
		}
	})
}
