package gateway

import (
	"bytes"
	"net/http"
)

// contentValue reads a parameter described by content (application/json)
// as openapi3filter's default decoder does: the text is JSON; text that is
// not JSON is taken as a string unless the schema is an object. Only a
// query parameter may be given several times (an array of the values).
func (o *opValidator) contentValue(st *validationState, pc *paramCheck, r *http.Request, path, query string, b []byte) ([]byte, paramValue) {
	switch pc.in {
	case ParamPath:
		st.vals = append(st.vals[:0], path)
	case ParamQuery:
		st.vals = queryValues(st.vals[:0], query, pc.name)
	case ParamHeader:
		st.vals = append(st.vals[:0], r.Header[pc.name]...)
	case ParamCookie:
		st.vals = st.vals[:0]
		if c, err := r.Cookie(pc.name); err == nil {
			st.vals = append(st.vals, c.Value)
		}
	}
	vals := st.vals
	switch {
	case len(vals) == 0:
		return b, paramValue{isNil: true}
	case len(vals) > 1 && pc.in != ParamQuery:
		return b, paramValue{found: true, msg: "the parameter is given more than once"}
	case len(vals) == 1:
		out, msg := o.appendContent(st, b, vals[0], pc.contentObject)
		if msg != "" {
			return b, paramValue{found: true, msg: msg}
		}
		return out, paramValue{found: true, isNil: string(bytes.TrimSpace(out[len(b):])) == "null"}
	}
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		var msg string
		if b, msg = o.appendContent(st, b, v, pc.itemsObject || !pc.hasItems); msg != "" {
			return b[:0], paramValue{found: true, msg: msg}
		}
	}
	return append(b, ']'), paramValue{found: true}
}

// appendContent appends text if it is JSON; otherwise, unless strict, as
// a JSON string.
func (o *opValidator) appendContent(st *validationState, b []byte, text string, strict bool) ([]byte, string) {
	start := len(b)
	b = append(b, text...)
	if st.v.validate(o.set, -1, b[start:]) == "" {
		return b, ""
	}
	if strict {
		return b[:start], "the value is not JSON"
	}
	return appendCanonString(b[:start], text), ""
}
