package gateway

import (
	"fmt"
	"math"
	"regexp"
	"slices"
)

// Type bits of a compiled schema.
const (
	tNull uint8 = 1 << iota
	tBoolean
	tInteger
	tNumber
	tString
	tArray
	tObject
)

var typeBits = map[string]uint8{
	"null": tNull, "boolean": tBoolean, "integer": tInteger, "number": tNumber,
	"string": tString, "array": tArray, "object": tObject,
}

// Formats the validator checks; others are accepted unchecked, as
// kin-openapi does with formats it does not know.
const (
	fmtNone uint8 = iota
	fmtDate
	fmtDateTime
	fmtByte
	fmtEmail
	fmtUUID
	fmtIPv4
	fmtIPv6
	fmtURI
	fmtInt32
	fmtInt64
)

var formatKinds = map[string]uint8{
	"date": fmtDate, "date-time": fmtDateTime, "byte": fmtByte, "email": fmtEmail,
	"uuid": fmtUUID, "ipv4": fmtIPv4, "ipv6": fmtIPv6, "uri": fmtURI,
	"int32": fmtInt32, "int64": fmtInt64,
}

// schemaSet is an API's schemas ready to validate with: indices are
// 0-based here, -1 meaning none.
type schemaSet struct {
	nodes []node
}

// node is one compiled schema.
type node struct {
	empty, never bool
	anyType      bool  // no type keyword: every type permitted
	types        uint8 // permitted types when !anyType
	nullable     bool
	format       uint8
	formatName   string
	enum         map[string]struct{} // canonical JSON texts; nil: no enum

	min, max, exclMinV, exclMaxV     float64
	hasMin, hasMax, exclMin, exclMax bool
	hasExclMinV, hasExclMaxV         bool
	multipleOf                       float64

	minLength, maxLength int64
	hasMaxLength         bool
	pattern              *regexp.Regexp
	patternText          string

	items              int
	minItems, maxItems int64
	hasMaxItems, uniq  bool

	props        map[string]int // property name → index in propSchema
	propTab      *propTable     // the same, faster; nil: use props
	propSchema   []int
	propReq      []int // property index → required bit, -1 if optional
	required     []string
	reqBit       map[string]int // required name → bit
	noAdditional bool
	additional   int
	minProps     int64
	maxProps     int64
	hasMaxProps  bool

	allOf, anyOf, oneOf []int
	not                 int
}

// permits reports whether the schema's type keyword allows type bit t.
func (n *node) permits(t uint8) bool { return n.anyType || n.types&t != 0 }

// permitsNull reports whether null is allowed (nullable or type null).
func (n *node) permitsNull() bool { return n.nullable || (!n.anyType && n.types&tNull != 0) }

