// Package swar tests eight bytes at a time (SWAR: SIMD within a register).
// Scanners of header values and JSON strings load a word, ask whether any
// of its bytes may be one they must stop at, and look at single bytes only
// in a word that may hold one. Every test may report a byte that is not
// there (a false hit, in a byte above a real hit) but never misses one.
// The masks behind the tests are exact in their lowest set bit, so First
// of a mask is the position of the first byte a scanner must stop at.
package swar

import "math/bits"

const (
	lo = 0x0101010101010101 // 0x01 in every byte
	hi = 0x8080808080808080 // the high bit of every byte
)

// Load reads s[i:i+8] as a little-endian word; the compiler merges the
// byte loads into one.
func Load(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// LoadBytes reads b[i:i+8] as a little-endian word.
func LoadBytes(b []byte, i int) uint64 {
	b = b[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// ByteMask has the high bit set in every byte of w that equals b, and
// perhaps in bytes above the first such byte (a borrow), never below it.
func ByteMask(w uint64, b byte) uint64 {
	x := w ^ lo*uint64(b)
	return (x - lo) &^ x & hi
}

// LessMask has the high bit set in every byte of w below n (n <= 128),
// and perhaps in bytes above the first such byte, never below it.
func LessMask(w uint64, n byte) uint64 {
	return (w - lo*uint64(n)) &^ w & hi
}

// HighMask has the high bit set in exactly the bytes of w that are 0x80
// or above (not ASCII).
func HighMask(w uint64) uint64 { return w & hi }

// First is the position (0 to 7) of the lowest byte flagged in m, which
// is not 0: for the masks above, the first byte that matched.
func First(m uint64) int { return bits.TrailingZeros64(m) >> 3 }

// HasByte reports whether a byte of w may equal b.
func HasByte(w uint64, b byte) bool { return ByteMask(w, b) != 0 }

// HasLess reports whether a byte of w may be below n, for n <= 128.
func HasLess(w uint64, n byte) bool { return LessMask(w, n) != 0 }

// HasHigh reports whether a byte of w is 0x80 or above (not ASCII); it is
// exact.
func HasHigh(w uint64) bool { return HighMask(w) != 0 }
