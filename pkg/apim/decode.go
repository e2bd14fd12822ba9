package apim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// The decoders below accept what an API Manager sends (unknown fields are
// ignored: servers add fields) and reject anything else with a message
// that says where and what is wrong.

// apiListEnvelope is APIList with the items kept raw, so a bad item can be
// reported by name.
type apiListEnvelope struct {
	Count      int               `json:"count"`
	Next       string            `json:"next"`
	Previous   string            `json:"previous"`
	List       []json.RawMessage `json:"list"`
	Pagination *Pagination       `json:"pagination"`
}

// DecodeAPIList decodes the Publisher's answer to GET /apis.
func DecodeAPIList(data []byte) (APIList, error) {
	var env apiListEnvelope
	if err := decodeObject(data, "API list", &env); err != nil {
		return APIList{}, err
	}
	if env.Count < 0 {
		return APIList{}, &DecodeError{What: "API list", Problem: fmt.Sprintf("count is negative (%d)", env.Count)}
	}
	if p := env.Pagination; p != nil && (p.Offset < 0 || p.Limit < 0 || p.Total < 0) {
		return APIList{}, &DecodeError{What: "API list", Problem: fmt.Sprintf("pagination has a negative value (offset %d, limit %d, total %d)", p.Offset, p.Limit, p.Total)}
	}
	out := APIList{Count: env.Count, Next: env.Next, Previous: env.Previous, Pagination: env.Pagination}
	if env.List != nil {
		out.List = make([]API, 0, len(env.List))
	}
	for i, raw := range env.List {
		api, err := decodeAPI(raw, fmt.Sprintf("item %d of the API list", i+1))
		if err != nil {
			relocate(err, data, raw)
			return APIList{}, err
		}
		out.List = append(out.List, api)
	}
	return out, nil
}

// DecodeAPI decodes one Publisher API DTO. Name and version are required.
func DecodeAPI(data []byte) (API, error) {
	return decodeAPI(data, "")
}

func decodeAPI(data []byte, where string) (API, error) {
	var api API
	if err := decodeObject(data, "API", &api); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			de.What = apiLabel(peekNameVersion(data), where)
		}
		return API{}, err
	}
	if api.Name == "" || api.Version == "" {
		return API{}, &DecodeError{
			What:    apiLabel([2]string{api.Name, api.Version}, where),
			Problem: "name and version are required",
		}
	}
	return api, nil
}

// apiLabel names an API in messages: `API "Pizza" 1.0.0 (item 3 of the
// API list)`.
func apiLabel(nv [2]string, where string) string {
	s := "API"
	if nv[0] != "" {
		s += fmt.Sprintf(" %q", nv[0])
		if nv[1] != "" {
			s += " " + nv[1]
		}
	}
	if where != "" {
		s += " (" + where + ")"
	}
	return s
}

// peekNameVersion reads name and version from an API object that may not
// decode as a whole.
func peekNameVersion(data []byte) [2]string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return [2]string{}
	}
	var name, version string
	_ = json.Unmarshal(m["name"], &name)
	_ = json.Unmarshal(m["version"], &version)
	return [2]string{name, version}
}

// policyListEnvelope is ThrottlePolicyList with the items kept raw.
type policyListEnvelope struct {
	Count int               `json:"count"`
	List  []json.RawMessage `json:"list"`
}

// DecodePolicyList decodes the Admin API's list of throttling policies of
// one level. Each policy needs a policyName.
func DecodePolicyList(data []byte) (ThrottlePolicyList, error) {
	var env policyListEnvelope
	if err := decodeObject(data, "policy list", &env); err != nil {
		return ThrottlePolicyList{}, err
	}
	if env.Count < 0 {
		return ThrottlePolicyList{}, &DecodeError{What: "policy list", Problem: fmt.Sprintf("count is negative (%d)", env.Count)}
	}
	out := ThrottlePolicyList{Count: env.Count}
	if env.List != nil {
		out.List = make([]ThrottlePolicy, 0, len(env.List))
	}
	for i, raw := range env.List {
		where := fmt.Sprintf("item %d of the policy list", i+1)
		var p ThrottlePolicy
		if err := decodeObject(raw, "policy ("+where+")", &p); err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				if name := peekString(raw, "policyName"); name != "" {
					de.What = fmt.Sprintf("policy %q (%s)", name, where)
				}
			}
			relocate(err, data, raw)
			return ThrottlePolicyList{}, err
		}
		if p.PolicyName == "" {
			return ThrottlePolicyList{}, &DecodeError{What: "policy (" + where + ")", Problem: "policyName is missing"}
		}
		out.List = append(out.List, p)
	}
	return out, nil
}

