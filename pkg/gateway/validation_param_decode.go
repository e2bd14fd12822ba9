package gateway

import (
	"strconv"
	"strings"
)

// appendPrim appends raw decoded as vk in JSON. isNil reports
// kin-openapi's "no value": an empty text for a type other than string.
// msg says why the text cannot be a value of the type.
func appendPrim(b []byte, vk valKind, raw string) (out []byte, isNil bool, msg string) {
	switch vk.kind {
	case vkInteger, vkInt32, vkNumber, vkBoolean:
		if raw == "" {
			return b, true, ""
		}
		if out, ok := appendTyped(b, vk.kind, raw); ok {
			return out, false, ""
		}
		return b, false, typeWanted(vk.kind) + ", got " + quoteName(truncate(raw, 64))
	case vkEnum:
		for _, t := range [...]struct {
			bit  uint8
			kind uint8
		}{{emBoolean, vkBoolean}, {emNumber, vkNumber}, {emString, vkString}, {emArray, vkArray}, {emObject, vkObject}} {
			if vk.mask&t.bit == 0 {
				continue
			}
			if raw == "" && t.kind != vkString {
				return b, true, ""
			}
			if t.kind == vkString {
				return appendCanonString(b, raw), false, ""
			}
			if out, ok := appendTyped(b, t.kind, raw); ok {
				return out, false, ""
			}
		}
		return appendCanonString(b, raw), false, ""
	case vkArray, vkObject:
		return b, false, "nested arrays and objects are not supported in parameters"
	}
	return appendCanonString(b, raw), false, ""
}

// appendTyped parses raw as strconv does for kin-openapi (ParseInt,
// ParseFloat on decimal characters, ParseBool) and appends it as JSON.
func appendTyped(b []byte, kind uint8, raw string) ([]byte, bool) {
	switch kind {
	case vkInteger, vkInt32:
		bits := 64
		if kind == vkInt32 {
			bits = 32
		}
		n, err := strconv.ParseInt(raw, 10, bits)
		if err != nil {
			return b, false
		}
		return strconv.AppendInt(b, n, 10), true
	case vkNumber:
		for i := 0; i < len(raw); i++ {
			if strings.IndexByte("+-.0123456789eE", raw[i]) < 0 {
				return b, false
			}
		}
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return b, false
		}
		return strconv.AppendFloat(b, f, 'g', -1, 64), true
	case vkBoolean:
		v, err := strconv.ParseBool(raw)
		if err != nil {
			return b, false
		}
		return strconv.AppendBool(b, v), true
	}
	return b, false
}

func typeWanted(kind uint8) string {
	switch kind {
	case vkInteger:
		return "expected an integer"
	case vkInt32:
		return "expected a 32-bit integer"
	case vkNumber:
		return "expected a number"
	}
	return "expected true or false"
}

// splitEach calls fn with the pieces of s between delim, as
// strings.Split cuts them, until fn returns false.
func splitEach(s, delim string, fn func(string) bool) bool {
	for {
		i := strings.Index(s, delim)
		if i < 0 {
			return fn(s)
		}
		if !fn(s[:i]) {
			return false
		}
		s = s[i+len(delim):]
	}
}

// paramPair is one name and value of an object parameter.
type paramPair struct {
	key, val string
	// sub marks a deepObject key with more than one [name] part; key is
	// the first part and raw the whole decoded name.
	sub bool
	raw string
}

// appendPairs appends the pairs of src the way kin-openapi's
// propsFromString reads them: name and value alternate when the two
// delimiters are the same, else every piece is name<valueDelim>value.
func appendPairs(dst []paramPair, src, propDelim, valueDelim string) ([]paramPair, bool) {
	ok := true
	if propDelim == valueDelim {
		var name string
		odd := false
		splitEach(src, propDelim, func(p string) bool {
			if !odd {
				name = p
			} else {
				dst = append(dst, paramPair{key: name, val: p})
			}
			odd = !odd
			return true
		})
		return dst, !odd
	}
	splitEach(src, propDelim, func(p string) bool {
		k, v, found := strings.Cut(p, valueDelim)
		if !found || strings.Contains(v, valueDelim) {
			ok = false
			return false
		}
		dst = append(dst, paramPair{key: k, val: v})
		return true
	})
	return dst, ok
}
