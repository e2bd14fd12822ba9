package h1

import (
	"bufio"
	"strings"
	"testing"
)

func TestHeadBuffered(t *testing.T) {
	for in, want := range map[string]bool{
		"GET / HTTP/1.1\r\nHost: h\r\n\r\n":         true,
		"GET / HTTP/1.1\nHost: h\n\n":               true,
		"GET / HTTP/1.1\r\nHost: h\r\n":             false,
		"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n":     false, // leading blank lines are not the end of a head
		"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n": true,
	} {
		br := bufio.NewReader(strings.NewReader(in))
		br.Peek(1)
		if got := headBuffered(br); got != want {
			t.Errorf("headBuffered(%q) = %v, want %v", in, got, want)
		}
	}
}
