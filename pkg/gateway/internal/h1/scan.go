package h1

import "github.com/mgwio/mgw/pkg/gateway/internal/swar"

// Header values are scanned for forbidden bytes on every request, and a
// bearer token makes one value about a kilobyte long: these scans look at
// eight bytes at a time (package swar) and at single bytes only in a word
// that may hold a hit. The byte-wise definitions in scan_test.go are the
// reference they are fuzzed against.

// isCtl reports the bytes a field value must not hold (RFC 9110 5.5):
// controls other than horizontal tab, and DEL.
func isCtl(c byte) bool { return c < ' ' && c != '\t' || c == 0x7f }

// ctlFree reports whether s holds no byte isCtl rejects.
func ctlFree(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if w := swar.Load(s, i); swar.HasLess(w, ' ') || swar.HasByte(w, 0x7f) {
			for j := i; j < i+8; j++ {
				if isCtl(s[j]) {
					return false
				}
			}
		}
	}
	for ; i < len(s); i++ {
		if isCtl(s[i]) {
			return false
		}
	}
	return true
}

// indexCRLF returns the index of the first CR or LF in s, or -1.
func indexCRLF(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if w := swar.Load(s, i); swar.HasByte(w, '\r') || swar.HasByte(w, '\n') {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' {
			return i
		}
	}
	return -1
}

// validValue rejects CR, LF and NUL in a header value.
func validValue(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if w := swar.Load(s, i); swar.HasByte(w, '\r') || swar.HasByte(w, '\n') || swar.HasByte(w, 0) {
			break
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '\r' || c == '\n' || c == 0 {
			return false
		}
	}
	return true
}
