package gateway

import (
	"math"
	"math/bits"
	"strconv"
	"unicode/utf8"

	"github.com/mgwio/mgw/pkg/gateway/internal/swar"
)

// maxJSONDepth bounds nesting as encoding/json does.
const maxJSONDepth = 10000

// The validation work a text may cost, in schema checks of values:
// generous for real bodies (a 1 KiB body against a 20-property schema
// costs about 60), and linear in the size of the text.
const (
	workBase    = 100000
	workPerByte = 64
)

// jsonValidator validates one JSON text against a schemaSet in a single
// scan of its bytes: no tree is built. A value is scanned once per schema
// that applies to it (allOf, anyOf and oneOf scan it again).
//
// Failures come in two kinds: a syntax error ends everything (the text is
// not JSON), a schema failure ends the current alternative. Inside anyOf,
// oneOf and not (quiet > 0) schema failures are expected and cost
// nothing; outside, the first one is described with the JSON pointer of
// the value.
type jsonValidator struct {
	set     *schemaSet
	data    []byte
	quiet   int
	depth   int
	work    int // values checked so far, bounded by budget
	budget  int
	syntax  bool   // a syntax error was found: the text is not JSON
	where   string // JSON pointer of the first described failure
	problem string // why it failed

	path    []pathTok // where the scan is, for the pointer of a failure
	visited []int     // schemas applied to the current value (cycle guard)
	base    int       // start of the current value's entries in visited
	bits    []uint64  // required-property bitsets of open objects
	str     []byte    // decoded string scratch
	canon   []byte    // canonical JSON scratch
	items   []int     // offsets of array items' canonical forms in canon
}

// pathTok is one step of a JSON pointer: an object key (raw bytes of the
// key's string literal, quotes excluded) or an array index.
type pathTok struct {
	key   []byte
	index int
}

// reset prepares v for a new text.
func (v *jsonValidator) reset(set *schemaSet, data []byte) {
	v.set, v.data = set, data
	v.quiet, v.depth, v.syntax, v.where, v.problem = 0, 0, false, "", ""
	// anyOf/oneOf over recursive schemas rescan values; the budget keeps
	// a hostile body from making that exponential.
	v.work, v.budget = 0, workBase+workPerByte*len(data)
	v.path, v.visited, v.base, v.bits = v.path[:0], v.visited[:0], 0, v.bits[:0]
}

// validate checks the whole text against schema root (0-based, -1 for
// any JSON). It returns "" when the text is valid, else why it is not;
// v.where is then the JSON pointer of the failing value ("" for a syntax
// error).
func (v *jsonValidator) validate(set *schemaSet, root int, data []byte) string {
	v.reset(set, data)
	end, ok := v.value(root, 0)
	if ok {
		end = v.ws(end)
		if end != len(data) {
			v.syntaxErr(end, "data after the JSON value")
			ok = false
		}
	}
	if ok {
		return ""
	}
	if v.problem == "" {
		v.problem = "the value does not match the schema"
	}
	return v.problem
}

func (v *jsonValidator) ws(p int) int {
	for p < len(v.data) {
		switch v.data[p] {
		case ' ', '\t', '\n', '\r':
			p++
		default:
			return p
		}
	}
	return p
}

// afterMember reads what follows a member of an array (close is ']') or
// an object ('}') that ends at end: blanks, then a comma, and more says
// another member follows, or close. i is the offset past it, or of the
// syntax error when ok is false.
func (v *jsonValidator) afterMember(end int, close byte) (i int, more, ok bool) {
	i = v.ws(end)
	what := "array"
	if close == '}' {
		what = "object"
	}
	switch {
	case i >= len(v.data):
		i, _ = v.syntaxErr(i, "unterminated "+what)
		return i, false, false
	case v.data[i] == ',':
		return i + 1, true, true
	case v.data[i] == close:
		return i + 1, false, true
	}
	i, _ = v.syntaxErr(i, "expected , or "+string(close)+" in "+what)
	return i, false, false
}

// syntaxErr records that the text is not JSON; it ends every alternative.
func (v *jsonValidator) syntaxErr(p int, what string) (int, bool) {
	if !v.syntax {
		v.syntax = true
		v.problem = "not valid JSON: " + what + " at byte " + strconv.Itoa(p)
	}
	return p, false
}

