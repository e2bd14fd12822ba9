// Package pathnorm puts request paths in one canonical escaped form, so
// that routing, security decisions and the backend all see the same path.
//
// The canonical form of an escaped path:
//   - starts with "/", has no empty segments ("//" collapses), keeps one
//     trailing "/" if the request had one;
//   - percent-encodes exactly the bytes that are not unreserved, sub-delims,
//     ":" or "@", with upper-case hex, and decodes every escape of those
//     bytes: "%7e" and "~", "%2C" and "," are the same segment, as they are
//     to nearly every backend; "%2F" stays an encoded slash inside its
//     segment (it never separates segments);
//   - has no "." or ".." segments: they are resolved, in their encoded
//     forms too ("%2e%2e"); climbing above the root is an error, and the
//     caller compares MinDepth with its base path to forbid climbing out of
//     an API;
//   - has no segment ending in "." (such as "admin."), which some servers
//     silently equate with the name without the dot; those are an error.
//
// Case is kept: paths are case-sensitive.
package pathnorm

import (
	"errors"
	"strings"
)

// MaxSegments bounds the number of segments of a path.
const MaxSegments = 128

// Errors returned by Normalize.
var (
	ErrNotAbsolute = errors.New("the path must start with /")
	ErrBadEscape   = errors.New("the path has a malformed percent-escape")
	ErrAboveRoot   = errors.New("the path climbs above / with ..")
	ErrTrailingDot = errors.New("a path segment ends with a dot")
	ErrTooLong     = errors.New("the path has too many segments")
)

// Result is a normalised path.
type Result struct {
	// Path is the canonical escaped path.
	Path string
	// Segments are the non-empty segments of Path, in canonical escaped
	// form; they are substrings of Path.
	Segments []string
	// MinDepth is the smallest number of segments the path was left with
	// after resolving a "..", or len(Segments) when there was none. A path
	// that never climbed above a base path of n segments has MinDepth >= n.
	MinDepth int
	// TrailingSlash reports a path that ended in "/" (other than "/").
	TrailingSlash bool
}

// Normalize canonicalises the escaped path p (as in url.URL.EscapedPath).
// segs is scratch space for the segments and may be nil.
func Normalize(p string, segs []string) (Result, error) {
	if p == "" || p[0] != '/' {
		return Result{}, ErrNotAbsolute
	}
	if r, ok := fast(p, segs); ok {
		return r, nil
	}
	return slow(p, segs)
}

// fast accepts paths that are already canonical without allocating.
func fast(p string, segs []string) (Result, bool) {
	segs = segs[:0]
	start := 1
	for i := 1; i <= len(p); i++ {
		if i < len(p) {
			c := p[i]
			if c != '/' {
				if plain[c] {
					continue
				}
				// A canonical escape: upper-case hex of a byte that must
				// stay escaped.
				if c != '%' || i+2 >= len(p) || !isUpperHex(p[i+1]) || !isUpperHex(p[i+2]) ||
					plain[unhex(p[i+1])<<4|unhex(p[i+2])] {
					return Result{}, false
				}
				i += 2
				continue
			}
		}
		seg := p[start:i]
		switch {
		case seg == "":
			if i != len(p) {
				return Result{}, false // "//"
			}
		case seg[len(seg)-1] == '.':
			return Result{}, false // ".", ".." or a trailing dot
		default:
			segs = append(segs, seg)
		}
		start = i + 1
	}
	if len(segs) > MaxSegments {
		return Result{}, false
	}
	return Result{
		Path:          p,
		Segments:      segs,
		MinDepth:      len(segs),
		TrailingSlash: len(p) > 1 && p[len(p)-1] == '/',
	}, true
}

// slow decodes, re-encodes and resolves each segment.
func slow(p string, segs []string) (Result, error) {
	var b strings.Builder
	b.Grow(len(p) + 8)
	// ends[i] is the end offset in b of segment i; segment i starts after
	// the "/" that precedes it.
	var endsBuf [32]int
	ends := endsBuf[:0]
	minDepth := -1
	trailing := false
	raw := p[1:]
	for {
		var seg string
		seg, rest, more := strings.Cut(raw, "/")
		raw = rest
		dec, err := canonical(seg)
		if err != nil {
			return Result{}, err
		}
		last := !more
		switch dec {
		case "":
			trailing = last && len(ends) > 0
		case ".":
			trailing = last && len(ends) > 0
		case "..":
			if len(ends) == 0 {
				return Result{}, ErrAboveRoot
			}
			ends = ends[:len(ends)-1]
			cut := 0
			if len(ends) > 0 {
				cut = ends[len(ends)-1]
			}
			s := b.String()[:cut]
			b.Reset()
			b.WriteString(s)
			if minDepth < 0 || len(ends) < minDepth {
				minDepth = len(ends)
			}
			trailing = last && len(ends) > 0
		default:
			if dec[len(dec)-1] == '.' {
				return Result{}, ErrTrailingDot
			}
			b.WriteByte('/')
			b.WriteString(dec)
			ends = append(ends, b.Len())
			trailing = false
			if len(ends) > MaxSegments {
				return Result{}, ErrTooLong
			}
		}
		if last {
			break
		}
	}
	if trailing || len(ends) == 0 {
		b.WriteByte('/')
	}
	out := b.String()
	segs = segs[:0]
	start := 0
	for _, e := range ends {
		segs = append(segs, out[start+1:e])
		start = e
	}
	if minDepth < 0 {
		minDepth = len(segs)
	}
	return Result{Path: out, Segments: segs, MinDepth: minDepth, TrailingSlash: trailing}, nil
}

// canonical returns seg with unreserved escapes decoded and everything else
// that needs it escaped in upper case.
func canonical(seg string) (string, error) {
	clean := true
	for i := 0; i < len(seg); i++ {
		if !plain[seg[i]] {
			clean = false
			break
		}
	}
	if clean {
		return seg, nil
	}
	var b strings.Builder
	b.Grow(len(seg) + 4)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '%' {
			if i+2 >= len(seg) || !isHex(seg[i+1]) || !isHex(seg[i+2]) {
				return "", ErrBadEscape
			}
			v := unhex(seg[i+1])<<4 | unhex(seg[i+2])
			i += 2
			if plain[v] {
				b.WriteByte(v)
			} else {
				writeEscape(&b, v)
			}
			continue
		}
		if plain[c] {
			b.WriteByte(c)
		} else {
			writeEscape(&b, c)
		}
	}
	return b.String(), nil
}

// EscapeSegment returns the canonical escaped form of an unescaped
// segment, such as a literal segment of a path template.
func EscapeSegment(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if plain[s[i]] {
			b.WriteByte(s[i])
		} else {
			writeEscape(&b, s[i])
		}
	}
	return b.String()
}

func writeEscape(b *strings.Builder, c byte) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&15])
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isUpperHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// plain marks the bytes a canonical segment holds unescaped: RFC 3986
// unreserved bytes, sub-delims, ":" and "@". It is never modified.
var plain = func() (t [256]bool) {
	for c := range 256 {
		b := byte(c)
		t[c] = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			strings.IndexByte("-._~!$&'()*+,;=:@", b) >= 0
	}
	return t
}()
