package apidef

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	yaml4 "go.yaml.in/yaml/v4"
)

// tree is a document decoded into plain Go values (map[string]any, []any,
// string, bool, json.Number, float64, int, nil) together with the line each
// JSON pointer starts at, when the source was YAML or JSON text.
type tree struct {
	root  map[string]any
	lines map[string]int
}

// line returns the line of a JSON pointer ("#/a/b"), or of its closest
// ancestor that has one; 0 if unknown.
func (t *tree) line(ptr string) int {
	if t == nil || t.lines == nil {
		return 0
	}
	p := strings.TrimPrefix(ptr, "#")
	for {
		if l, ok := t.lines[p]; ok {
			return l
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return 0
		}
		p = p[:i]
	}
}

// maxIndexedNodes bounds the memory the line index may take.
const maxIndexedNodes = 1 << 18

var yamlLineRE = regexp.MustCompile(`^yaml: (?:[a-z ]+errors:\s*)?line (\d+): ((?s).*)`)

// parseTree decodes YAML or JSON text. Syntax errors carry the line.
func parseTree(path string, data []byte) (*tree, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, Problem{Path: path, Message: "the file is empty; expected an OpenAPI 3 or Swagger 2 document"}
	}
	var (
		v    any
		node *yaml4.Node
		err  error
	)
	if trimmed[0] == '{' {
		v, err = decodeJSON(path, data)
		var n yaml4.Node
		if err == nil && yaml4.Unmarshal(data, &n) == nil { // JSON is YAML, mostly: lines for free
			node = &n
		}
	} else {
		v, node, err = decodeYAML(path, data)
	}
	if err != nil {
		return nil, err
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, Problem{Path: path, Line: 1, Message: "the top level is not a mapping; expected an OpenAPI 3 or Swagger 2 document"}
	}
	t := &tree{root: root}
	if node != nil {
		t.lines = map[string]int{}
		indexLines(node, "", t.lines)
	}
	return t, nil
}

func decodeJSON(path string, data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonProblem(path, data, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, Problem{Path: path, Line: lineAt(data, dec.InputOffset()), Message: "unexpected content after the JSON document; the file must hold exactly one document"}
	}
	return v, nil
}

func jsonProblem(path string, data []byte, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return Problem{Path: path, Line: lineAt(data, se.Offset), Message: "invalid JSON: " + se.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return Problem{Path: path, Line: lineAt(data, int64(len(data))), Message: "invalid JSON: the document ends too early"}
	}
	return Problem{Path: path, Message: "invalid JSON: " + err.Error()}
}

// lineAt converts a byte offset to a 1-based line number.
func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// scalarString renders a YAML map key as the string JSON would use.
func scalarString(k any) string {
	switch x := k.(type) {
	case string:
		return x
	case nil:
		return "null"
	default:
		return fmt.Sprint(x)
	}
}

// indexLines records the line of every mapping value and sequence item.
func indexLines(n *yaml4.Node, ptr string, lines map[string]int) {
	if len(lines) >= maxIndexedNodes {
		return
	}
	switch n.Kind {
	case yaml4.DocumentNode:
		lines[""] = n.Line
		for _, c := range n.Content {
			indexLines(c, ptr, lines)
		}
	case yaml4.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := ptr + "/" + escapeToken(k.Value)
			lines[p] = k.Line
			indexLines(v, p, lines)
		}
	case yaml4.SequenceNode:
		for i, c := range n.Content {
			p := ptr + "/" + strconv.Itoa(i)
			lines[p] = c.Line
			indexLines(c, p, lines)
		}
	}
}
