package gateway

import (
	"net/http"
	"strings"
)

// objectValue decodes an object: name/value pairs as the style lays them
// out, then the declared properties (and additionalProperties) as
// kin-openapi's openapi3filter builds the object.
func (pc *paramCheck) objectValue(st *validationState, r *http.Request, path, query string, b []byte) ([]byte, paramValue) {
	pairs := st.pairs[:0]
	defer func() { st.pairs = pairs[:0] }()
	firstWins, isQuery := false, pc.in == ParamQuery
	var ok bool
	switch pc.in {
	case ParamPath:
		if path == "" {
			return b, paramValue{isNil: true}
		}
		rest, msg := pc.cutPrefix(path)
		if msg != "" {
			return b, paramValue{found: true, msg: msg}
		}
		if pairs, ok = appendPairs(pairs, rest, pc.delim, pc.valueDelim); !ok {
			return b, pc.badPairs()
		}
	case ParamHeader:
		vals := r.Header[pc.name]
		if len(vals) == 0 {
			return b, paramValue{isNil: true}
		}
		src := vals[0]
		if len(vals) > 1 {
			src = strings.Join(vals, ",")
		}
		if pairs, ok = appendPairs(pairs, src, ",", pc.valueDelim); !ok {
			return b, pc.badPairs()
		}
	case ParamCookie:
		if pc.explode {
			return b, paramValue{msg: pc.styleError()}
		}
		c, err := r.Cookie(pc.name)
		if err != nil {
			return b, paramValue{isNil: true}
		}
		if pairs, ok = appendPairs(pairs, c.Value, ",", ","); !ok {
			return b, pc.badPairs()
		}
	case ParamQuery:
		switch {
		case pc.style == StyleForm && pc.explode, pc.style == StyleDeepObject:
			var msg string
			pairs, msg = queryObjectPairs(pairs, query, pc)
			if msg != "" {
				return b, paramValue{found: true, msg: msg}
			}
			firstWins = pc.style == StyleForm
		case pc.explode: // spaceDelimited or pipeDelimited
			if queryHasPairs(query) {
				return b, paramValue{msg: pc.styleError()}
			}
		default:
			st.vals = queryValues(st.vals[:0], query, pc.name)
			if len(st.vals) > 0 {
				if pairs, ok = appendPairs(pairs, st.vals[0], pc.delim, pc.delim); !ok {
					return b, pc.badPairs()
				}
			}
		}
		if len(pairs) == 0 {
			return b, paramValue{isNil: true}
		}
	}
	for _, p := range pairs {
		if strings.IndexByte(p.val, 0x1f) >= 0 || strings.IndexByte(p.key, 0x1f) >= 0 {
			return b, paramValue{found: true, msg: "U+001F is not allowed in object parameters"}
		}
	}
	idx := pairIndex{pairs: pairs, first: firstWins}
	b = append(b, '{')
	n, extras, declared := 0, 0, false
	for _, p := range pc.props {
		i := idx.lookup(p.name)
		if i < 0 {
			continue
		}
		declared = true
		pr := pairs[i]
		if pr.sub || p.vk.kind == vkArray || p.vk.kind == vkObject {
			return b, paramValue{found: true, msg: "property " + quoteName(p.name) + ": nested arrays and objects are not supported in parameters"}
		}
		mark := len(b)
		b = appendMember(b, n, p.name)
		out, isNil, msg := appendPrim(b, p.vk, pr.val)
		switch {
		case msg != "":
			return b[:mark], paramValue{found: true, msg: "property " + quoteName(p.name) + ": " + msg}
		case isNil && pc.keepExtra:
			b = appendCanonString(b, pr.val) // kept as text, as additionalProperties: true keeps it
		case isNil:
			b = b[:mark]
			continue
		default:
			b = out
		}
		n++
	}
	for i, pr := range pairs {
		if pc.isDeclared(pr.key) || idx.lookup(pr.key) != i {
			continue
		}
		switch {
		case pc.keepExtra:
			b = appendMember(b, n, pr.key)
			if pr.sub {
				b = append(b, "{}"...)
			} else {
				b = appendCanonString(b, pr.val)
			}
		case pc.hasExtra:
			if pr.sub {
				return b, paramValue{found: true, msg: "property " + quoteName(pr.key) + ": nested arrays and objects are not supported in parameters"}
			}
			if pr.key == "" {
				// openapi3filter reads an empty name as the object itself.
				return b, paramValue{found: true, msg: "a property name cannot be empty"}
			}
			mark := len(b)
			b = appendMember(b, n, pr.key)
			out, isNil, msg := appendPrim(b, pc.extra, pr.val)
			if msg != "" {
				return b[:mark], paramValue{found: true, msg: "property " + quoteName(pr.key) + ": " + msg}
			}
			if isNil {
				b = b[:mark]
				continue
			}
			b = out
		default:
			continue
		}
		n++
		extras++
	}
	b = append(b, '}')
	pv := paramValue{found: true}
	if isQuery {
		// openapi3filter's rule: a query object is found when a declared
		// property is named, or a named one made it into the object.
		pv.found = (pc.style == StyleDeepObject && (pc.keepExtra || pc.hasExtra)) ||
			(len(pc.props) > 0 && (declared || extras > 0))
	}
	return b, pv
}

// badPairs describes text that is not a list of pairs.
func (pc *paramCheck) badPairs() paramValue {
	return paramValue{found: true, msg: "a value must be a list of object properties as name" + pc.valueDelim + "value separated by " + quoteName(pc.delim)}
}

// appendMember appends a member name (after a comma unless it is the
// first of n).
func appendMember(b []byte, n int, name string) []byte {
	if n > 0 {
		b = append(b, ',')
	}
	b = appendCanonString(b, name)
	return append(b, ':')
}

// isDeclared reports a declared property name (props are sorted).
func (pc *paramCheck) isDeclared(name string) bool {
	lo, hi := 0, len(pc.props)
	for lo < hi {
		m := (lo + hi) / 2
		switch c := strings.Compare(pc.props[m].name, name); {
		case c == 0:
			return true
		case c < 0:
			lo = m + 1
		default:
			hi = m
		}
	}
	return false
}

// pairIndex finds the pair that counts for a name: the first (exploded
// form: url.Values' first value) or the last (a map filled in order).
// With many pairs it builds a map once, so a hostile query stays linear.
type pairIndex struct {
	pairs []paramPair
	first bool
	m     map[string]int
}

const pairIndexScan = 32

func (x *pairIndex) lookup(key string) int {
	if len(x.pairs) <= pairIndexScan {
		found := -1
		for i, p := range x.pairs {
			if p.key == key {
				found = i
				if x.first {
					break
				}
			}
		}
		return found
	}
	if x.m == nil {
		x.m = make(map[string]int, len(x.pairs))
		for i, p := range x.pairs {
			if _, seen := x.m[p.key]; seen && x.first {
				continue
			}
			x.m[p.key] = i
		}
	}
	if i, ok := x.m[key]; ok {
		return i
	}
	return -1
}