func peekString(data []byte, key string) string {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return ""
	}
	var s string
	_ = json.Unmarshal(m[key], &s)
	return s
}

// decodeObject decodes one JSON object into v, rejecting other JSON values
// and trailing data, and turns encoding/json's errors into messages with
// line and column.
func decodeObject(data []byte, what string, v any) error {
	start := bytes.TrimLeft(data, " \t\r\n")
	if len(start) == 0 {
		return &DecodeError{What: what, Problem: "the answer is empty, expected a JSON object"}
	}
	if start[0] != '{' {
		return &DecodeError{What: what, Problem: "expected a JSON object, got " + describeStart(start)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(v); err != nil {
		return jsonError(data, what, err)
	}
	off := dec.InputOffset()
	off += int64(len(data[off:]) - len(bytes.TrimLeft(data[off:], " \t\r\n")))
	if _, err := dec.Token(); err != io.EOF {
		return located(data, &DecodeError{What: what, Problem: "unexpected data after the JSON object"}, off)
	}
	return nil
}

func jsonError(data []byte, what string, err error) error {
	var (
		synErr  *json.SyntaxError
		typeErr *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &synErr):
		return located(data, &DecodeError{What: what, Problem: "invalid JSON: " + trimJSONPrefix(synErr.Error())}, synErr.Offset)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "(top level)"
		}
		return located(data, &DecodeError{What: what,
			Problem: fmt.Sprintf("field %q holds a JSON %s where %s is expected", field, typeErr.Value, describeType(typeErr.Type))},
			typeErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return &DecodeError{What: what, Problem: "the JSON ends too early (truncated answer?)", offset: -1}
	}
	return &DecodeError{What: what, Problem: trimJSONPrefix(err.Error()), offset: -1}
}

// located sets the position of e to byte offset off of data.
func located(data []byte, e *DecodeError, off int64) *DecodeError {
	e.offset = off
	e.Line, e.Column = lineCol(data, off)
	return e
}

// relocate moves the position of an error found in item, a verbatim copy
// of part of data, to its place in data.
func relocate(err error, data, item []byte) {
	var de *DecodeError
	if !errors.As(err, &de) || de.Line == 0 {
		return
	}
	if base := bytes.Index(data, item); base >= 0 {
		located(data, de, int64(base)+de.offset)
	}
}

func trimJSONPrefix(s string) string {
	if len(s) > 6 && s[:6] == "json: " {
		return s[6:]
	}
	return s
}

// describeStart names the kind of value data starts with.
func describeStart(data []byte) string {
	switch c := data[0]; {
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || (c >= '0' && c <= '9'):
		return "a number"
	case c == '<':
		return "an HTML or XML document"
	}
	return "text that is not JSON"
}

// describeType names the JSON counterpart of a Go type.
func describeType(t reflect.Type) string {
	if t == nil {
		return "another value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "another value"
}

// lineCol converts a byte offset into a 1-based line and column.
func lineCol(data []byte, off int64) (int, int) {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// DecodePolicy decodes one throttling policy, as the Admin API returns
// GET /throttling/policies/advanced/{policyId}. It needs a policyName.
func DecodePolicy(data []byte) (ThrottlePolicy, error) {
	var p ThrottlePolicy
	if err := decodeObject(data, "policy", &p); err != nil {
		return ThrottlePolicy{}, err
	}
	if p.PolicyName == "" {
		return ThrottlePolicy{}, &DecodeError{What: "policy", Problem: "policyName is missing"}
	}
	return p, nil
}