// fail records a schema failure of the value at the current path.
func (v *jsonValidator) fail(p int, reason string) (int, bool) {
	if v.quiet == 0 && v.problem == "" {
		v.where, v.problem = v.pointer(), reason
	}
	return p, false
}

// failf is fail with a reason built only when it will be shown.
func (v *jsonValidator) failf(p int, reason func() string) (int, bool) {
	if v.quiet == 0 && v.problem == "" {
		v.where, v.problem = v.pointer(), reason()
	}
	return p, false
}

// pointer renders the current path as a JSON pointer ("/a/0/b"; "" is
// the whole document, shown as "/").
func (v *jsonValidator) pointer() string {
	if len(v.path) == 0 {
		return "/"
	}
	var b []byte
	for _, t := range v.path {
		b = append(b, '/')
		if t.key == nil {
			b = strconv.AppendInt(b, int64(t.index), 10)
			continue
		}
		k, _ := decodeJSONString(nil, t.key)
		for _, c := range k {
			switch c {
			case '~':
				b = append(b, "~0"...)
			case '/':
				b = append(b, "~1"...)
			default:
				b = append(b, c)
			}
		}
	}
	return string(b)
}

// value validates the value at p against schema ni and returns where it
// ends.
func (v *jsonValidator) value(ni, p int) (int, bool) {
	p = v.ws(p)
	if p >= len(v.data) {
		return v.syntaxErr(p, "unexpected end of input")
	}
	if ni < 0 {
		return v.skip(p)
	}
	if v.work++; v.work > v.budget {
		v.syntax, v.where, v.problem = true, "", "the body is too complex to validate against the schema"
		return p, false
	}
	// kin-openapi stops a schema that applies to the same value again
	// (a reference cycle through allOf/anyOf/oneOf/not) and accepts.
	for _, x := range v.visited[v.base:] {
		if x == ni {
			return v.skip(p)
		}
	}
	v.visited = append(v.visited, ni)
	end, ok := v.check(&v.set.nodes[ni], p)
	v.visited = v.visited[:len(v.visited)-1]
	return end, ok
}

// check applies one schema in kin-openapi's order: null, boolean
// schemas, the empty schema, not, oneOf, anyOf, allOf, enum, then the
// keywords of the value's type.
func (v *jsonValidator) check(n *node, p int) (int, bool) {
	isNull := v.data[p] == 'n'
	if isNull && n.permitsNull() {
		return v.skip(p)
	}
	if n.never {
		if end, ok := v.skip(p); !ok {
			return end, false
		}
		return v.fail(p, "no value is allowed here (schema false)")
	}
	if n.empty {
		if isNull {
			if end, ok := v.skip(p); !ok {
				return end, false
			}
			return v.fail(p, "null is not allowed (not nullable)")
		}
		return v.skip(p)
	}
	if n.not >= 0 {
		_, ok := v.alternative(n.not, p)
		if v.syntax {
			return p, false
		}
		if ok {
			if end, ok := v.skip(p); !ok {
				return end, false
			}
			return v.fail(p, "the value matches the schema under not")
		}
	}
	xof := false
	if len(n.oneOf) > 0 {
		matched := 0
		for _, s := range n.oneOf {
			if _, ok := v.alternative(s, p); ok {
				matched++
			} else if v.syntax {
				return p, false
			}
		}
		if matched != 1 {
			if end, ok := v.skip(p); !ok {
				return end, false
			}
			if matched == 0 {
				return v.fail(p, "the value matches none of the oneOf schemas")
			}
			return v.fail(p, "the value matches more than one of the oneOf schemas")
		}
		xof = true
	}
	if len(n.anyOf) > 0 {
		matched := false
		for _, s := range n.anyOf {
			if _, ok := v.alternative(s, p); ok {
				matched = true
				break
			} else if v.syntax {
				return p, false
			}
		}
		if !matched {
			if end, ok := v.skip(p); !ok {
				return end, false
			}
			return v.fail(p, "the value matches none of the anyOf schemas")
		}
		xof = true
	}
	for _, s := range n.allOf {
		if end, ok := v.value(s, p); !ok {
			return end, false
		}
		xof = true
	}
	if xof && isNull {
		return v.skip(p)
	}
	if n.enum != nil {
		start := len(v.canon)
		end, ok := v.canonical(p, true)
		if !ok {
			return end, false
		}
		_, found := n.enum[string(v.canon[start:])]
		v.canon = v.canon[:start]
		if !found {
			return v.fail(p, "the value is not one of the allowed values (enum)")
		}
	}
	switch c := v.data[p]; {
	case c == 'n':
		end, ok := v.literal(p, "null")
		if !ok {
			return end, false
		}
		return v.fail(p, "null is not allowed (not nullable)")
	case c == 't' || c == 'f':
		lit := "true"
		if c == 'f' {
			lit = "false"
		}
		end, ok := v.literal(p, lit)
		if !ok {
			return end, false
		}
		if !n.permits(tBoolean) {
			return v.typeFail(n, p, "a boolean")
		}
		return end, true
	case c == '"':
		return v.stringValue(n, p)
	case c == '-' || (c >= '0' && c <= '9'):
		return v.numberValue(n, p)
	case c == '[':
		return v.array(n, p)
	case c == '{':
		return v.object(n, p)
	}
	return v.syntaxErr(p, "unexpected character "+strconv.QuoteRune(rune(v.data[p])))
}

