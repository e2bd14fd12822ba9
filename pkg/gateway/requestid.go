package gateway

import (
	"math/rand/v2"
	"strings"
)

const hexDigits = "0123456789abcdef"

// validRequestID accepts client-supplied request ids of up to 128
// printable, unambiguous characters; anything else is replaced, so ids
// are safe to log and forward.
func validRequestID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == ':' || c == '+' || c == '/' || c == '=' || c == '@') {
			return false
		}
	}
	return true
}

// newRequestID returns a random (version 4) UUID. math/rand/v2's global
// source is seeded per process and safe for concurrent use without locks.
func newRequestID() string {
	var b [36]byte
	hi, lo := rand.Uint64(), rand.Uint64()
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4
	lo = lo&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	put := func(off int, v uint64, digits int) {
		for i := digits - 1; i >= 0; i-- {
			b[off+i] = hexDigits[v&0xf]
			v >>= 4
		}
	}
	put(0, hi>>32, 8)
	b[8] = '-'
	put(9, hi>>16, 4)
	b[13] = '-'
	put(14, hi, 4)
	b[18] = '-'
	put(19, lo>>48, 4)
	b[23] = '-'
	put(24, lo, 12)
	return string(b[:])
}

// validTraceparent checks a W3C trace context header of version 00 (or a
// later version, whose first four fields have the same form).
func validTraceparent(s string) bool {
	if len(s) < 55 || (len(s) > 55 && s[55] != '-') || (s[:2] == "00" && len(s) != 55) {
		return false
	}
	if s[2] != '-' || s[35] != '-' || s[52] != '-' || s[:2] == "ff" {
		return false
	}
	return lowerHex(s[:2]) && lowerHex(s[3:35]) && !zeros(s[3:35]) &&
		lowerHex(s[36:52]) && !zeros(s[36:52]) && lowerHex(s[53:55])
}

func lowerHex(t string) bool {
	for i := 0; i < len(t); i++ {
		if c := t[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func zeros(t string) bool {
	return strings.Trim(t, "0") == ""
}

// newTraceparent starts a trace: random trace and parent ids, not sampled.
func newTraceparent() string {
	var b [55]byte
	copy(b[:], "00-")
	put := func(off int, v uint64) {
		for i := 15; i >= 0; i-- {
			b[off+i] = hexDigits[v&0xf]
			v >>= 4
		}
	}
	put(3, rand.Uint64()|1)
	put(19, rand.Uint64())
	b[35] = '-'
	put(36, rand.Uint64()|1)
	copy(b[52:], "-00")
	return string(b[:])
}
