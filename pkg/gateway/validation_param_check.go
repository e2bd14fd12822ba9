package gateway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// paramValue is a parameter's value rendered as JSON, and what
// kin-openapi's openapi3filter would know about it.
type paramValue struct {
	found bool   // the request carries the parameter
	isNil bool   // no value (absent, or empty for a non-string type)
	msg   string // the text cannot be decoded: why
}

// checkParams validates the request's parameters; it returns the
// description of the first failure, or "".
func (o *opValidator) checkParams(st *validationState, r *http.Request, backendPath string) string {
	query := queryWithinLimit(r.URL.RawQuery)
	for i := range o.params {
		if msg := o.checkParam(st, &o.params[i], r, backendPath, query); msg != "" {
			return msg
		}
	}
	return ""
}

// checkParam decodes one parameter as its style says and validates it,
// deciding presence and emptiness as openapi3filter.ValidateParameter.
func (o *opValidator) checkParam(st *validationState, pc *paramCheck, r *http.Request, backendPath, query string) string {
	path := ""
	if pc.in == ParamPath {
		seg, ok := pathSegment(backendPath, pc.seg)
		if !ok || !strings.HasPrefix(seg, pc.segPrefix) || !strings.HasSuffix(seg, pc.segSuffix) || len(seg) < len(pc.segPrefix)+len(pc.segSuffix) {
			return "" // the router matched it: a literal/param split we cannot locate
		}
		seg = seg[len(pc.segPrefix) : len(seg)-len(pc.segSuffix)]
		if strings.IndexByte(seg, '%') >= 0 {
			dec, err := url.PathUnescape(seg)
			if err != nil {
				return pc.label + ": malformed percent-encoding"
			}
			seg = dec
		}
		path = seg
	}
	b := st.param[:0]
	var pv paramValue
	switch {
	case pc.content:
		b, pv = o.contentValue(st, pc, r, path, query, b)
	case pc.vk.kind == vkArray:
		b, pv = pc.arrayValue(st, r, path, query, b)
	case pc.vk.kind == vkObject:
		b, pv = pc.objectValue(st, r, path, query, b)
	default:
		b, pv = pc.primValue(st, r, path, query, b)
	}
	st.param = b
	switch {
	case pv.msg != "":
		return pc.label + ": " + pv.msg
	case pc.required && !pv.found:
		return pc.label + ": the required parameter is missing"
	case pv.isNil && pv.found && !pc.allowEmpty:
		return pc.label + ": an empty value is not allowed"
	case pv.isNil:
		return ""
	case pc.allowEmpty && string(b) == `""`:
		return ""
	}
	if reason := st.v.validate(o.set, pc.schema, b); reason != "" {
		if st.v.where != "" && st.v.where != "/" {
			return pc.label + " at " + st.v.where + ": " + reason
		}
		return pc.label + ": " + reason
	}
	return ""
}

// cutPrefix removes a label or matrix prefix from a path value.
func (pc *paramCheck) cutPrefix(raw string) (string, string) {
	if !strings.HasPrefix(raw, pc.prefix) {
		return "", "the value must start with " + quoteName(pc.prefix)
	}
	return raw[len(pc.prefix):], ""
}