// alternative validates the value at p against schema ni quietly.
func (v *jsonValidator) alternative(ni, p int) (int, bool) {
	v.quiet++
	path := len(v.path)
	end, ok := v.value(ni, p)
	v.path = v.path[:path]
	v.quiet--
	return end, ok
}

// typeFail reports a value of the wrong type.
func (v *jsonValidator) typeFail(n *node, p int, got string) (int, bool) {
	if end, ok := v.skip(p); !ok {
		return end, false
	}
	return v.failf(p, func() string { return "expected " + typeNames(n.types) + ", got " + got })
}

// typeNames lists the type bits in words.
func typeNames(t uint8) string {
	names := []string{"null", "boolean", "integer", "number", "string", "array", "object"}
	var out string
	for i, name := range names {
		if t&(1<<i) != 0 {
			if out != "" {
				out += " or "
			}
			out += name
		}
	}
	return out
}

// literal consumes one of null, true, false.
func (v *jsonValidator) literal(p int, lit string) (int, bool) {
	if len(v.data)-p < len(lit) || string(v.data[p:p+len(lit)]) != lit {
		return v.syntaxErr(p, "invalid literal")
	}
	return p + len(lit), true
}

// enter and leave bound the nesting depth.
func (v *jsonValidator) enter(p int) bool {
	v.depth++
	if v.depth > maxJSONDepth {
		v.syntaxErr(p, "nesting too deep")
		return false
	}
	return true
}

func (v *jsonValidator) leave() { v.depth-- }

