package apidef

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// schemaCompiler flattens kin-openapi schemas, which may share nodes and
// refer to themselves, into one table of gateway.Schema per API. A schema
// met again (a shared component, a recursive $ref) gets the index it
// already has, so recursion becomes a cycle of indices.
type schemaCompiler struct {
	schemas  []gateway.Schema
	index    map[*openapi3.Schema]int // 1-based index of compiled schemas
	problems []schemaProblem
}

// schemaProblem is one schema that cannot be compiled, with the JSON
// pointer of the schema in the document.
type schemaProblem struct {
	loc, msg string
}

func newSchemaCompiler() *schemaCompiler {
	return &schemaCompiler{index: map[*openapi3.Schema]int{}}
}

func (sc *schemaCompiler) bad(loc, format string, args ...any) {
	sc.problems = append(sc.problems, schemaProblem{loc: loc, msg: fmt.Sprintf(format, args...)})
}

// ref compiles a schema reference found at loc and returns its 1-based
// index, 0 for none. A $ref moves the location to its target, so problems
// name the schema where it is written.
func (sc *schemaCompiler) ref(sr *openapi3.SchemaRef, loc string) int {
	if sr == nil {
		return 0
	}
	if strings.HasPrefix(sr.Ref, "#") {
		loc = sr.Ref
	}
	v := sr.Value
	if v == nil {
		sc.bad(loc, "$ref %q cannot be resolved; define it or remove the reference", sr.Ref)
		return 0
	}
	if i, ok := sc.index[v]; ok {
		return i
	}
	sc.schemas = append(sc.schemas, gateway.Schema{})
	i := len(sc.schemas)
	sc.index[v] = i
	s := sc.compile(v, loc)
	sc.schemas[i-1] = s
	return i
}

// compile builds one schema; children are compiled through ref.
func (sc *schemaCompiler) compile(v *openapi3.Schema, loc string) gateway.Schema {
	var s gateway.Schema
	if v.Always != nil {
		if *v.Always {
			s.Empty, s.Nullable = true, true
		} else {
			s.False = true
		}
		return s
	}
	s.Empty = v.IsEmpty()
	if v.Type != nil && len(*v.Type) > 0 {
		s.Types = append([]string(nil), (*v.Type)...)
	}
	s.Nullable = v.Nullable
	s.Format = v.Format
	for i, e := range v.Enum {
		b, err := json.Marshal(e)
		if err != nil {
			sc.bad(loc+"/enum/"+fmt.Sprint(i), "enum value cannot be written as JSON: %v", err)
			continue
		}
		s.Enum = append(s.Enum, string(b))
	}
	num := func(kw string, p *float64) (float64, bool) {
		if p == nil {
			return 0, false
		}
		if math.IsNaN(*p) || math.IsInf(*p, 0) {
			sc.bad(loc+"/"+kw, "%s must be a finite number", kw)
			return 0, false
		}
		return *p, true
	}
	s.Minimum, s.HasMinimum = num("minimum", v.Min)
	s.Maximum, s.HasMaximum = num("maximum", v.Max)
	s.ExclusiveMinimum = v.ExclusiveMin.Bool != nil && *v.ExclusiveMin.Bool
	s.ExclusiveMaximum = v.ExclusiveMax.Bool != nil && *v.ExclusiveMax.Bool
	s.ExclusiveMinValue, s.HasExclusiveMinValue = num("exclusiveMinimum", v.ExclusiveMin.Value)
	s.ExclusiveMaxValue, s.HasExclusiveMaxValue = num("exclusiveMaximum", v.ExclusiveMax.Value)
	if m, ok := num("multipleOf", v.MultipleOf); ok {
		if m <= 0 {
			sc.bad(loc+"/multipleOf", "multipleOf must be greater than 0, found %g", m)
		}
		s.MultipleOf = m
	}
	s.MinLength = clampCount(v.MinLength)
	if v.MaxLength != nil {
		s.MaxLength, s.HasMaxLength = clampCount(*v.MaxLength), true
	}
	if v.Pattern != "" {
		if _, err := regexp.Compile(v.Pattern); err != nil {
			sc.bad(loc+"/pattern", "pattern %q is not a regular expression the gateway can run (Go RE2 syntax: no lookaround or backreferences): %v", v.Pattern, err)
		}
		s.Pattern = v.Pattern
	}
	s.Items = sc.ref(v.Items, loc+"/items")
	s.MinItems = clampCount(v.MinItems)
	if v.MaxItems != nil {
		s.MaxItems, s.HasMaxItems = clampCount(*v.MaxItems), true
	}
	s.UniqueItems = v.UniqueItems
	names := make([]string, 0, len(v.Properties))
	for name := range v.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		i := sc.ref(v.Properties[name], loc+"/properties/"+escapeToken(name))
		if i == 0 {
			continue
		}
		s.Properties = append(s.Properties, gateway.Property{Name: name, Schema: i})
	}
	s.Required = append([]string(nil), v.Required...)
	if len(s.Required) == 0 {
		s.Required = nil
	}
	ap := v.AdditionalProperties
	if ap.Has != nil && !*ap.Has {
		s.NoAdditional = true
	} else {
		s.Additional = sc.ref(ap.Schema, loc+"/additionalProperties")
	}
	s.MinProperties = clampCount(v.MinProps)
	if v.MaxProps != nil {
		s.MaxProperties, s.HasMaxProperties = clampCount(*v.MaxProps), true
	}
	s.AllOf = sc.refs(v.AllOf, loc+"/allOf")
	s.AnyOf = sc.refs(v.AnyOf, loc+"/anyOf")
	s.OneOf = sc.refs(v.OneOf, loc+"/oneOf")
	s.Not = sc.ref(v.Not, loc+"/not")
	return s
}

func (sc *schemaCompiler) refs(list openapi3.SchemaRefs, loc string) []int {
	var out []int
	for i, r := range list {
		if j := sc.ref(r, fmt.Sprintf("%s/%d", loc, i)); j != 0 {
			out = append(out, j)
		}
	}
	return out
}

// clampCount converts a count keyword to int64.
func clampCount(u uint64) int64 {
	if u > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(u)
}
