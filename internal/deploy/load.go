package deploy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"

	"github.com/mgwio/mgw/internal/yamlerr"
)

// Load reads labels/<label>/deploy.yaml from labelDir; a missing file gives
// the defaults. Problems are reported all at once in a *ConfigError, each
// as "path:line: problem".
func Load(labelDir string) (*Config, error) {
	path := filepath.Join(labelDir, FileName)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the deploy configuration: %w", err)
	}
	return parse(path, data)
}

// parse decodes and validates one deploy.yaml; path names it in errors.
func parse(path string, data []byte) (*Config, error) {
	var root yaml.Node
	err := yaml.Unmarshal(data, &root)
	if err != nil {
		return nil, &ConfigError{Problems: yamlerr.Problems(path, err)}
	}
	cfg := Defaults()
	if root.Kind == 0 || len(root.Content) == 0 {
		return cfg, nil // empty, or only comments
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return cfg, nil
	}
	if doc.Kind != yaml.MappingNode {
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("%s:%d: the top level must be a mapping of keys (such as \"image:\")", path, doc.Line)}}
	}
	problems := checkNodes(path, doc)
	problems = append(problems, checkText(path, doc)...)
	if len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	// Keys given replace the defaults; the two PDB settings exclude each
	// other, so a disruption section starts from nothing.
	if find(doc, "disruption") != nil {
		cfg.Disruption = Disruption{}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// A *yaml.TypeError (unknown key, wrong type) leaves the rest decoded:
	// validate that too, so every problem is reported at once.
	var decodeProblems []string
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, &ConfigError{Problems: yamlerr.Problems(path, err)}
		}
		decodeProblems = yamlerr.Problems(path, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			return nil, &ConfigError{Problems: yamlerr.Problems(path, err)}
		}
		return nil, &ConfigError{Problems: []string{fmt.Sprintf("%s:%d: only one YAML document is allowed", path, line)}}
	}
	if cfg.Disruption == (Disruption{}) {
		cfg.Disruption.MaxUnavailable = "1"
	}
	cfg.replicasSet = find(doc, "replicas") != nil
	if problems := append(decodeProblems, cfg.validate(nodeLines(path, doc))...); len(problems) > 0 {
		return nil, &ConfigError{Problems: problems}
	}
	return cfg, nil
}

// checkNodes refuses YAML features that make a file mean more than it
// shows: aliases and merge keys.
func checkNodes(path string, n *yaml.Node) []string {
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch {
		case n.Kind == yaml.AliasNode:
			out = append(out, fmt.Sprintf("%s:%d: aliases (*%s) are not allowed", path, n.Line, n.Value))
			return
		case n.Kind == yaml.ScalarNode && n.Tag == "!!merge":
			out = append(out, fmt.Sprintf("%s:%d: merge keys (<<) are not allowed", path, n.Line))
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(n)
	return out
}

// checkText refuses numbers and booleans where deploy.yaml wants a name
// (`namespace: 0`, `image: true`): yaml.v3 would turn them into text
// while the JSON Schema, like any JSON tool, sees a number.
func checkText(path string, doc *yaml.Node) []string {
	var out []string
	bad := func(n *yaml.Node, key string) {
		if n.Kind == yaml.ScalarNode && n.Tag != "!!str" && n.Tag != "!!null" {
			out = append(out, fmt.Sprintf("%s:%d: %s: %q must be a string; quote it", path, n.Line, key, n.Value))
		}
	}
	for _, key := range [][]string{{"image"}, {"namespace"}, {"service", "type"}} {
		if v := value(doc, key...); v != nil {
			bad(v, joinKeys(key))
			// "" would mean the default here but not to the JSON
			// Schema; it is usually a variable that expanded to nothing.
			if v.Kind == yaml.ScalarNode && v.Tag == "!!str" && v.Value == "" {
				out = append(out, fmt.Sprintf("%s:%d: %s: the value is empty; remove the key to use the default, or give a value", path, v.Line, joinKeys(key)))
			}
		}
	}
	if v := value(doc, "secretEnv"); v != nil && v.Kind == yaml.SequenceNode {
		for _, item := range v.Content {
			if item.Kind == yaml.ScalarNode && item.Tag == "!!null" {
				out = append(out, fmt.Sprintf("%s:%d: secretEnv: an empty entry; give a variable name (such as MGW_KM_PASSWORD) or remove the line", path, item.Line))
				continue
			}
			bad(item, "secretEnv")
		}
	}
	return out
}

// value returns the value node at path below mapping n, or nil.
func value(n *yaml.Node, path ...string) *yaml.Node {
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// find returns the key node at path below mapping n, or nil.
func find(n *yaml.Node, path ...string) *yaml.Node {
	var key *yaml.Node
	for _, p := range path {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == p {
				key, next = n.Content[i], n.Content[i+1]
			}
		}
		if next == nil {
			return nil
		}
		n = next
	}
	return key
}

// locator prefixes a problem with where its key is: "path:line: key: ".
type locator func(keys ...string) string

// nodeLines locates keys in the decoded document.
func nodeLines(path string, doc *yaml.Node) locator {
	return func(keys ...string) string {
		name := joinKeys(keys)
		for i := len(keys); i > 0; i-- {
			if k := find(doc, keys[:i]...); k != nil {
				return fmt.Sprintf("%s:%d: %s: ", path, k.Line, name)
			}
		}
		return fmt.Sprintf("%s: %s: ", path, name)
	}
}

// noLines locates keys of a Config built in code (no file behind it).
func noLines(keys ...string) string { return FileName + ": " + joinKeys(keys) + ": " }

func joinKeys(keys []string) string {
	var b bytes.Buffer
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(k)
	}
	return b.String()
}
