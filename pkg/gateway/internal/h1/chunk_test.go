package h1

import "testing"

func TestParseChunkSize(t *testing.T) {
	for _, c := range []struct {
		line string
		n    int64
		ok   bool
	}{
		{"5", 5, true},
		{"1a", 26, true},
		{"5;a", 5, true},
		{"5;a=b", 5, true},
		{"5 ; a = b ;c", 5, true},
		{"5;a=\"b;c\\\"d\"", 5, true},
		{"5;a=\"b\";c=d", 5, true},
		{"", 0, false},
		{"5 ", 0, false},
		{" 5", 0, false},
		{"1 0", 0, false},
		{"0x5", 0, false},
		{"-1", 0, false},
		{"5;", 0, false},
		{"5;a ", 0, false},
		{"5;a=", 0, false},
		{"5;a b", 0, false},
		{"5;a\rb", 0, false},
		{"5;a\x00", 0, false},
		{"5;a=\"b", 0, false},
		{"5;a=\"b\x01\"", 0, false},
		{"5;a=b c", 0, false},
		{"fffffffffffffff", 0x0fffffffffffffff, true},
		{"1000000000000000", 0, false},
	} {
		n, err := parseChunkSize([]byte(c.line))
		if c.ok != (err == nil) || c.ok && n != c.n {
			t.Errorf("parseChunkSize(%q) = %d, %v; want %d, ok %v", c.line, n, err, c.n, c.ok)
		}
	}
}