// numberValue checks a number against n.
func (v *jsonValidator) numberValue(n *node, p int) (int, bool) {
	f, end, ok := v.number(p)
	if !ok {
		return end, false
	}
	integer := f == math.Trunc(f)
	requireInteger := n.permits(tInteger) && !n.permits(tNumber)
	if requireInteger {
		if !integer {
			return v.fail(p, "expected integer, got a number with a fraction")
		}
	} else if !n.permits(tInteger) && !n.permits(tNumber) {
		return v.failf(p, func() string { return "expected " + typeNames(n.types) + ", got a number" })
	}
	if requireInteger {
		switch n.format {
		case fmtInt32:
			if f < math.MinInt32 || f > math.MaxInt32 {
				return v.fail(p, "the integer is out of the int32 range")
			}
		case fmtInt64:
			if f < math.MinInt64 || f > math.MaxInt64 {
				return v.fail(p, "the integer is out of the int64 range")
			}
		}
	}
	if n.hasExclMinV && !(f > n.exclMinV) {
		return v.failf(p, func() string { return "must be greater than " + fmtFloat(n.exclMinV) })
	}
	if n.exclMin && n.hasMin && !(f > n.min) {
		return v.failf(p, func() string { return "must be greater than " + fmtFloat(n.min) })
	}
	if n.hasExclMaxV && !(f < n.exclMaxV) {
		return v.failf(p, func() string { return "must be less than " + fmtFloat(n.exclMaxV) })
	}
	if n.exclMax && n.hasMax && !(f < n.max) {
		return v.failf(p, func() string { return "must be less than " + fmtFloat(n.max) })
	}
	if n.hasMin && !(n.min <= f) {
		return v.failf(p, func() string { return "must be at least " + fmtFloat(n.min) })
	}
	if n.hasMax && !(n.max >= f) {
		return v.failf(p, func() string { return "must be at most " + fmtFloat(n.max) })
	}
	if n.multipleOf != 0 && !isMultipleOf(f, n.multipleOf) {
		return v.failf(p, func() string { return "must be a multiple of " + fmtFloat(n.multipleOf) })
	}
	return end, true
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// isMultipleOf reports whether f is a multiple of m, tolerating a
// distance of 2^-51 of f (kin-openapi's rule: a couple of units in the
// last place). math.Remainder is exact, so the distance to the nearest
// multiple is exact too.
func isMultipleOf(f, m float64) bool {
	if m <= 0 {
		return false
	}
	r := math.Abs(math.Remainder(f, m))
	if r == 0 {
		return true
	}
	return r <= math.Abs(f)*(1.0/(1<<51))
}

// number scans a JSON number and returns its value. Numbers beyond
// float64 are refused, as encoding/json refuses them.
func (v *jsonValidator) number(p int) (float64, int, bool) {
	d := v.data
	i := p
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		_, end, _ := v.numErr(i)
		return 0, end, false
	}
	simple := true
	if i < len(d) && d[i] == '.' {
		simple = false
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			_, end, _ := v.numErr(i)
			return 0, end, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		simple = false
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			_, end, _ := v.numErr(i)
			return 0, end, false
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	text := d[p:i]
	if simple && len(text) <= 16 {
		// Up to 15 digits are exact in a float64.
		var u uint64
		digits := text
		if digits[0] == '-' {
			digits = digits[1:]
		}
		if len(digits) <= 15 {
			for _, c := range digits {
				u = u*10 + uint64(c-'0')
			}
			f := float64(u)
			if text[0] == '-' {
				f = -f
			}
			return f, i, true
		}
	}
	f, err := strconv.ParseFloat(string(text), 64)
	if err != nil {
		_, end, _ := v.numErr(p)
		v.problem = "not valid JSON: number " + strconv.Quote(string(text)) + " is out of range"
		return 0, end, false
	}
	return f, i, true
}

func (v *jsonValidator) numErr(p int) (float64, int, bool) {
	end, _ := v.syntaxErr(p, "malformed number")
	return 0, end, false
}

// scanString finds the end of the string literal at p (which is '"') and
// reports whether its content is plain: no escapes and valid UTF-8, so
// the raw bytes are the decoded value; and whether it is plain ASCII, so
// its length in characters is its length in bytes.
func (v *jsonValidator) scanString(p int) (end int, plain, ascii, ok bool) {
	d := v.data
	plain, ascii = true, true
	for i := p + 1; i < len(d); i++ {
		// Skip eight bytes at a time while none of them ends the
		// string, starts an escape, is a control or is not ASCII, then
		// go straight to the first that does.
		for i+8 <= len(d) {
			w := swar.LoadBytes(d, i)
			if m := swar.HighMask(w) | swar.LessMask(w, 0x20) | swar.ByteMask(w, '"') | swar.ByteMask(w, '\\'); m != 0 {
				i += swar.First(m)
				break
			}
			i += 8
		}
		if i >= len(d) {
			break
		}
		c := d[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case c == '"':
			if plain && !ascii && !utf8.Valid(d[p+1:i]) {
				plain = false
			}
			return i + 1, plain, plain && ascii, true
		case c == '\\':
			plain = false
			i++
			if i >= len(d) {
				break
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d) || !isHex(d[i+1]) || !isHex(d[i+2]) || !isHex(d[i+3]) || !isHex(d[i+4]) {
					e, _ := v.syntaxErr(i, "invalid \\u escape")
					return e, false, false, false
				}
				i += 4
			default:
				e, _ := v.syntaxErr(i, "invalid escape")
				return e, false, false, false
			}
		case c < 0x20:
			e, _ := v.syntaxErr(i, "control character in string")
			return e, false, false, false
		}
	}
	e, _ := v.syntaxErr(len(d), "unterminated string")
	return e, false, false, false
}

// stringAt scans the string at p and returns its decoded value, which is
// either a slice of the text or of v.str.
func (v *jsonValidator) stringAt(p int) (s []byte, end int, ascii, ok bool) {
	end, plain, ascii, ok := v.scanString(p)
	if !ok {
		return nil, end, false, false
	}
	raw := v.data[p+1 : end-1]
	if plain {
		return raw, end, ascii, true
	}
	v.str, _ = decodeJSONString(v.str[:0], raw)
	return v.str, end, false, true
}

