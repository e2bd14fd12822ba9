package h1

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// stEcho answers with the method, path and body it got.
func stEcho(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/bye" {
		w.Header().Set("Connection", "close")
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	fmt.Fprintf(w, "%s %s %s", r.Method, r.URL.Path, b)
}

// TestServerKeepAlive checks many requests share one connection, and
// when the connection is closed after a response.
func TestServerKeepAlive(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(stEcho), stOpts{})
		t.Run("many requests on one connection", func(t *testing.T) {
			c := stDial(t, l)
			for i := range 20 {
				body := strings.Repeat("b", i)
				r := c.roundTrip(fmt.Sprintf("POST /%d HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", i, len(body), body))
				if want := fmt.Sprintf("POST /%d %s", i, body); string(r.body) != want || r.Close {
					t.Fatalf("request %d: body %q close %v, want %q on a kept-alive connection", i, r.body, r.Close, want)
				}
			}
		})
		t.Run("client Connection: close", func(t *testing.T) {
			c := stDial(t, l)
			r := c.roundTrip("GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
			// http.ReadResponse turns a "Connection: close" header into r.Close.
			if string(r.body) != "GET /x " || !r.Close {
				t.Fatalf("body %q, Close %v; want the response to carry Connection: close", r.body, r.Close)
			}
			c.expectClosed()
		})
		t.Run("handler Connection: close", func(t *testing.T) {
			c := stDial(t, l)
			r := c.roundTrip("GET /bye HTTP/1.1\r\nHost: h\r\n\r\n")
			if string(r.body) != "GET /bye " || !r.Close {
				t.Fatalf("body %q, Close %v; want the handler's Connection: close kept", r.body, r.Close)
			}
			c.expectClosed()
		})
		t.Run("HTTP/1.0 closes by default", func(t *testing.T) {
			c := stDial(t, l)
			r := c.roundTrip("GET /old HTTP/1.0\r\n\r\n")
			if string(r.body) != "GET /old " {
				t.Fatalf("body %q", r.body)
			}
			c.expectClosed()
		})
		t.Run("HTTP/1.0 keep-alive", func(t *testing.T) {
			c := stDial(t, l)
			for i := range 3 {
				r := c.roundTrip("GET /ka HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
				if string(r.body) != "GET /ka " || r.Close {
					t.Fatalf("request %d: body %q, Close %v; want a kept-alive connection", i, r.body, r.Close)
				}
			}
		})
		t.Run("pipelining", func(t *testing.T) {
			c := stDial(t, l)
			c.send("POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc" +
				"GET /2 HTTP/1.1\r\nHost: h\r\n\r\n" +
				"POST /3 HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n")
			for _, want := range []string{"POST /1 abc", "GET /2 ", "POST /3 z"} {
				r := c.read("GET")
				if string(r.body) != want {
					t.Fatalf("pipelined response %q, want %q", r.body, want)
				}
			}
		})
	})
}
