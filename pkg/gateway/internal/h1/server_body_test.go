package h1

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerUnreadBody checks a small unread body is drained so the
// connection stays usable, and a big one closes the connection.
func TestServerUnreadBody(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "unread "+r.URL.Path)
		}), stOpts{})
		for _, tc := range []struct {
			name      string
			size      int
			keepAlive bool
		}{
			{"10 KiB content-length", 10 << 10, true},
			{"200 KiB content-length", 200 << 10, true},
			{"4 MiB content-length", 4 << 20, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := stDial(t, l)
				go c.sendAsyncIgnoringErrors(fmt.Sprintf("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", tc.size, strings.Repeat("u", tc.size)) +
					"GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
				r := c.read("POST")
				if string(r.body) != "unread /a" {
					t.Fatalf("first response %d %q", r.StatusCode, r.body)
				}
				if tc.keepAlive {
					if r2 := c.read("GET"); string(r2.body) != "unread /b" {
						t.Fatalf("next request on the connection: %d %q; the unread body was not drained", r2.StatusCode, r2.body)
					}
					return
				}
				if !r.Close {
					t.Errorf("response to a request with a big unread body lacks Connection: close")
				}
				c.expectClosed()
			})
		}
		t.Run("1 MiB chunked", func(t *testing.T) {
			c := stDial(t, l)
			go c.sendAsyncIgnoringErrors("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
				strings.Repeat("4000\r\n"+strings.Repeat("c", 0x4000)+"\r\n", 64) + "0\r\n\r\n" +
				"GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
			if r := c.read("POST"); string(r.body) != "unread /a" {
				t.Fatalf("first response %q", r.body)
			}
			c.expectClosed()
		})
		t.Run("chunked", func(t *testing.T) {
			c := stDial(t, l)
			c.send("POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n" +
				"GET /b HTTP/1.1\r\nHost: h\r\n\r\n")
			if r := c.read("POST"); string(r.body) != "unread /a" {
				t.Fatalf("first response %q", r.body)
			}
			r2, err := c.tryRead("GET")
			if err != nil || string(r2.body) != "unread /b" {
				t.Fatalf("request after a small unread chunked body: %v; the body was not drained (connection closed)", err)
			}
		})
	})
}

// TestServerTruncatedBody checks a client closing mid-body makes the
// handler's read fail instead of ending in a silent short EOF.
func TestServerTruncatedBody(t *testing.T) {
	for _, tc := range []struct{ name, raw string }{
		{"content-length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nonly this"},
		{"chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n64\r\nonly this"},
		{"chunked without last chunk", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stEach(t, func(t *testing.T, k stKind) {
				errs := make(chan error, 1)
				l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					_, err := io.ReadAll(r.Body)
					errs <- err
				}), stOpts{})
				c := stDial(t, l)
				c.send(tc.raw)
				c.c.CloseWrite()
				if err := stWait(t, errs, 5*time.Second, "the handler's read"); err == nil {
					t.Errorf("request %q: truncated body read without error", tc.raw)
				}
			})
		})
	}
}

// sendAsyncIgnoringErrors writes raw, ignoring errors: the server may
// close the connection before reading all of it.
func (s *stConn) sendAsyncIgnoringErrors(raw string) {
	io.WriteString(s.c, raw)
}
