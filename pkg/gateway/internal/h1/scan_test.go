package h1

import (
	"bufio"
	"net/http"
	"strings"
	"testing"
)

// The byte-at-a-time definitions the word-at-a-time scans must agree with.

func refCtlFree(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func refIndexCRLF(s string) int { return strings.IndexAny(s, "\r\n") }

func refValidValue(s string) bool { return !strings.ContainsAny(s, "\r\n\x00") }

// scanCases put every forbidden byte at every position of words and
// tails, next to the bytes closest to it (0x1f, ' ', 0x7e, 0x80, 0xff)
// where a borrow between bytes could hide or fake a hit.
func scanCases() []string {
	var cases []string
	special := []byte{0, '\t', '\n', '\r', 0x1f, ' ', 0x7e, 0x7f, 0x80, 0xfe, 0xff, 'a'}
	for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 24} {
		base := strings.Repeat("A", n)
		cases = append(cases, base)
		for i := 0; i < n; i++ {
			for _, c := range special {
				b := []byte(base)
				b[i] = c
				cases = append(cases, string(b))
				if i+1 < n {
					for _, d := range special {
						b2 := append([]byte(nil), b...)
						b2[i+1] = d
						cases = append(cases, string(b2))
					}
				}
			}
		}
	}
	return cases
}

func TestScansAgreeWithByteWise(t *testing.T) {
	for _, s := range scanCases() {
		checkScans(t, s)
	}
}

// checkScans holds the scans to their byte-wise definitions on s.
func checkScans(t *testing.T, s string) {
	t.Helper()
	if got, want := ctlFree(s), refCtlFree(s); got != want {
		t.Errorf("ctlFree(%q) = %v, want %v", s, got, want)
	}
	if got, want := indexCRLF(s), refIndexCRLF(s); got != want {
		t.Errorf("indexCRLF(%q) = %d, want %d", s, got, want)
	}
	if got, want := validValue(s), refValidValue(s); got != want {
		t.Errorf("validValue(%q) = %v, want %v", s, got, want)
	}
}

func FuzzScans(f *testing.F) {
	for _, s := range []string{"", "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln", "a\tb", "a\x7fb", "12345678\r\n", "x\x00y", "\x80\x80\x80\x80\x80\x80\x80\x1f"} {
		f.Add(s)
	}
	f.Fuzz(checkScans)
}

// BenchmarkParseSecuredHead parses the head of a request that carries a
// bearer token the size of an API Manager JWT (about 900 bytes), as every
// request of a secured API does.
func BenchmarkParseSecuredHead(b *testing.B) {
	token := strings.Repeat("eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9", 25)
	head := "GET /bench-jwt/v1/size/1024 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\nAuthorization: Bearer " + token + "\r\n\r\n"
	var scratch []byte
	b.ReportAllocs()
	b.SetBytes(int64(len(head)))
	for b.Loop() {
		br := bufio.NewReaderSize(strings.NewReader(head), 4096)
		block, lines, s, err := readHeaderBlock(br, scratch, 1<<20)
		scratch = s
		if err != nil {
			b.Fatal(err)
		}
		_, fields := nextLine(block)
		h := make(http.Header, lines)
		if err := parseFields(fields, lines, h); err != nil {
			b.Fatal(err)
		}
	}
}
