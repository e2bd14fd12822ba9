// Package segtrie matches normalised request paths against path templates
// in time that does not depend on the number of templates: a trie keyed by
// path segment.
//
// Matching prefers, at every segment, a literal over a parameter over a
// trailing wildcard, and backtracks when a more specific branch dead-ends.
// A segment that equals a literal only when case is ignored never falls
// through to a parameter or wildcard of the same node: "/ADMIN" cannot
// reach "/{name}" beside a literal "/admin", so a case-insensitive backend
// cannot be reached through an unsecured parameter route.
package segtrie

import (
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/gateway/internal/pathnorm"
)

// Kind is the kind of a template segment.
type Kind uint8

// Segment kinds.
const (
	Literal Kind = iota
	Param
	Wildcard
)

// Segment is one segment of a parsed template.
type Segment struct {
	Kind Kind
	// Text is the canonical escaped literal, or the parameter name.
	Text string
}

// ParseTemplate parses an OpenAPI path template such as "/pet/{petId}" or
// "/files/*". Parameters must span a whole segment; "*" may only be the
// last segment and matches any remaining segments, including none. Empty
// segments and a trailing "/" are ignored, as they are in requests.
func ParseTemplate(t string) ([]Segment, error) {
	if !strings.HasPrefix(t, "/") {
		return nil, fmt.Errorf("path template %q must start with /", t)
	}
	if strings.ContainsAny(t, "?#") {
		return nil, fmt.Errorf("path template %q must not contain a query (?) or fragment (#)", t)
	}
	var segs []Segment
	parts := strings.Split(t[1:], "/")
	for i, p := range parts {
		switch {
		case p == "":
			continue
		case p == "*":
			if i != len(parts)-1 && !(i == len(parts)-2 && parts[i+1] == "") {
				return nil, fmt.Errorf("path template %q: * is only allowed as the last segment", t)
			}
			segs = append(segs, Segment{Kind: Wildcard})
		case strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}"):
			name := p[1 : len(p)-1]
			if name == "" || strings.ContainsAny(name, "{}") {
				return nil, fmt.Errorf("path template %q: bad parameter %q", t, p)
			}
			segs = append(segs, Segment{Kind: Param, Text: name})
		case strings.ContainsAny(p, "{}"):
			return nil, fmt.Errorf("path template %q: parameter in %q must span the whole segment (e.g. /{id}, not /{id}.json)", t, p)
		case p == "." || p == "..":
			return nil, fmt.Errorf("path template %q: dot segments are not allowed", t)
		case strings.HasSuffix(p, "."):
			return nil, fmt.Errorf("path template %q: segment %q ends with a dot; the gateway rejects such requests", t, p)
		default:
			segs = append(segs, Segment{Kind: Literal, Text: pathnorm.EscapeSegment(p)})
		}
	}
	if len(segs) > pathnorm.MaxSegments {
		return nil, fmt.Errorf("path template %q has more than %d segments", t, pathnorm.MaxSegments)
	}
	return segs, nil
}

// Key renders segs in a form where templates that match the same requests
// are equal ("/pet/{}" for "/pet/{id}" and "/pet/{petId}").
func Key(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteByte('/')
		switch s.Kind {
		case Literal:
			b.WriteString(s.Text)
		case Param:
			b.WriteString("{}")
		case Wildcard:
			b.WriteByte('*')
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}