// compileSchemas turns an API's compiled-in schemas into a schemaSet:
// regular expressions compiled, enum values canonicalised, references
// checked. Every problem is reported, each naming the schema's index.
func compileSchemas(in []Schema) (*schemaSet, []string) {
	set := &schemaSet{nodes: make([]node, len(in))}
	var problems []string
	ref := func(i int, what string, r int) int {
		if r < 0 || r > len(in) {
			problems = append(problems, fmt.Sprintf("schema %d: %s refers to schema %d of %d", i+1, what, r, len(in)))
			return -1
		}
		return r - 1
	}
	refs := func(i int, what string, rs []int) []int {
		if len(rs) == 0 {
			return nil
		}
		out := make([]int, len(rs))
		for j, r := range rs {
			out[j] = ref(i, what, r)
			if out[j] < 0 {
				out[j] = 0 // keep the slot valid; the problem fails New anyway
			}
		}
		return out
	}
	for i := range in {
		s, n := &in[i], &set.nodes[i]
		n.empty, n.never, n.nullable = s.Empty, s.False, s.Nullable
		n.anyType = s.Types == nil
		for _, t := range s.Types {
			b, ok := typeBits[t]
			if !ok {
				problems = append(problems, fmt.Sprintf("schema %d: unknown type %q", i+1, t))
			}
			n.types |= b
		}
		n.formatName = s.Format
		n.format = formatKinds[s.Format]
		for _, f := range []float64{s.Minimum, s.Maximum, s.ExclusiveMinValue, s.ExclusiveMaxValue, s.MultipleOf} {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				problems = append(problems, fmt.Sprintf("schema %d: a bound is not a finite number", i+1))
			}
		}
		n.min, n.hasMin, n.max, n.hasMax = s.Minimum, s.HasMinimum, s.Maximum, s.HasMaximum
		n.exclMin, n.exclMax = s.ExclusiveMinimum, s.ExclusiveMaximum
		n.exclMinV, n.hasExclMinV, n.exclMaxV, n.hasExclMaxV = s.ExclusiveMinValue, s.HasExclusiveMinValue, s.ExclusiveMaxValue, s.HasExclusiveMaxValue
		n.multipleOf = s.MultipleOf
		n.minLength, n.maxLength, n.hasMaxLength = s.MinLength, s.MaxLength, s.HasMaxLength
		if s.Pattern != "" {
			re, err := regexp.Compile(s.Pattern)
			if err != nil {
				problems = append(problems, fmt.Sprintf("schema %d: pattern %q: %v", i+1, s.Pattern, err))
			}
			n.pattern, n.patternText = re, s.Pattern
		}
		if len(s.Enum) > 0 {
			n.enum = make(map[string]struct{}, len(s.Enum))
			for _, e := range s.Enum {
				c, err := canonicalJSON([]byte(e))
				if err != nil {
					problems = append(problems, fmt.Sprintf("schema %d: enum value %q is not JSON: %v", i+1, e, err))
					continue
				}
				n.enum[string(c)] = struct{}{}
			}
		}
		n.items = ref(i, "items", s.Items)
		n.minItems, n.maxItems, n.hasMaxItems, n.uniq = s.MinItems, s.MaxItems, s.HasMaxItems, s.UniqueItems
		if len(s.Properties) > 0 {
			n.props = make(map[string]int, len(s.Properties))
			for j, p := range s.Properties {
				n.props[p.Name] = j
				r := ref(i, "property "+p.Name, p.Schema)
				if p.Schema == 0 {
					problems = append(problems, fmt.Sprintf("schema %d: property %q has no schema", i+1, p.Name))
				}
				n.propSchema = append(n.propSchema, r)
				n.propReq = append(n.propReq, -1)
			}
			names := make([]string, len(s.Properties))
			for j, p := range s.Properties {
				names[j] = p.Name
			}
			n.propTab = newPropTable(names)
		}
		if len(s.Required) > 0 {
			n.required = slices.Clone(s.Required)
			n.reqBit = make(map[string]int, len(s.Required))
			for _, name := range s.Required {
				if _, dup := n.reqBit[name]; dup {
					continue
				}
				bit := len(n.reqBit)
				n.reqBit[name] = bit
				if j, ok := n.props[name]; ok {
					n.propReq[j] = bit
				}
			}
		}
		n.noAdditional = s.NoAdditional
		n.additional = ref(i, "additionalProperties", s.Additional)
		n.minProps, n.maxProps, n.hasMaxProps = s.MinProperties, s.MaxProperties, s.HasMaxProperties
		n.allOf = refs(i, "allOf", s.AllOf)
		n.anyOf = refs(i, "anyOf", s.AnyOf)
		n.oneOf = refs(i, "oneOf", s.OneOf)
		n.not = ref(i, "not", s.Not)
	}
	return set, problems
}

// schemaProblems checks that an API's schemas compile and that its
// resources' validation rules refer to schemas that exist.
func schemaProblems(a *API) []string {
	if len(a.Schemas) == 0 && !hasValidation(a) {
		return nil
	}
	_, problems := compileSchemas(a.Schemas)
	n := len(a.Schemas)
	bad := func(r *Resource, what string, i int) {
		if i < 0 || i > n {
			problems = append(problems, fmt.Sprintf("resource %s %s: %s refers to schema %d of %d", r.Method, r.Path, what, i, n))
		}
	}
	for j := range a.Resources {
		r := &a.Resources[j]
		if r.Validation == nil {
			continue
		}
		for _, p := range r.Validation.Params {
			bad(r, "parameter "+p.Name, p.Schema)
			switch p.In {
			case ParamPath, ParamQuery, ParamHeader, ParamCookie:
				if msg := styleProblem(p); msg != "" {
					problems = append(problems, fmt.Sprintf("resource %s %s: parameter %s: %s", r.Method, r.Path, p.Name, msg))
				}
			default:
				problems = append(problems, fmt.Sprintf("resource %s %s: parameter %s: unknown location %q", r.Method, r.Path, p.Name, p.In))
			}
		}
		if b := r.Validation.Body; b != nil {
			bad(r, "request body", b.JSON)
		}
		for _, rr := range r.Validation.Responses {
			bad(r, "response "+rr.Status, rr.JSON)
		}
	}
	for i := range problems {
		problems[i] = fmt.Sprintf("API %s/%s: %s", a.Name, a.Version, problems[i])
	}
	return problems
}

func hasValidation(a *API) bool {
	for i := range a.Resources {
		if a.Resources[i].Validation != nil {
			return true
		}
	}
	return false
}
