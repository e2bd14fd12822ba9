package gateway

import (
	"slices"
	"strings"
)

// How a parameter's text (or a piece of it) becomes a JSON value,
// decided at start from its schema, as kin-openapi's openapi3filter
// decides per request.
const (
	// vkString: the text as a string. Schemas without a type (and no
	// enum), with allOf/anyOf/oneOf/not or with several types are read
	// this way too (a documented difference, ARCHITECTURE.md).
	vkString uint8 = iota
	vkInteger
	vkInt32
	vkNumber
	vkBoolean
	vkEnum // no type but an enum: the enum's types in turn
	vkArray
	vkObject
	// vkComposite: allOf, anyOf or oneOf of primitive branches, decoded
	// branch by branch (paramCheck.branches).
	vkComposite
)

// Which keyword a vkComposite parameter decodes by, as openapi3filter
// looks: allOf, then anyOf, then oneOf.
const (
	combAll uint8 = iota
	combAny
	combOne
)

// Types of a typeless enum's values, in the order kin-openapi tries them.
const (
	emBoolean uint8 = 1 << iota
	emNumber
	emString
	emArray
	emObject
)

// valKind is how one value is decoded.
type valKind struct {
	kind uint8
	mask uint8 // emBoolean..., for vkEnum
}

// propCheck is a declared property of an object parameter.
type propCheck struct {
	name string
	vk   valKind
}

// paramCheck is one compiled parameter.
type paramCheck struct {
	name       string
	in         string
	style      string
	label      string // `query parameter "x"`, for descriptions
	required   bool
	allowEmpty bool
	explode    bool
	content    bool
	keepExtra  bool
	schema     int // 0-based, -1 any
	vk         valKind
	item       valKind // array items
	// itemsObject: a content parameter's items schema is exactly type
	// object (its text must be JSON); contentObject the same for the
	// schema itself; hasItems reports an items schema.
	itemsObject, contentObject, hasItems bool
	props                                []propCheck
	extra                                valKind // additionalProperties schema
	hasExtra                             bool
	comb                                 uint8     // combAll..., for vkComposite
	branches                             []valKind // for vkComposite
	// prefix and delim split a path value: "." and "," for label,
	// ";id=" and ";id=" for exploded matrix arrays.
	prefix, delim, valueDelim string
	// seg, segPrefix and segSuffix locate a path parameter: the text
	// between them in path segment seg of the resource template.
	seg                  int
	segPrefix, segSuffix string
}

// valueKind decides how a value of schema i is decoded.
func valueKind(set *schemaSet, i int) valKind {
	if i < 0 {
		return valKind{kind: vkString}
	}
	n := &set.nodes[i]
	if len(n.allOf)+len(n.anyOf)+len(n.oneOf) > 0 || n.not >= 0 {
		return valKind{kind: vkString}
	}
	if n.anyType {
		if n.enum == nil {
			return valKind{kind: vkString}
		}
		var mask uint8
		for e := range n.enum {
			switch e[0] {
			case 't', 'f':
				mask |= emBoolean
			case '"':
				mask |= emString
			case '[':
				mask |= emArray
			case '{':
				mask |= emObject
			case 'n':
			default:
				mask |= emNumber
			}
		}
		return valKind{kind: vkEnum, mask: mask}
	}
	switch n.types {
	case tInteger:
		if n.format == fmtInt32 {
			return valKind{kind: vkInt32}
		}
		return valKind{kind: vkInteger}
	case tNumber:
		return valKind{kind: vkNumber}
	case tBoolean:
		return valKind{kind: vkBoolean}
	case tArray:
		return valKind{kind: vkArray}
	case tObject:
		return valKind{kind: vkObject}
	}
	return valKind{kind: vkString}
}

// defaultStyle is the style of a parameter that names none.
func defaultStyle(in string) string {
	if in == ParamQuery || in == ParamCookie {
		return StyleForm
	}
	return StyleSimple
}

// styleProblem reports a style the location does not define, or one
// kin-openapi's openapi3filter cannot decode (it refuses every request
// then); "" when the rule is fine.
func styleProblem(r ParamRule) string {
	style := r.Style
	if style == "" {
		style = defaultStyle(r.In)
	}
	ok := false
	switch r.In {
	case ParamPath:
		ok = style == StyleSimple || style == StyleLabel || style == StyleMatrix
	case ParamQuery:
		ok = style == StyleForm || style == StyleSpaceDelimited || style == StylePipeDelimited || style == StyleDeepObject
	case ParamHeader:
		ok = style == StyleSimple
	case ParamCookie:
		ok = style == StyleForm
	}
	if !ok {
		return "style " + quoteName(style) + " is not defined for " + r.In + " parameters"
	}
	return ""
}

