package gateway

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// scalarUnmarshaler is implemented by config types that decode themselves
// from the text of a scalar (ByteSize: "10MiB").
type scalarUnmarshaler interface {
	UnmarshalScalar(text string) error
}

// decodeProblem is one decoding error: where it is and what is wrong.
type decodeProblem struct {
	Line int    // input line, 0 when the value did not come from a file
	Path string // dotted key path, e.g. `apis."Pets/1.0".production.urls`
	Msg  string // what is wrong and how to fix it
}

// maxDecodeNodes bounds the work of one document: aliases can make a small
// file expand into a large one.
const maxDecodeNodes = 100_000

// configDecoder stores YAML nodes (from yaml.v3) into config structs
// strictly: unknown keys, duplicate keys, wrong types and out-of-range
// numbers are problems, values are never guessed (version: 1.0 is the
// text "1.0"; booleans are true and false only).
//
// Struct fields are matched by their `yaml:"name"` tag; fields without one
// are never decoded. A field tagged `restricted:"reason"` is refused (with
// the reason as the message, never the value) unless allowRestricted is
// set: configuration files cannot hold secrets.
type configDecoder struct {
	allowRestricted bool
	// onSet, when set, is called with the path and line of every value
	// stored.
	onSet func(path string, line int)

	problems []decodeProblem
	budget   int                 // nodes left to decode (aliases repeat nodes)
	merging  map[*yaml.Node]bool // mappings whose merge keys are being expanded
}

// decode stores n into the value v points to and returns every problem.
// Values not mentioned in n are left as they are, so documents layer.
func (d *configDecoder) decode(n *yaml.Node, v any) []decodeProblem {
	d.problems, d.budget, d.merging = nil, maxDecodeNodes, map[*yaml.Node]bool{}
	d.value(n, reflect.ValueOf(v).Elem(), "")
	return d.problems
}

func (d *configDecoder) fail(n *yaml.Node, path, format string, args ...any) {
	d.problems = append(d.problems, decodeProblem{Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *configDecoder) set(path string, n *yaml.Node) {
	if d.onSet != nil {
		d.onSet(path, n.Line)
	}
}

// kindName names a node's kind in messages.
func kindName(n *yaml.Node) string {
	switch {
	case isNull(n):
		return "null"
	case n.Kind == yaml.MappingNode:
		return "mapping"
	case n.Kind == yaml.SequenceNode:
		return "sequence"
	}
	return "scalar"
}

// isNull reports an absent value: "key:" with nothing after it, ~ or null
// (quoted "null" is text).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// knownTags are the tags a value may carry explicitly (say, !!str 0755).
var knownTags = map[string]bool{"!!str": true, "!!int": true, "!!bool": true, "!!float": true, "!!null": true, "!!map": true, "!!seq": true, "!!merge": true}

var durationType = reflect.TypeFor[time.Duration]()
var scalarUnmarshalerType = reflect.TypeFor[scalarUnmarshaler]()

// spend counts one node against the budget and reports false (with one
// problem, the first time) when it is exhausted.
func (d *configDecoder) spend(n *yaml.Node, path string) bool {
	if d.budget--; d.budget < 0 {
		if d.budget == -1 {
			d.fail(n, path, "the document is too large once its aliases are expanded")
		}
		return false
	}
	return true
}

func (d *configDecoder) value(n *yaml.Node, v reflect.Value, path string) {
	if !d.spend(n, path) {
		return
	}
	if n.Kind == yaml.AliasNode {
		d.value(n.Alias, v, path)
		return
	}
	if n.Style&yaml.TaggedStyle != 0 && !knownTags[n.ShortTag()] {
		d.fail(n, path, "the tag %s is not supported", clip(n.Tag))
		return
	}
	if isNull(n) {
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(scalarUnmarshalerType) {
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "expected a single value, got a %s", kindName(n))
			return
		}
		if err := v.Addr().Interface().(scalarUnmarshaler).UnmarshalScalar(n.Value); err != nil {
			d.fail(n, path, "%v", err)
			return
		}
		d.set(path, n)
		return
	}
	if v.Type() == durationType {
		d.duration(n, v, path)
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.structure(n, v, path)
	case reflect.Map:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.value(n, v.Elem(), path)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.fail(n, path, "expected a string, got a %s", kindName(n))
			return
		}
		v.SetString(n.Value)
		d.set(path, n)
	case reflect.Bool:
		d.boolean(n, v, path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		d.integer(n, v, path)
	default:
		d.fail(n, path, "internal error: cannot decode into %s", v.Type())
	}
}

func (d *configDecoder) boolean(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "expected true or false, got a %s", kindName(n))
		return
	}
	switch n.Value {
	case "true", "True", "TRUE":
		v.SetBool(true)
	case "false", "False", "FALSE":
		v.SetBool(false)
	default:
		d.fail(n, path, "expected true or false, got %q", clip(n.Value))
		return
	}
	d.set(path, n)
}

func (d *configDecoder) integer(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "expected an integer, got a %s", kindName(n))
		return
	}
	i, err := strconv.ParseInt(n.Value, 10, v.Type().Bits())
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			d.fail(n, path, "%s is out of range", clip(n.Value))
		} else {
			d.fail(n, path, "expected an integer, got %q", clip(n.Value))
		}
		return
	}
	v.SetInt(i)
	d.set(path, n)
}

