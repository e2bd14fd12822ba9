package pathnorm

import (
	"errors"
	"path"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		in, want string
		segs     int
		minDepth int
		trailing bool
	}{
		{"/", "/", 0, 0, false},
		{"/a/b", "/a/b", 2, 2, false},
		{"/a/b/", "/a/b/", 2, 2, true},
		{"//a///b//", "/a/b/", 2, 2, true},
		{"/a/./b/.", "/a/b/", 2, 2, true},
		{"/a/b/../c", "/a/c", 2, 1, false},
		{"/a/b/..", "/a/", 1, 1, true},
		{"/a/%2e%2e/b", "/b", 1, 0, false},
		{"/a/%2E./b", "/b", 1, 0, false},
		{"/a/.%2e/b", "/b", 1, 0, false},
		{"/a/%2e/b", "/a/b", 2, 2, false},
		{"/a%2fb/c", "/a%2Fb/c", 2, 2, false},
		{"/a%2Fb/%2f", "/a%2Fb/%2F", 2, 2, false},
		{"/%7euser/%41%62c", "/~user/Abc", 2, 2, false},
		{"/a%20b/%3a@!$%2C,", "/a%20b/:@!$,,", 2, 2, false},
		{"/a%2C%20", "/a,%20", 1, 1, false},
		{"/A/b", "/A/b", 2, 2, false},
		{"/x/%00", "/x/%00", 2, 2, false},
		{"/a\"b<c>", "/a%22b%3Cc%3E", 1, 1, false},
		{"/a/b/../../c/d/..", "/c/", 1, 0, true},
		{"/a/..", "/", 0, 0, false},
		{"/v1/pet/...x", "/v1/pet/...x", 3, 3, false},
	}
	for _, c := range cases {
		r, err := Normalize(c.in, nil)
		if err != nil {
			t.Errorf("Normalize(%q): %v", c.in, err)
			continue
		}
		if r.Path != c.want || len(r.Segments) != c.segs || r.MinDepth != c.minDepth || r.TrailingSlash != c.trailing {
			t.Errorf("Normalize(%q) = %q segs %q minDepth %d trailing %v; want %q %d segs, minDepth %d, trailing %v",
				c.in, r.Path, r.Segments, r.MinDepth, r.TrailingSlash, c.want, c.segs, c.minDepth, c.trailing)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{"", ErrNotAbsolute},
		{"a/b", ErrNotAbsolute},
		{"*", ErrNotAbsolute},
		{"/..", ErrAboveRoot},
		{"/a/../..", ErrAboveRoot},
		{"/%2e%2e/x", ErrAboveRoot},
		{"/a%zz", ErrBadEscape},
		{"/a%4", ErrBadEscape},
		{"/a%", ErrBadEscape},
		{"/admin.", ErrTrailingDot},
		{"/admin%2e", ErrTrailingDot},
		{"/a/.../b", ErrTrailingDot},
		{"/" + strings.Repeat("a/", MaxSegments+1), ErrTooLong},
		{"/" + strings.Repeat("%61/", MaxSegments+1), ErrTooLong},
	}
	for _, c := range cases {
		if _, err := Normalize(c.in, nil); !errors.Is(err, c.want) {
			t.Errorf("Normalize(%.40q) error = %v, want %v", c.in, err, c.want)
		}
	}
}

func TestNormalizeFastPathDoesNotAllocate(t *testing.T) {
	segs := make([]string, 0, 16)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := Normalize("/petstore/v1/pet/123/", segs); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("canonical path allocated %v times, want 0", allocs)
	}
}

func TestEscapeSegment(t *testing.T) {
	if got := EscapeSegment("a b/c%~"); got != "a%20b%2Fc%25~" {
		t.Errorf("EscapeSegment = %q", got)
	}
}

// checkCanonical verifies the invariants every normalised path satisfies.
func checkCanonical(t *testing.T, in string, r Result) {
	t.Helper()
	p := r.Path
	if p == "" || p[0] != '/' {
		t.Fatalf("Normalize(%q) = %q: not absolute", in, p)
	}
	if strings.Contains(p, "//") {
		t.Fatalf("Normalize(%q) = %q: contains //", in, p)
	}
	want := strings.Split(strings.Trim(p, "/"), "/")
	if p == "/" {
		want = nil
	}
	if strings.Join(want, "\x00") != strings.Join(r.Segments, "\x00") {
		t.Fatalf("Normalize(%q): segments %q do not match path %q", in, r.Segments, p)
	}
	for _, s := range r.Segments {
		if s == "." || s == ".." || strings.HasSuffix(s, ".") {
			t.Fatalf("Normalize(%q) = %q: dot segment %q", in, p, s)
		}
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/' || plain[c]:
		case c == '%':
			if i+2 >= len(p) {
				t.Fatalf("Normalize(%q) = %q: truncated escape", in, p)
			}
			h := p[i+1 : i+3]
			if strings.ToUpper(h) != h || !isHex(h[0]) || !isHex(h[1]) {
				t.Fatalf("Normalize(%q) = %q: escape %%%s not canonical", in, p, h)
			}
			if plain[unhex(h[0])<<4|unhex(h[1])] {
				t.Fatalf("Normalize(%q) = %q: plain byte escaped as %%%s", in, p, h)
			}
			i += 2
		default:
			t.Fatalf("Normalize(%q) = %q: byte %q not escaped", in, p, c)
		}
	}
	if r.MinDepth < 0 || r.MinDepth > len(r.Segments) {
		t.Fatalf("Normalize(%q): MinDepth %d outside 0..%d", in, r.MinDepth, len(r.Segments))
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		"/", "/a/b", "//a//b/", "/a/../b", "/a/%2e%2e/b", "/%2f", "/a%2Fb", "/x.", "/A/%7e", "/a/./b/.",
		"/a/b/../../..", "/%zz", "/p/%25", "/é", "/a b", "/a/..%2f..", "/;/=/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		r, err := Normalize(in, nil)
		if err != nil {
			return
		}
		checkCanonical(t, in, r)
		// Idempotent: a canonical path is its own normal form and takes
		// the fast path.
		r2, err := Normalize(r.Path, nil)
		if err != nil || r2.Path != r.Path {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", in, r.Path, r.Path, r2.Path, err)
		}
		if _, ok := fast(r.Path, nil); !ok {
			t.Fatalf("canonical path %q missed the fast path", r.Path)
		}
		// For paths without escapes, resolution agrees with path.Clean.
		rawPlain := true
		for i := 0; i < len(in); i++ {
			if in[i] != '/' && !plain[in[i]] {
				rawPlain = false
			}
		}
		if rawPlain {
			if got, want := strings.TrimSuffix(r.Path, "/"), strings.TrimSuffix(path.Clean(in), "/"); got != want {
				t.Fatalf("Normalize(%q) = %q, path.Clean gives %q", in, r.Path, path.Clean(in))
			}
		}
	})
}
