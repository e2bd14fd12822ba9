package h1

import (
	"bufio"
	"io"
	"net/http"
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

// TestServerContinueOnce: a handler that sends "100 Continue" itself and
// then reads the body causes one interim response, not two.
func TestServerContinueOnce(t *testing.T) {
	stH1Only(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusContinue)
			b, _ := io.ReadAll(r.Body)
			w.Write(b)
		}), stOpts{})
		c := stDial(t, l)
		c.send("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n")
		br := c.br
		line, _ := br.ReadString('\n')
		blank, _ := br.ReadString('\n')
		if line != "HTTP/1.1 100 Continue\r\n" || blank != "\r\n" {
			t.Fatalf("first answer %q %q; want one 100 Continue", line, blank)
		}
		c.send("hi")
		line, _ = br.ReadString('\n')
		if line != "HTTP/1.1 200 OK\r\n" {
			t.Fatalf("after the body: %q; want the final response (no second 100)", line)
		}
	})
}