// stringValue checks a string against n.
func (v *jsonValidator) stringValue(n *node, p int) (int, bool) {
	s, end, ascii, ok := v.stringAt(p)
	if !ok {
		return end, false
	}
	if !n.permits(tString) {
		return v.failf(p, func() string { return "expected " + typeNames(n.types) + ", got a string" })
	}
	if reason := checkString(n, s, ascii); reason != "" {
		return v.fail(p, reason)
	}
	return end, true
}

// checkString applies the string keywords; it returns why s fails, or "".
// ascii says s is ASCII, so its length in characters is len(s).
func checkString(n *node, s []byte, ascii bool) string {
	if n.minLength != 0 || n.hasMaxLength {
		l := int64(len(s))
		if !ascii {
			l = int64(utf8.RuneCount(s))
		}
		if n.minLength != 0 && l < n.minLength {
			return "the string is shorter than " + strconv.FormatInt(n.minLength, 10) + " characters (minLength)"
		}
		if n.hasMaxLength && l > n.maxLength {
			return "the string is longer than " + strconv.FormatInt(n.maxLength, 10) + " characters (maxLength)"
		}
	}
	if n.pattern != nil && !n.pattern.Match(s) {
		return "the string does not match the pattern " + strconv.Quote(n.patternText)
	}
	if n.format != fmtNone && !checkFormat(n.format, s) {
		return "the string is not a valid " + n.formatName
	}
	return ""
}

// array checks an array against n.
func (v *jsonValidator) array(n *node, p int) (int, bool) {
	if !n.permits(tArray) {
		return v.typeFail(n, p, "an array")
	}
	if !v.enter(p) {
		return p, false
	}
	defer v.leave()
	var count int64
	itemsStart, canonStart := len(v.items), len(v.canon)
	defer func() { v.items, v.canon = v.items[:itemsStart], v.canon[:canonStart] }()
	i := v.ws(p + 1)
	if i < len(v.data) && v.data[i] == ']' {
		i++
	} else {
		for {
			saved := v.base
			v.base = len(v.visited)
			v.path = append(v.path, pathTok{index: int(count)})
			end, ok := v.value(n.items, i)
			v.path = v.path[:len(v.path)-1]
			v.base = saved
			if !ok {
				return end, false
			}
			if n.uniq {
				v.items = append(v.items, len(v.canon))
				if e, ok := v.canonical(i, false); !ok {
					return e, false
				}
			}
			count++
			var more bool
			if i, more, ok = v.afterMember(end, ']'); !ok {
				return i, false
			}
			if !more {
				break
			}
		}
	}
	if n.minItems != 0 && count < n.minItems {
		return v.failf(p, func() string {
			return "the array has fewer than " + strconv.FormatInt(n.minItems, 10) + " items (minItems)"
		})
	}
	if n.hasMaxItems && count > n.maxItems {
		return v.failf(p, func() string {
			return "the array has more than " + strconv.FormatInt(n.maxItems, 10) + " items (maxItems)"
		})
	}
	if n.uniq && v.duplicateItems(itemsStart, canonStart) {
		return v.fail(p, "the array has duplicate items (uniqueItems)")
	}
	return i, true
}

// duplicateItems compares the canonical forms recorded since itemsStart.
func (v *jsonValidator) duplicateItems(itemsStart, canonStart int) bool {
	offs := v.items[itemsStart:]
	item := func(k int) string {
		end := len(v.canon)
		if k+1 < len(offs) {
			end = offs[k+1]
		}
		return string(v.canon[offs[k]:end])
	}
	if len(offs) > 32 {
		seen := make(map[string]struct{}, len(offs))
		for k := range offs {
			s := item(k)
			if _, dup := seen[s]; dup {
				return true
			}
			seen[s] = struct{}{}
		}
		return false
	}
	for a := range offs {
		for b := a + 1; b < len(offs); b++ {
			if item(a) == item(b) {
				return true
			}
		}
	}
	return false
}

