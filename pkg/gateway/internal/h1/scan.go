package h1

// Header values are scanned for forbidden bytes on every request, and a
// bearer token makes one value about a kilobyte long: these scans look at
// eight bytes at a time (SWAR: a word load and a few arithmetic steps say
// whether any byte of the word may be a hit) and fall back to one byte at
// a time only for a word that may hold one. The byte-wise definitions in
// scan_test.go are the reference they are fuzzed against.

const (
	swarLo = 0x0101010101010101 // 0x01 in every byte
	swarHi = 0x8080808080808080 // the high bit of every byte
)

// load64 reads s[i:i+8] as a little-endian word; the compiler turns the
// byte loads into one.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hasByte reports whether a byte of w may equal b; it never misses one.
func hasByte(w uint64, b byte) bool {
	x := w ^ swarLo*uint64(b)
	return (x-swarLo)&^x&swarHi != 0
}

// hasLess reports whether a byte of w may be below n (n <= 128); it never
// misses one.
func hasLess(w uint64, n byte) bool {
	return (w-swarLo*uint64(n))&^w&swarHi != 0
}

// isCtl reports the bytes a field value must not hold (RFC 9110 5.5):
// controls other than horizontal tab, and DEL.
func isCtl(c byte) bool { return c < ' ' && c != '\t' || c == 0x7f }

// ctlFree reports whether s holds no byte isCtl rejects.
func ctlFree(s string) bool {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if w := load64(s, i); hasLess(w, ' ') || hasByte(w, 0x7f) {
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
		if w := load64(s, i); hasByte(w, '\r') || hasByte(w, '\n') {
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
		if w := load64(s, i); hasByte(w, '\r') || hasByte(w, '\n') || hasByte(w, 0) {
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