func (d *configDecoder) duration(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.ScalarNode {
		d.fail(n, path, "expected a duration such as 30s or 1m30s, got a %s", kindName(n))
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		if n.Value != "0" {
			d.fail(n, path, "expected a duration such as 500ms, 30s or 1m30s, got %q", clip(n.Value))
			return
		}
		dur = 0
	}
	v.SetInt(int64(dur))
	d.set(path, n)
}

// pair is one key and value of a mapping, after merge keys.
type pair struct{ key, value *yaml.Node }

// pairs returns the entries of a mapping node with merge keys (<<: *base)
// expanded: merged entries first, so the mapping's own keys win. A key
// that appears twice in the mapping itself is a problem.
func (d *configDecoder) pairs(n *yaml.Node, path string) []pair {
	var merged, own []pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merged = append(merged, d.merge(val, path)...)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, path, "keys must be single values, not a %s", kindName(k))
			continue
		}
		if seen[k.Value] {
			d.fail(k, joinPath(path, k.Value), "the key appears twice in this mapping")
			continue
		}
		seen[k.Value] = true
		own = append(own, pair{k, val})
	}
	return append(merged, own...)
}

// merge returns the entries a merge key brings in: one mapping or a list
// of them (usually aliases).
func (d *configDecoder) merge(n *yaml.Node, path string) []pair {
	for n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if !d.spend(n, path) {
		return nil
	}
	if d.merging[n] {
		d.fail(n, path, "a mapping cannot merge itself (<<)")
		return nil
	}
	d.merging[n] = true
	defer delete(d.merging, n)
	switch n.Kind {
	case yaml.MappingNode:
		return d.pairs(n, path)
	case yaml.SequenceNode:
		var out []pair
		for _, it := range n.Content {
			out = append(out, d.merge(it, path)...)
		}
		return out
	}
	d.fail(n, path, "a merge key (<<) takes a mapping or a list of mappings, got a %s", kindName(n))
	return nil
}

func (d *configDecoder) structure(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping of keys, got a %s", kindName(n))
		return
	}
	t := v.Type()
	fields := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		if name, ok := yamlName(t.Field(i)); ok {
			fields[name] = i
		}
	}
	for _, p := range d.pairs(n, path) {
		key := p.key.Value
		kp := joinPath(path, key)
		i, ok := fields[key]
		if !ok {
			d.fail(p.key, kp, "unknown key%s", suggest(key, fields))
			continue
		}
		f := t.Field(i)
		if reason, ok := f.Tag.Lookup("restricted"); ok && !d.allowRestricted {
			if !isNull(p.value) {
				d.fail(p.key, kp, "%s", reason)
			}
			continue
		}
		d.value(p.value, v.Field(i), kp)
	}
}

func yamlName(f reflect.StructField) (string, bool) {
	tag, ok := f.Tag.Lookup("yaml")
	if !ok || !f.IsExported() {
		return "", false
	}
	name, _, _ := strings.Cut(tag, ",")
	if name == "" || name == "-" {
		return "", false
	}
	return name, true
}

func (d *configDecoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, "expected a mapping, got a %s", kindName(n))
		return
	}
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		d.fail(n, path, "internal error: map keys must be strings")
		return
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	for _, p := range d.pairs(n, path) {
		k := reflect.ValueOf(p.key.Value).Convert(t.Key())
		elem := reflect.New(t.Elem()).Elem()
		if old := v.MapIndex(k); old.IsValid() {
			elem.Set(old)
		}
		d.value(p.value, elem, joinPath(path, p.key.Value))
		v.SetMapIndex(k, elem)
	}
}

func (d *configDecoder) sequence(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.SequenceNode {
		d.fail(n, path, "expected a list such as [a, b] or lines starting with \"- \", got a %s", kindName(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, it := range n.Content {
		ip := fmt.Sprintf("%s[%d]", path, i)
		if isNull(it) {
			d.fail(it, ip, "empty list item")
			continue
		}
		d.value(it, s.Index(i), ip)
	}
	v.Set(s)
	d.set(path, n)
}

// joinPath appends key to a dotted path, quoting keys that are not plain
// identifiers.
func joinPath(path, key string) string {
	plain := key != ""
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			plain = false
			break
		}
	}
	if !plain {
		key = strconv.Quote(key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// suggest names the closest valid key, or lists them all.
func suggest(key string, fields map[string]int) string {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	best, bestD := "", 3
	for _, k := range names {
		if dist := editDistance(strings.ToLower(key), k); dist < bestD {
			best, bestD = k, dist
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	if len(names) == 0 {
		return " (no keys are allowed here)"
	}
	return "; valid keys are " + strings.Join(names, ", ")
}

// editDistance is the Levenshtein distance of two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nest wraps leaf in mappings so that it sits at the given key path; a
// single value (from an environment variable) is then decoded with the
// rules of a file.
func nest(path []string, leaf *yaml.Node) *yaml.Node {
	n := leaf
	for i := len(path) - 1; i >= 0; i-- {
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: path[i]}
		n = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{key, n}}
	}
	return n
}
