package gateway

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// canonical appends the canonical JSON form of the value at p to v.canon:
// numbers as their float64 value, strings decoded and re-escaped, object
// members sorted by key. Two values are equal, as kin-openapi compares
// them, when their canonical forms are. forEnum makes -0 equal 0 (enum
// compares numbers with ==; uniqueItems compares json.Marshal output,
// where they differ).
func (v *jsonValidator) canonical(p int, forEnum bool) (int, bool) {
	p = v.ws(p)
	if p >= len(v.data) {
		return v.syntaxErr(p, "unexpected end of input")
	}
	switch c := v.data[p]; {
	case c == 'n' || c == 't' || c == 'f':
		end, ok := v.skip(p)
		if ok {
			v.canon = append(v.canon, v.data[p:end]...)
		}
		return end, ok
	case c == '"':
		s, end, _, ok := v.stringAt(p)
		if ok {
			v.canon = appendCanonString(v.canon, s)
		}
		return end, ok
	case c == '-' || (c >= '0' && c <= '9'):
		f, end, ok := v.number(p)
		if ok {
			if forEnum && f == 0 {
				f = 0
			}
			v.canon = strconv.AppendFloat(v.canon, f, 'g', -1, 64)
		}
		return end, ok
	case c == '[':
		return v.canonArray(p, forEnum)
	case c == '{':
		return v.canonObject(p, forEnum)
	}
	return v.syntaxErr(p, "unexpected character "+strconv.QuoteRune(rune(v.data[p])))
}

func (v *jsonValidator) canonArray(p int, forEnum bool) (int, bool) {
	if !v.enter(p) {
		return p, false
	}
	defer v.leave()
	v.canon = append(v.canon, '[')
	i := v.ws(p + 1)
	if i < len(v.data) && v.data[i] == ']' {
		v.canon = append(v.canon, ']')
		return i + 1, true
	}
	for first := true; ; first = false {
		if !first {
			v.canon = append(v.canon, ',')
		}
		end, ok := v.canonical(i, forEnum)
		if !ok {
			return end, false
		}
		var more bool
		if i, more, ok = v.afterMember(end, ']'); !ok {
			return i, false
		}
		if !more {
			v.canon = append(v.canon, ']')
			return i, true
		}
	}
}

// canonObject writes the members sorted by key; with duplicate keys the
// last one wins, as encoding/json decides.
func (v *jsonValidator) canonObject(p int, forEnum bool) (int, bool) {
	if !v.enter(p) {
		return p, false
	}
	defer v.leave()
	type member struct{ key, val []byte }
	var members []member
	i := v.ws(p + 1)
	if i < len(v.data) && v.data[i] == '}' {
		v.canon = append(v.canon, "{}"...)
		return i + 1, true
	}
	for {
		i = v.ws(i)
		if i >= len(v.data) || v.data[i] != '"' {
			return v.syntaxErr(i, "expected a string key in object")
		}
		key, kend, _, ok := v.stringAt(i)
		if !ok {
			return kend, false
		}
		k := appendCanonString(nil, key)
		i = v.ws(kend)
		if i >= len(v.data) || v.data[i] != ':' {
			return v.syntaxErr(i, "expected : after object key")
		}
		start := len(v.canon)
		end, ok := v.canonical(i+1, forEnum)
		if !ok {
			return end, false
		}
		val := slices.Clone(v.canon[start:])
		v.canon = v.canon[:start]
		replaced := false
		for m := range members {
			if bytes.Equal(members[m].key, k) {
				members[m].val, replaced = val, true
			}
		}
		if !replaced {
			members = append(members, member{k, val})
		}
		var more bool
		if i, more, ok = v.afterMember(end, '}'); !ok {
			return i, false
		}
		if !more {
			break
		}
	}
	slices.SortFunc(members, func(a, b member) int { return bytes.Compare(a.key, b.key) })
	v.canon = append(v.canon, '{')
	for m, mem := range members {
		if m > 0 {
			v.canon = append(v.canon, ',')
		}
		v.canon = append(v.canon, mem.key...)
		v.canon = append(v.canon, ':')
		v.canon = append(v.canon, mem.val...)
	}
	v.canon = append(v.canon, '}')
	return i, true
}

// appendCanonString appends s as a JSON string: quotes and backslashes
// escaped, control characters as \u00XX, everything else as is.
func appendCanonString[S ~string | ~[]byte](b []byte, s S) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// canonicalJSON returns the canonical form of a whole JSON text.
func canonicalJSON(data []byte) ([]byte, error) {
	var v jsonValidator
	v.reset(&schemaSet{}, data)
	end, ok := v.canonical(0, true)
	if ok && v.ws(end) != len(data) {
		v.syntaxErr(end, "data after the JSON value")
		ok = false
	}
	if !ok {
		return nil, errors.New(v.problem)
	}
	return v.canon, nil
}

// decodeJSONString appends the value of a string literal's content (the
// bytes between the quotes, already checked by scanString) to b, the way
// encoding/json decodes it: invalid UTF-8 and lone surrogates become
// U+FFFD.
func decodeJSONString(b, raw []byte) ([]byte, bool) {
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			e := raw[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(raw, i)
				if !ok {
					return b, false
				}
				i += 4
				if utf16.IsSurrogate(r) {
					if r2, ok := hex4(raw, i+2); ok && i+1 < len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							i += 6
							b = utf8.AppendRune(b, dec)
							break
						}
					}
					r = utf8.RuneError
				}
				b = utf8.AppendRune(b, r)
			default:
				return b, false
			}
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			i += size
			b = utf8.AppendRune(b, r)
		}
	}
	return b, true
}

// hex4 reads four hex digits at raw[i:].
func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
