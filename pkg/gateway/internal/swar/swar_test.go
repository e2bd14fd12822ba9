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
