package apidef

import (
	"strconv"
	"strings"
)

// Problem is one thing wrong with an API definition: where it is and what to
// do about it.
type Problem struct {
	// Path is the file (or other source) the definition came from.
	Path string
	// Line is the 1-based line in Path, or 0 when unknown.
	Line int
	// Location is a JSON pointer into the document, e.g.
	// "#/paths/~1pets/get"; empty for the document as a whole.
	Location string
	// Message says what is wrong and how to fix it.
	Message string
}

// Error formats the problem as "path:line: location: message", leaving out
// the parts that are unknown.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(p.Line))
	}
	if p.Location != "" {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
		b.WriteString(p.Location)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is a list of problems usable as one error; Load returns it.
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "\n")
}

// pointer builds a JSON pointer ("#/a/b~1c") from unescaped tokens.
func pointer(tokens ...string) string {
	var b strings.Builder
	b.WriteString("#")
	for _, t := range tokens {
		b.WriteString("/")
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

// escapeToken escapes one JSON pointer reference token (RFC 6901).
func escapeToken(t string) string {
	t = strings.ReplaceAll(t, "~", "~0")
	return strings.ReplaceAll(t, "/", "~1")
}

// unescapeToken reverses escapeToken.
func unescapeToken(t string) string {
	t = strings.ReplaceAll(t, "~1", "/")
	return strings.ReplaceAll(t, "~0", "~")
}
