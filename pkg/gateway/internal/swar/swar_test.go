package swar

import (
	"encoding/binary"
	"testing"
)

// words puts every byte value at every position of a word filled with
// each of a few neighbours, where a borrow between bytes could hide a hit.
func words(yield func(uint64) bool) {
	for _, fill := range []byte{0x00, 0x01, 0x1f, 0x20, 0x22, 0x5c, 0x7f, 0x80, 0xff, 'a'} {
		for pos := 0; pos < 8; pos++ {
			for v := 0; v < 256; v++ {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[pos] = byte(v)
				if !yield(binary.LittleEndian.Uint64(b[:])) {
					return
				}
			}
		}
	}
}

func TestTestsNeverMiss(t *testing.T) {
	for w := range words {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], w)
		for _, x := range []byte{0, '\t', '\n', '\r', '"', '\\', 0x7f} {
			if want := contains(b, func(c byte) bool { return c == x }); want && !HasByte(w, x) {
				t.Fatalf("HasByte(%x, %#x) missed it", b, x)
			}
		}
		for _, n := range []byte{1, 0x20, 0x21, 0x80} {
			if want := contains(b, func(c byte) bool { return c < n }); want && !HasLess(w, n) {
				t.Fatalf("HasLess(%x, %#x) missed it", b, n)
			}
		}
		if got, want := HasHigh(w), contains(b, func(c byte) bool { return c >= 0x80 }); got != want {
			t.Fatalf("HasHigh(%x) = %v", b, got)
		}
	}
}

// TestTestsFalseHitsAreRare checks that the tests are useful: on words
// without the byte they look for, most report no hit.
func TestTestsFalseHitsAreRare(t *testing.T) {
	var clean, falseHits int
	for w := range words {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], w)
		if contains(b, func(c byte) bool { return c == '"' }) {
			continue
		}
		clean++
		if HasByte(w, '"') {
			falseHits++
		}
	}
	if falseHits*10 > clean {
		t.Fatalf("HasByte reported %d false hits in %d clean words", falseHits, clean)
	}
}

// TestFirstIsExact checks what scanners rely on to jump to a stop byte:
// the lowest byte a mask flags is the first byte that matches, false hits
// (borrows) only ever appearing above it. Words have two bytes set apart
// from a fill, so that a match can sit below another byte.
func TestFirstIsExact(t *testing.T) {
	second := []byte{0x00, 0x01, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x5b, 0x5c, 0x5d, 0x7f, 0x80, 0x81, 0xa2, 0xdc, 0xff}
	masks := []struct {
		name  string
		mask  func(uint64) uint64
		match func(byte) bool
	}{
		{"ByteMask '\"'", func(w uint64) uint64 { return ByteMask(w, '"') }, func(c byte) bool { return c == '"' }},
		{"ByteMask 0", func(w uint64) uint64 { return ByteMask(w, 0) }, func(c byte) bool { return c == 0 }},
		{"ByteMask 0xff", func(w uint64) uint64 { return ByteMask(w, 0xff) }, func(c byte) bool { return c == 0xff }},
		{"LessMask 0x20", func(w uint64) uint64 { return LessMask(w, 0x20) }, func(c byte) bool { return c < 0x20 }},
		{"LessMask 0x80", func(w uint64) uint64 { return LessMask(w, 0x80) }, func(c byte) bool { return c < 0x80 }},
		{"HighMask", HighMask, func(c byte) bool { return c >= 0x80 }},
	}
	for _, fill := range []byte{0x00, 0x20, 0x22, 0x5c, 0x7f, 0x80, 0xff, 'a'} {
		for p := 0; p < 8; p++ {
			for q := p + 1; q < 8; q++ {
				for v := 0; v < 256; v++ {
					for _, u := range second {
						var b [8]byte
						for i := range b {
							b[i] = fill
						}
						b[p], b[q] = byte(v), u
						w := binary.LittleEndian.Uint64(b[:])
						for _, m := range masks {
							want := -1
							for i, c := range b {
								if m.match(c) {
									want = i
									break
								}
							}
							got := -1
							if mask := m.mask(w); mask != 0 {
								got = First(mask)
							}
							if got != want {
								t.Fatalf("%s of % x: first flagged byte %d, want %d", m.name, b, got, want)
							}
						}
					}
				}
			}
		}
	}
}

func TestLoad(t *testing.T) {
	s := "0123456789"
	if got, want := Load(s, 1), binary.LittleEndian.Uint64([]byte(s[1:9])); got != want {
		t.Errorf("Load = %x, want %x", got, want)
	}
	if got, want := LoadBytes([]byte(s), 2), binary.LittleEndian.Uint64([]byte(s[2:10])); got != want {
		t.Errorf("LoadBytes = %x, want %x", got, want)
	}
}

func contains(b [8]byte, f func(byte) bool) bool {
	for _, c := range b {
		if f(c) {
			return true
		}
	}
	return false
}
