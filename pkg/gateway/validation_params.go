package gateway

import (
	"net/http"
	"net/url"
	"strings"
)

// How a parameter's text becomes a JSON value for its schema.
const (
	pkString uint8 = iota
	pkNumber
	pkBoolean
	pkArray
)

// paramCheck is one compiled parameter.
type paramCheck struct {
	name       string
	in         string
	label      string // `query parameter "x"`, for descriptions
	required   bool
	allowEmpty bool
	explode    bool
	schema     int // 0-based, -1 any
	kind       uint8
	itemKind   uint8
	// seg, prefix and suffix locate a path parameter: the text between
	// prefix and suffix in path segment seg of the resource template.
	seg            int
	prefix, suffix string
}

// paramKind decides how a parameter's text is read from its schema's
// type: numbers and booleans for those types, arrays split into items,
// anything else a string.
func paramKind(set *schemaSet, i int) uint8 {
	if i < 0 {
		return pkString
	}
	n := &set.nodes[i]
	switch {
	case n.anyType || n.types&tString != 0:
		return pkString
	case n.types&tArray != 0:
		return pkArray
	case n.types&(tInteger|tNumber) != 0:
		return pkNumber
	case n.types&tBoolean != 0:
		return pkBoolean
	}
	return pkString
}

// newParamChecks compiles an operation's parameters; template is the
// resource path.
func newParamChecks(set *schemaSet, rules []ParamRule, template string) []paramCheck {
	segs := strings.Split(strings.TrimPrefix(template, "/"), "/")
	var out []paramCheck
	for _, r := range rules {
		pc := paramCheck{
			name: r.Name, in: r.In, required: r.Required, allowEmpty: r.AllowEmpty,
			explode: r.Explode, schema: r.Schema - 1, seg: -1,
			label: r.In + " parameter " + quoteName(r.Name),
		}
		pc.kind = paramKind(set, pc.schema)
		if pc.kind == pkArray {
			pc.itemKind = paramKind(set, set.nodes[pc.schema].items)
			if pc.itemKind == pkArray {
				pc.itemKind = pkString
			}
		}
		if r.In == ParamPath {
			for i, s := range segs {
				if k := strings.Index(s, "{"+r.Name+"}"); k >= 0 && strings.Count(s, "{") == 1 {
					pc.seg, pc.prefix, pc.suffix = i, s[:k], s[k+len(r.Name)+2:]
				}
			}
			if pc.seg < 0 {
				continue // not in the template: nothing to check
			}
		}
		out = append(out, pc)
	}
	return out
}

func quoteName(s string) string { return `"` + s + `"` }

// checkParams validates the request's parameters; it returns the
// description of the first failure, or "".
func (o *opValidator) checkParams(st *validationState, r *http.Request, backendPath string) string {
	for i := range o.params {
		pc := &o.params[i]
		var vals []string
		var present bool
		switch pc.in {
		case ParamPath:
			seg, ok := pathSegment(backendPath, pc.seg)
			if !ok || !strings.HasPrefix(seg, pc.prefix) || !strings.HasSuffix(seg, pc.suffix) || len(seg) < len(pc.prefix)+len(pc.suffix) {
				continue // the router matched it: a literal/param split we cannot locate
			}
			seg = seg[len(pc.prefix) : len(seg)-len(pc.suffix)]
			if strings.IndexByte(seg, '%') >= 0 {
				dec, err := url.PathUnescape(seg)
				if err != nil {
					return pc.label + ": malformed percent-encoding"
				}
				seg = dec
			}
			st.vals = append(st.vals[:0], seg)
			vals, present = st.vals, true
		case ParamQuery:
			var err string
			vals, present, err = queryValues(st.vals[:0], r.URL.RawQuery, pc.name)
			st.vals = vals
			if err != "" {
				return pc.label + ": " + err
			}
		case ParamHeader:
			vals = r.Header[pc.name]
			present = len(vals) > 0
		}
		if !present {
			if pc.required {
				return pc.label + ": the required parameter is missing"
			}
			continue
		}
		if pc.in == ParamQuery && pc.allowEmpty && len(vals) > 0 && vals[0] == "" {
			continue
		}
		if msg := o.checkParam(st, pc, vals); msg != "" {
			return msg
		}
	}
	return ""
}

// checkParam renders a parameter's text as JSON and validates it.
func (o *opValidator) checkParam(st *validationState, pc *paramCheck, vals []string) string {
	b := st.param[:0]
	var msg string
	if pc.kind == pkArray {
		b = append(b, '[')
		n := 0
		add := func(s string) {
			if msg != "" {
				return
			}
			if n > 0 {
				b = append(b, ',')
			}
			n++
			b, msg = appendParamJSON(b, pc.itemKind, s)
		}
		if pc.explode && pc.in == ParamQuery {
			for _, v := range vals {
				add(v)
			}
		} else if vals[0] != "" {
			for s := range strings.SplitSeq(vals[0], ",") {
				add(s)
			}
		}
		b = append(b, ']')
	} else {
		b, msg = appendParamJSON(b, pc.kind, vals[0])
	}
	st.param = b
	if msg != "" {
		return pc.label + ": " + msg
	}
	if reason := st.v.validate(o.set, pc.schema, b); reason != "" {
		if st.v.where != "" && st.v.where != "/" {
			return pc.label + " at " + st.v.where + ": " + reason
		}
		return pc.label + ": " + reason
	}
	return ""
}

// appendParamJSON appends s as a JSON value of the kind.
func appendParamJSON(b []byte, kind uint8, s string) ([]byte, string) {
	switch kind {
	case pkNumber:
		if !isJSONNumber(s) {
			return b, "expected a number, got " + quoteName(truncate(s, 64))
		}
		return append(b, s...), ""
	case pkBoolean:
		if s != "true" && s != "false" {
			return b, "expected true or false, got " + quoteName(truncate(s, 64))
		}
		return append(b, s...), ""
	}
	return appendCanonString(b, []byte(s)), ""
}

// isJSONNumber reports whether s is exactly a JSON number.
func isJSONNumber(s string) bool {
	var v jsonValidator
	v.data = []byte(s)
	if len(s) == 0 || !(s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
		return false
	}
	_, end, ok := v.number(0)
	return ok && end == len(s)
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

// queryValues collects the values of the query parameter name, decoded,
// in order.
func queryValues(dst []string, raw, name string) ([]string, bool, string) {
	present := false
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, val, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(k, "%+") {
			dk, err := url.QueryUnescape(k)
			if err != nil {
				continue
			}
			k = dk
		}
		if k != name {
			continue
		}
		if strings.ContainsAny(val, "%+") {
			dv, err := url.QueryUnescape(val)
			if err != nil {
				return dst, true, "malformed percent-encoding"
			}
			val = dv
		}
		dst = append(dst, val)
		present = true
	}
	return dst, present, ""
}