// newParamChecks compiles an operation's parameters; template is the
// resource path.
func newParamChecks(set *schemaSet, rules []ParamRule, template string) []paramCheck {
	segs := strings.Split(strings.TrimPrefix(template, "/"), "/")
	var out []paramCheck
	for _, r := range rules {
		pc := paramCheck{
			name: r.Name, in: r.In, style: r.Style, required: r.Required, allowEmpty: r.AllowEmpty,
			explode: r.Explode, content: r.Content, keepExtra: r.KeepExtra, schema: r.Schema - 1, seg: -1,
			label: r.In + " parameter " + quoteName(r.Name),
		}
		if pc.style == "" {
			pc.style = defaultStyle(r.In)
		}
		pc.vk = valueKind(set, pc.schema)
		if pc.schema >= 0 && !pc.content {
			pc.composite(set)
		}
		if pc.schema >= 0 {
			n := &set.nodes[pc.schema]
			pc.contentObject = !n.anyType && n.types == tObject
			if n.items >= 0 {
				pc.hasItems = true
				pc.item = valueKind(set, n.items)
				in := &set.nodes[n.items]
				pc.itemsObject = !in.anyType && in.types == tObject
			}
			if pc.vk.kind == vkObject {
				for name, j := range n.props {
					pc.props = append(pc.props, propCheck{name: name, vk: valueKind(set, n.propSchema[j])})
				}
				slices.SortFunc(pc.props, func(a, b propCheck) int { return strings.Compare(a.name, b.name) })
				if n.additional >= 0 && !n.noAdditional {
					pc.extra, pc.hasExtra = valueKind(set, n.additional), true
				}
			}
		}
		if r.In == ParamPath {
			for i, s := range segs {
				if k := strings.Index(s, "{"+r.Name+"}"); k >= 0 && strings.Count(s, "{") == 1 {
					pc.seg, pc.segPrefix, pc.segSuffix = i, s[:k], s[k+len(r.Name)+2:]
				}
			}
			if pc.seg < 0 {
				continue // not in the template: nothing to check
			}
		}
		pc.delims()
		out = append(out, pc)
	}
	return out
}

// composite makes a parameter whose schema combines primitive branches
// (allOf, anyOf or oneOf; no not) a vkComposite. Other combinations keep
// their kind: mgw build leaves them unchecked.
func (pc *paramCheck) composite(set *schemaSet) {
	n := &set.nodes[pc.schema]
	if n.not >= 0 {
		return
	}
	var refs []int
	switch {
	case len(n.allOf) > 0:
		pc.comb, refs = combAll, n.allOf
	case len(n.anyOf) > 0:
		pc.comb, refs = combAny, n.anyOf
	case len(n.oneOf) > 0:
		pc.comb, refs = combOne, n.oneOf
	default:
		return
	}
	var branches []valKind
	for _, r := range refs {
		b := &set.nodes[r]
		if len(b.allOf)+len(b.anyOf)+len(b.oneOf) > 0 || b.not >= 0 || (b.anyType && b.enum == nil) {
			return
		}
		vk := valueKind(set, r)
		if vk.kind == vkArray || vk.kind == vkObject || (vk.kind == vkString && !b.anyType && b.types != tString) {
			return
		}
		branches = append(branches, vk)
	}
	pc.vk, pc.branches = valKind{kind: vkComposite}, branches
}

// delims sets the separators of the parameter's style.
func (pc *paramCheck) delims() {
	pc.delim, pc.valueDelim = ",", ","
	switch pc.style {
	case StyleLabel:
		pc.prefix = "."
		if pc.explode {
			pc.delim = "."
			pc.valueDelim = "="
		}
	case StyleMatrix:
		pc.prefix = ";" + pc.name + "="
		if pc.explode {
			if pc.vk.kind == vkObject {
				pc.prefix, pc.delim, pc.valueDelim = ";", ";", "="
			} else {
				pc.delim = pc.prefix
			}
		}
	case StyleSpaceDelimited:
		pc.delim, pc.valueDelim = " ", " "
	case StylePipeDelimited:
		pc.delim, pc.valueDelim = "|", "|"
	case StyleSimple:
		if pc.explode {
			pc.valueDelim = "="
		}
	}
}

func quoteName(s string) string { return `"` + s + `"` }