// object checks an object against n.
func (v *jsonValidator) object(n *node, p int) (int, bool) {
	if !n.permits(tObject) {
		return v.typeFail(n, p, "an object")
	}
	if !v.enter(p) {
		return p, false
	}
	defer v.leave()
	words := (len(n.reqBit) + 63) / 64
	bitsAt := len(v.bits)
	for range words {
		v.bits = append(v.bits, 0)
	}
	defer func() { v.bits = v.bits[:bitsAt] }()
	var count int64
	i := v.ws(p + 1)
	if i < len(v.data) && v.data[i] == '}' {
		i++
	} else {
		for {
			i = v.ws(i)
			if i >= len(v.data) || v.data[i] != '"' {
				return v.syntaxErr(i, "expected a string key in object")
			}
			key, kend, _, ok := v.stringAt(i)
			if !ok {
				return kend, false
			}
			rawKey := v.data[i+1 : kend-1]
			schema, bit := -1, -1
			known := false
			j, found := -1, false
			if n.propTab != nil {
				j = n.propTab.find(key)
				found = j >= 0
			} else {
				j, found = n.props[string(key)]
			}
			if found {
				schema, bit, known = n.propSchema[j], n.propReq[j], true
			} else if b, found := n.reqBit[string(key)]; found {
				bit = b
			}
			if bit >= 0 {
				v.bits[bitsAt+bit/64] |= 1 << (bit % 64)
			}
			i = v.ws(kend)
			if i >= len(v.data) || v.data[i] != ':' {
				return v.syntaxErr(i, "expected : after object key")
			}
			v.path = append(v.path, pathTok{key: rawKey})
			if !known {
				if n.noAdditional {
					end, ok := v.skip(v.ws(i + 1))
					if ok {
						end, ok = v.fail(i, "the property is not allowed (additionalProperties is false)")
					}
					v.path = v.path[:len(v.path)-1]
					return end, ok
				}
				schema = n.additional
			}
			saved := v.base
			v.base = len(v.visited)
			end, ok := v.value(schema, i+1)
			v.base = saved
			v.path = v.path[:len(v.path)-1]
			if !ok {
				return end, false
			}
			count++
			var more bool
			if i, more, ok = v.afterMember(end, '}'); !ok {
				return i, false
			}
			if !more {
				break
			}
		}
	}
	if n.minProps != 0 && count < n.minProps {
		return v.failf(p, func() string {
			return "the object has fewer than " + strconv.FormatInt(n.minProps, 10) + " properties (minProperties)"
		})
	}
	if n.hasMaxProps && count > n.maxProps {
		return v.failf(p, func() string {
			return "the object has more than " + strconv.FormatInt(n.maxProps, 10) + " properties (maxProperties)"
		})
	}
	if v.allRequired(n, bitsAt) {
		return i, true
	}
	for _, name := range n.required {
		bit := n.reqBit[name]
		if v.bits[bitsAt+bit/64]&(1<<(bit%64)) == 0 {
			if v.quiet > 0 {
				return i, false
			}
			k := appendCanonString(nil, []byte(name))
			v.path = append(v.path, pathTok{key: k[1 : len(k)-1]})
			_, ok := v.fail(p, "the required property is missing")
			v.path = v.path[:len(v.path)-1]
			return i, ok
		}
	}
	return i, true
}

// allRequired reports whether the object just scanned had every required
// property: each one set its own bit, so they all did when as many bits
// are set as there are required names.
func (v *jsonValidator) allRequired(n *node, bitsAt int) bool {
	set := 0
	for _, w := range v.bits[bitsAt:] {
		set += bits.OnesCount64(w)
	}
	return set == len(n.reqBit)
}

// skip scans any JSON value, checking only its syntax.
func (v *jsonValidator) skip(p int) (int, bool) {
	p = v.ws(p)
	if p >= len(v.data) {
		return v.syntaxErr(p, "unexpected end of input")
	}
	switch c := v.data[p]; {
	case c == 'n':
		return v.literal(p, "null")
	case c == 't':
		return v.literal(p, "true")
	case c == 'f':
		return v.literal(p, "false")
	case c == '"':
		end, _, _, ok := v.scanString(p)
		return end, ok
	case c == '-' || (c >= '0' && c <= '9'):
		_, end, ok := v.number(p)
		return end, ok
	case c == '[':
		return v.array(&anyNode, p)
	case c == '{':
		return v.object(&anyNode, p)
	}
	return v.syntaxErr(p, "unexpected character "+strconv.QuoteRune(rune(v.data[p])))
}

// anyNode accepts any value; skip uses it to walk containers.
var anyNode = node{anyType: true, items: -1, additional: -1, not: -1}