// styleError is kin-openapi's answer to a style the type cannot use.
func (pc *paramCheck) styleError() string {
	return "style " + pc.style + " (explode " + boolText(pc.explode) + ") cannot carry this type"
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// primValue decodes a string, number, integer or boolean.
func (pc *paramCheck) primValue(st *validationState, r *http.Request, path, query string, b []byte) ([]byte, paramValue) {
	var raw string
	switch pc.in {
	case ParamPath:
		if path == "" {
			return b, paramValue{isNil: true}
		}
		var msg string
		if raw, msg = pc.cutPrefix(path); msg != "" {
			return b, paramValue{found: true, msg: msg}
		}
	case ParamQuery:
		if pc.style != StyleForm {
			if queryHasPairs(query) {
				return b, paramValue{msg: pc.styleError()}
			}
			return b, paramValue{isNil: true}
		}
		st.vals = queryValues(st.vals[:0], query, pc.name)
		if len(st.vals) == 0 {
			return b, paramValue{isNil: true}
		}
		// The first non-empty value, as openapi3filter takes it.
		raw = st.vals[0]
		for _, v := range st.vals[1:] {
			if raw != "" {
				break
			}
			raw = v
		}
	case ParamHeader:
		vals := r.Header[pc.name]
		if len(vals) == 0 {
			return b, paramValue{isNil: true}
		}
		raw = vals[0]
	case ParamCookie:
		c, err := r.Cookie(pc.name)
		if err != nil {
			return b, paramValue{isNil: true}
		}
		raw = c.Value
	}
	if pc.vk.kind == vkComposite {
		return pc.compositeValue(b, raw)
	}
	out, isNil, msg := appendPrim(b, pc.vk, raw)
	return out, paramValue{found: true, isNil: isNil, msg: msg}
}

// compositeValue decodes raw by the branches of allOf (each in turn, up
// to the first that yields no value; a text a branch cannot read is an
// error), anyOf (the first that reads it) or oneOf (the last that reads
// it), as openapi3filter does; the whole schema is checked afterwards.
func (pc *paramCheck) compositeValue(b []byte, raw string) ([]byte, paramValue) {
	val, have := b, false
	for _, k := range pc.branches {
		out, isNil, msg := appendPrim(b, k, raw)
		if pc.comb == combAll {
			if msg != "" {
				return b, paramValue{found: true, msg: msg}
			}
			if isNil {
				return b, paramValue{found: true, isNil: true}
			}
			val, have = out, true
			continue
		}
		if msg != "" || isNil {
			continue
		}
		val, have = out, true
		if pc.comb == combAny {
			break
		}
	}
	if have {
		return val, paramValue{found: true}
	}
	if pc.required {
		return b, paramValue{found: true, msg: "the value is none of the types the schema combines"}
	}
	return b, paramValue{found: true, isNil: true}
}

// arrayValue decodes an array: its items split as the style says.
func (pc *paramCheck) arrayValue(st *validationState, r *http.Request, path, query string, b []byte) ([]byte, paramValue) {
	var src []string // texts to split by delim
	delim := pc.delim
	trim := false
	switch pc.in {
	case ParamPath:
		if path == "" {
			return b, paramValue{isNil: true}
		}
		rest, msg := pc.cutPrefix(path)
		if msg != "" {
			return b, paramValue{found: true, msg: msg}
		}
		st.vals = append(st.vals[:0], rest)
	case ParamQuery:
		if pc.style == StyleDeepObject {
			if queryHasPairs(query) {
				return b, paramValue{msg: pc.styleError()}
			}
			return b, paramValue{isNil: true}
		}
		st.vals = queryValues(st.vals[:0], query, pc.name)
		if len(st.vals) == 0 {
			return b, paramValue{isNil: true}
		}
		if pc.explode {
			delim = ""
		} else {
			st.vals = st.vals[:1]
		}
	case ParamHeader:
		st.vals = append(st.vals[:0], r.Header[pc.name]...)
		if len(st.vals) == 0 {
			return b, paramValue{isNil: true}
		}
		delim, trim = ",", true
	case ParamCookie:
		if pc.explode {
			return b, paramValue{msg: pc.styleError()}
		}
		c, err := r.Cookie(pc.name)
		if err != nil {
			return b, paramValue{isNil: true}
		}
		st.vals = append(st.vals[:0], c.Value)
	}
	src = st.vals
	if !pc.hasItems {
		return b, paramValue{found: true, msg: "the array schema has no items schema to decode them with"}
	}
	start := len(b)
	b = append(b, '[')
	n := 0
	pv := paramValue{found: true}
	item := func(s string) bool {
		if trim {
			s = strings.TrimSpace(s)
		}
		mark := len(b)
		if n > 0 {
			b = append(b, ',')
		}
		out, isNil, msg := appendPrim(b, pc.item, s)
		switch {
		case msg != "":
			pv.msg = "item " + strconv.Itoa(n) + ": " + msg
			return false
		case isNil:
			pv.isNil = true
			b = b[:mark]
			return false
		}
		b = out
		n++
		return true
	}
	for _, s := range src {
		ok := true
		if delim == "" {
			ok = item(s)
		} else {
			ok = splitEach(s, delim, item)
		}
		if !ok {
			break
		}
	}
	b = append(b, ']')
	if pv.msg != "" || pv.isNil {
		return b[:start], pv
	}
	// A query array of one empty string is no value.
	if pc.in == ParamQuery && string(b[start:]) == `[""]` {
		return b[:start], paramValue{found: true, isNil: true}
	}
	return b, pv
}

// pathSegment returns segment i of a path ("/a/b": 0 is "a").
func pathSegment(p string, i int) (string, bool) {
	p = strings.TrimPrefix(p, "/")
	for ; i > 0; i-- {
		k := strings.IndexByte(p, '/')
		if k < 0 {
			return "", false
		}
		p = p[k+1:]
	}
	if k := strings.IndexByte(p, '/'); k >= 0 {
		p = p[:k]
	}
	return p, true
}
