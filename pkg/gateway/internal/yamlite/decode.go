package yamlite

import (
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ScalarUnmarshaler is implemented by types that decode themselves from
// the text of a scalar (for example byte sizes such as "10MiB").
type ScalarUnmarshaler interface {
	UnmarshalScalar(text string) error
}

// Problem is one decoding error: where it is and what is wrong.
type Problem struct {
	// Line is the input line, 0 when the value did not come from a file.
	Line int
	// Path is the dotted key path, e.g. `apis."Pets/1.0".production.urls`.
	Path string
	// Msg says what is wrong and how to fix it.
	Msg string
}

// String formats the problem as "line N: path: msg".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Decoder decodes nodes into Go values strictly: unknown keys, wrong types
// and out-of-range numbers are problems.
//
// Struct fields are matched by their `yaml:"name"` tag; fields without one
// are never decoded. A field tagged `restricted:"reason"` is refused (with
// the reason as the message, and without echoing the value) unless
// AllowRestricted is set; configuration files use this to keep secrets out.
type Decoder struct {
	// AllowRestricted lets values reach fields tagged restricted.
	AllowRestricted bool
	// OnSet, when set, is called with the path and line of every value
	// stored.
	OnSet func(path string, line int)

	problems []Problem
}

// Decode stores n into the value v points to and returns every problem
// found (nil when there are none). Values not mentioned in n are left as
// they are, so several documents can be layered onto one value.
func (d *Decoder) Decode(n *Node, v any) []Problem {
	d.problems = nil
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return []Problem{{Msg: "internal error: Decode needs a non-nil pointer"}}
	}
	d.value(n, rv.Elem(), "")
	return d.problems
}

func (d *Decoder) fail(n *Node, path, format string, args ...any) {
	d.problems = append(d.problems, Problem{Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *Decoder) set(path string, n *Node) {
	if d.OnSet != nil {
		d.OnSet(path, n.Line)
	}
}

var durationType = reflect.TypeFor[time.Duration]()
var scalarUnmarshalerType = reflect.TypeFor[ScalarUnmarshaler]()

func (d *Decoder) value(n *Node, v reflect.Value, path string) {
	if n.Kind == Null {
		return
	}
	if v.CanAddr() && v.Addr().Type().Implements(scalarUnmarshalerType) {
		if n.Kind != Scalar {
			d.fail(n, path, "expected a single value, got a %s", n.Kind)
			return
		}
		if err := v.Addr().Interface().(ScalarUnmarshaler).UnmarshalScalar(n.Value); err != nil {
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
		if n.Kind != Scalar {
			d.fail(n, path, "expected a string, got a %s", n.Kind)
			return
		}
		v.SetString(n.Value)
		d.set(path, n)
	case reflect.Bool:
		if n.Kind != Scalar {
			d.fail(n, path, "expected true or false, got a %s", n.Kind)
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
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if n.Kind != Scalar {
			d.fail(n, path, "expected an integer, got a %s", n.Kind)
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
	default:
		d.fail(n, path, "internal error: cannot decode into %s", v.Type())
	}
}

func (d *Decoder) duration(n *Node, v reflect.Value, path string) {
	if n.Kind != Scalar {
		d.fail(n, path, "expected a duration such as 30s or 1m30s, got a %s", n.Kind)
		return
	}
	dur, err := time.ParseDuration(n.Value)
	if err != nil {
		if n.Value == "0" {
			dur = 0
		} else {
			d.fail(n, path, "expected a duration such as 500ms, 30s or 1m30s, got %q", clip(n.Value))
			return
		}
	}
	v.SetInt(int64(dur))
	d.set(path, n)
}

func (d *Decoder) structure(n *Node, v reflect.Value, path string) {
	if n.Kind != Mapping {
		d.fail(n, path, "expected a mapping of keys, got a %s", n.Kind)
		return
	}
	t := v.Type()
	fields := map[string]int{}
	for i := 0; i < t.NumField(); i++ {
		if name, ok := yamlName(t.Field(i)); ok {
			fields[name] = i
		}
	}
	for _, p := range n.Pairs {
		key := p.Key.Value
		kp := JoinPath(path, key)
		i, ok := fields[key]
		if !ok {
			d.fail(p.Key, kp, "unknown key%s", suggest(key, fields))
			continue
		}
		f := t.Field(i)
		if reason, ok := f.Tag.Lookup("restricted"); ok && !d.AllowRestricted {
			if p.Value.Kind != Null {
				d.fail(p.Key, kp, "%s", reason)
			}
			continue
		}
		d.value(p.Value, v.Field(i), kp)
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

func (d *Decoder) mapping(n *Node, v reflect.Value, path string) {
	if n.Kind != Mapping {
		d.fail(n, path, "expected a mapping, got a %s", n.Kind)
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
	for _, p := range n.Pairs {
		k := reflect.ValueOf(p.Key.Value).Convert(t.Key())
		elem := reflect.New(t.Elem()).Elem()
		if old := v.MapIndex(k); old.IsValid() {
			elem.Set(old)
		}
		d.value(p.Value, elem, JoinPath(path, p.Key.Value))
		v.SetMapIndex(k, elem)
	}
}

func (d *Decoder) sequence(n *Node, v reflect.Value, path string) {
	if n.Kind != Sequence {
		d.fail(n, path, "expected a list such as [a, b] or lines starting with \"- \", got a %s", n.Kind)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Items), len(n.Items))
	for i, it := range n.Items {
		if it.Kind == Null {
			d.fail(it, fmt.Sprintf("%s[%d]", path, i), "empty list item")
			continue
		}
		d.value(it, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
	d.set(path, n)
}

// JoinPath appends key to a dotted path, quoting keys that are not plain
// identifiers.
func JoinPath(path, key string) string {
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
		if dist := distance(strings.ToLower(key), k); dist < bestD {
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

// distance is the Levenshtein edit distance of two short strings.
func distance(a, b string) int {
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

// Nest wraps leaf in mappings so that it sits at the given key path; it
// lets a single value (say, from an environment variable) be decoded with
// the same rules as a file.
func Nest(path []string, leaf *Node) *Node {
	n := leaf
	for i := len(path) - 1; i >= 0; i-- {
		n = &Node{Kind: Mapping, Line: leaf.Line, Pairs: []Pair{{
			Key:   &Node{Kind: Scalar, Line: leaf.Line, Value: path[i]},
			Value: n,
		}}}
	}
	return n
}
