package gateway

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// yamlSyntaxError is a YAML document that does not parse, at a line.
type yamlSyntaxError struct {
	Line int // 0 when the line is unknown
	Msg  string
}

func (e *yamlSyntaxError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

// yamlErrLine matches yaml.v3's "yaml: line N: message".
var yamlErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses one YAML document with yaml.v3 and returns its root
// node, or nil for an empty document. Several documents in one file are an
// error: a config is one document.
func parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, syntaxError(data, err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, &yamlSyntaxError{Line: next.Line, Msg: "a second document (after ---) is not supported; a config file is one document"}
	} else if !errors.Is(err, io.EOF) {
		return nil, syntaxError(data, err)
	}
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		return doc.Content[0], nil
	}
	return &doc, nil
}

// syntaxError turns a yaml.v3 parse error into a *yamlSyntaxError. When
// yaml.v3 gives no line (unreadable bytes), it is the line of the first
// byte YAML does not allow.
func syntaxError(data []byte, err error) *yamlSyntaxError {
	msg := err.Error()
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &yamlSyntaxError{Line: line, Msg: m[2]}
	}
	return &yamlSyntaxError{Line: badByteLine(data), Msg: strings.TrimPrefix(msg, "yaml: ")}
}

// badByteLine is the 1-based line of the first invalid UTF-8 sequence or
// control character in data, or 1.
func badByteLine(data []byte) int {
	line := 1
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if (r == utf8.RuneError && size <= 1) || (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return line
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return 1
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
