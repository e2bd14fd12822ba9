package gateway

import (
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway/internal/pathnorm"
	"github.com/mgwio/mgw/pkg/gateway/internal/segtrie"
)

// FuzzRouter checks, for any request path, that a matched request stays
// inside the API that serves it and that the backend path is the
// normalised path with exactly the base path removed.
func FuzzRouter(f *testing.F) {
	spec := petstore("http://127.0.0.1:1")
	spec.APIs = append(spec.APIs, API{Name: "Root", Version: "1", BasePath: "/r/v1", Context: "/r", IsDefaultVersion: true,
		Resources: []Resource{{Path: "/*", Method: "GET"}, {Path: "/{a}/b/{c}", Method: "GET"}}})
	rt, problems := buildRouter(spec)
	if len(problems) > 0 {
		f.Fatal(problems)
	}
	for _, s := range []string{
		"/petstore/v1/pet/1", "/petstore/v1/../v1/admin", "/petstore/pet/%2e%2e/admin", "//petstore//v1//x/y/",
		"/r/v1/a/b/c", "/r/x/../../petstore/v1/admin", "/petstore/v1/ADMIN", "/petstore/v1/files/a%2fb", "/r/%2e/a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		norm, err := pathnorm.Normalize(raw, nil)
		if err != nil {
			return
		}
		m, ms, depth, outcome := rt.find(norm)
		if outcome != findOK {
			if outcome == findOutside && norm.MinDepth >= depth {
				t.Fatalf("%q reported outside with MinDepth %d >= depth %d", raw, norm.MinDepth, depth)
			}
			return
		}
		if norm.MinDepth < m.depth {
			t.Fatalf("%q (%q) climbed to depth %d above base path %q", raw, norm.Path, norm.MinDepth, m.prefix)
		}
		if !strings.HasPrefix(norm.Path, m.prefix) {
			t.Fatalf("%q: base path %q is not a prefix of %q", raw, m.prefix, norm.Path)
		}
		rest := norm.Path[len(m.prefix):]
		if rest != "" && rest[0] != '/' {
			t.Fatalf("%q: base path %q does not end at a segment boundary of %q", raw, m.prefix, norm.Path)
		}
		for _, s := range strings.Split(rest, "/") {
			if s == "." || s == ".." {
				t.Fatalf("%q: backend path %q has a dot segment", raw, rest)
			}
		}
		// The template matched really matches the remaining segments.
		tpl, err := segtrie.ParseTemplate(ms.template)
		if err != nil {
			t.Fatal(err)
		}
		segs := norm.Segments[depth:]
		for i, p := range tpl {
			if p.Kind == segtrie.Wildcard {
				return
			}
			if i >= len(segs) || p.Kind == segtrie.Literal && p.Text != segs[i] {
				t.Fatalf("%q: template %q does not match %q", raw, ms.template, segs)
			}
		}
		if len(tpl) != len(segs) {
			t.Fatalf("%q: template %q does not match %q", raw, ms.template, segs)
		}
	})
}
