package apidef

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	yaml4 "go.yaml.in/yaml/v4"
)

// decodeYAML parses YAML with go.yaml.in/yaml/v4 (the parser kin-openapi
// uses), whose errors point at the offending line (yaml.v3 often names the
// line before), then converts the node tree itself: strings stay strings
// (a timestamp-looking version is not turned into a time), duplicate keys
// are errors with their line, and aliases are expanded within a budget.
// The node tree is returned too, for the line index.
func decodeYAML(path string, data []byte) (any, *yaml4.Node, error) {
	dec := yaml4.NewDecoder(bytes.NewReader(data))
	var doc yaml4.Node
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, yamlProblem(path, err)
	}
	var extra yaml4.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, nil, yamlProblem(path, err)
	default:
		return nil, nil, Problem{Path: path, Line: extra.Line, Message: "the file holds more than one YAML document (---); keep one API definition per file"}
	}
	c := nodeConverter{path: path, budget: maxYAMLNodes}
	v, err := c.value(&doc, 0)
	return v, &doc, err
}

func yamlProblem(path string, err error) error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Problem{Path: path, Line: line, Message: "invalid YAML: " + oneLine(m[2])}
	}
	return Problem{Path: path, Message: "invalid YAML: " + oneLine(strings.TrimPrefix(msg, "yaml: "))}
}

// Limits that keep hostile YAML (alias bombs, deep nesting) cheap.
const (
	maxYAMLNodes = 1 << 20
	maxYAMLDepth = 500
)

// nodeConverter turns a YAML node tree into plain Go values.
type nodeConverter struct {
	path   string
	budget int
}

func (c *nodeConverter) value(n *yaml4.Node, depth int) (any, error) {
	c.budget--
	if c.budget < 0 {
		return nil, Problem{Path: c.path, Line: n.Line, Message: "the document is too large once its YAML aliases are expanded"}
	}
	if depth > maxYAMLDepth {
		return nil, Problem{Path: c.path, Line: n.Line, Message: "the document is nested too deeply"}
	}
	switch n.Kind {
	case yaml4.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth+1)
	case yaml4.AliasNode:
		if n.Alias == nil {
			return nil, Problem{Path: c.path, Line: n.Line, Message: "invalid YAML: an alias without its anchor"}
		}
		return c.value(n.Alias, depth+1)
	case yaml4.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, e := range n.Content {
			v, err := c.value(e, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml4.MappingNode:
		return c.mapping(n, depth)
	case yaml4.ScalarNode:
		return scalar(n), nil
	}
	return nil, Problem{Path: c.path, Line: n.Line, Message: "invalid YAML: unexpected node"}
}

func (c *nodeConverter) mapping(n *yaml4.Node, depth int) (any, error) {
	out := make(map[string]any, len(n.Content)/2)
	lines := make(map[string]int, len(n.Content)/2)
	var merged []map[string]any
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		kv, err := c.value(k, depth+1)
		if err != nil {
			return nil, err
		}
		val, err := c.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		if k.ShortTag() == "!!merge" {
			switch m := val.(type) {
			case map[string]any:
				merged = append(merged, m)
			case []any:
				for _, e := range m {
					if em, ok := e.(map[string]any); ok {
						merged = append(merged, em)
					}
				}
			}
			continue
		}
		key := scalarString(kv)
		if first, dup := lines[key]; dup {
			return nil, Problem{Path: c.path, Line: k.Line, Message: fmt.Sprintf("invalid YAML: key %q is already defined at line %d", key, first)}
		}
		lines[key] = k.Line
		out[key] = val
	}
	for _, m := range merged {
		for k, v := range m {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
	return out, nil
}

// scalar converts a YAML scalar: numbers and booleans by their tag, the
// text itself for everything else (strings, timestamps, binary, custom tags).
func scalar(n *yaml4.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		var v any
		if err := n.Decode(&v); err == nil {
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return n.Value
			}
			return v
		}
	}
	return n.Value
}
