// Package yamlite parses the small subset of YAML that gateway configuration
// files use, and decodes it strictly into Go structs.
//
// Supported: block mappings, block sequences, flow sequences ([a, b]), the
// empty flow mapping {}, plain, single- and double-quoted scalars (with the
// YAML escapes), literal (|) and folded (>) block scalars, comments and a
// leading "---". Anchors, aliases, tags, directives, complex keys, non-empty
// flow mappings and multiple documents are rejected with an error that says
// so. Every node remembers its line, so errors can point at the input.
//
// The package imports only the standard library: it is compiled into every
// gateway.
package yamlite

import "fmt"

// Kind is the kind of a Node.
type Kind uint8

// Node kinds.
const (
	// Null is an absent value: "key:" with nothing after it, "~" or "null".
	Null Kind = iota
	// Scalar is a single value; Node.Value holds its text.
	Scalar
	// Mapping is a set of key: value pairs; Node.Pairs holds them in order.
	Mapping
	// Sequence is a list; Node.Items holds its elements.
	Sequence
)

// String names the kind for error messages.
func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Scalar:
		return "scalar"
	case Mapping:
		return "mapping"
	case Sequence:
		return "sequence"
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Node is one value of a parsed document.
type Node struct {
	Kind Kind
	// Line is the 1-based line the value starts on.
	Line int
	// Value is the text of a Scalar.
	Value string
	// Quoted reports a quoted or block scalar, whose text is never
	// resolved to null.
	Quoted bool
	// Pairs are the entries of a Mapping, in input order.
	Pairs []Pair
	// Items are the elements of a Sequence.
	Items []*Node
}

// Pair is one entry of a mapping.
type Pair struct {
	Key   *Node
	Value *Node
}

// SyntaxError is a parse error at a line of the input.
type SyntaxError struct {
	Line int
	Msg  string
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}
