package h1

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerResponseFraming checks status line, Date and how the body is
// delimited depending on what the handler wrote.
func TestServerResponseFraming(t *testing.T) {
	big := strings.Repeat("z", 64<<10)
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/small":
				w.WriteHeader(404)
				w.Write([]byte("not here"))
			case "/big":
				w.Write([]byte(big))
			case "/date":
				w.Header().Set("Date", "Mon, 02 Jan 2006 15:04:05 GMT")
			}
		}), stOpts{})
		c := stDial(t, l)

		r := c.roundTrip("GET /small HTTP/1.1\r\nHost: h\r\n\r\n")
		if r.Proto != "HTTP/1.1" || r.Status != "404 Not Found" {
			t.Errorf("status line %q %q, want HTTP/1.1 404 Not Found", r.Proto, r.Status)
		}
		if r.Header.Get("Date") == "" {
			t.Errorf("no Date header added: %v", r.Header)
		}
		if r.ContentLength != 8 || len(r.TransferEncoding) != 0 || string(r.body) != "not here" {
			t.Errorf("small body: Content-Length %d, Transfer-Encoding %v, body %q; want Content-Length 8",
				r.ContentLength, r.TransferEncoding, r.body)
		}

		r = c.roundTrip("GET /date HTTP/1.1\r\nHost: h\r\n\r\n")
		if got := r.Header.Values("Date"); len(got) != 1 || got[0] != "Mon, 02 Jan 2006 15:04:05 GMT" {
			t.Errorf("handler-set Date became %q", got)
		}
		if r.ContentLength != 0 || len(r.body) != 0 {
			t.Errorf("empty response: Content-Length %d body %q, want 0", r.ContentLength, r.body)
		}

		r = c.roundTrip("GET /big HTTP/1.1\r\nHost: h\r\n\r\n")
		if len(r.TransferEncoding) != 1 || r.TransferEncoding[0] != "chunked" || string(r.body) != big {
			t.Errorf("big body on HTTP/1.1: Transfer-Encoding %v, %d bytes; want chunked, %d bytes",
				r.TransferEncoding, len(r.body), len(big))
		}
		if r.Close {
			t.Errorf("chunked response closed the connection")
		}

		r = c.roundTrip("GET /big HTTP/1.0\r\n\r\n")
		if r.ContentLength != -1 || len(r.TransferEncoding) != 0 || string(r.body) != big {
			t.Errorf("big body on HTTP/1.0: Content-Length %d, Transfer-Encoding %v, %d bytes; want close-delimited",
				r.ContentLength, r.TransferEncoding, len(r.body))
		}
		c.expectClosed()
	})
}

// TestServerDeclaredLength checks a handler-set Content-Length is held to.
func TestServerDeclaredLength(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		errs := make(chan error, 1)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "5")
			switch r.URL.Path {
			case "/more":
				w.Write([]byte("hello"))
				_, err := w.Write([]byte(" world"))
				errs <- err
			case "/less":
				w.Write([]byte("hel"))
			}
		}), stOpts{})

		c := stDial(t, l)
		r := c.roundTrip("GET /more HTTP/1.1\r\nHost: h\r\n\r\n")
		if string(r.body) != "hello" {
			t.Errorf("body %q, want the declared 5 bytes", r.body)
		}
		if err := stWait(t, errs, 5*time.Second, "the handler"); !errors.Is(err, http.ErrContentLength) {
			t.Errorf("writing past Content-Length: %v, want http.ErrContentLength", err)
		}
		c = stDial(t, l)
		r = c.roundTrip("GET /less HTTP/1.1\r\nHost: h\r\n\r\n")
		if r.bodyErr == nil {
			t.Errorf("short body %q read without error; want io.ErrUnexpectedEOF", r.body)
		}
		c.expectClosed()
	})
}

// TestServerBodilessResponses checks HEAD, 204 and 304 carry no body
// whatever the handler writes, so the next response parses.
func TestServerBodilessResponses(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/204":
				w.WriteHeader(204)
			case "/304":
				w.WriteHeader(304)
			case "/head-big":
				w.Write([]byte(strings.Repeat("h", 20000)))
				return
			}
			w.Write([]byte("body that must not be sent"))
		}), stOpts{})
		c := stDial(t, l)
		c.send("HEAD /head HTTP/1.1\r\nHost: h\r\n\r\n" + "HEAD /head-big HTTP/1.1\r\nHost: h\r\n\r\n" +
			"GET /204 HTTP/1.1\r\nHost: h\r\n\r\n" + "GET /304 HTTP/1.1\r\nHost: h\r\n\r\n" +
			"GET /last HTTP/1.1\r\nHost: h\r\n\r\n")
		for _, want := range []struct {
			method string
			status int
		}{{"HEAD", 200}, {"HEAD", 200}, {"GET", 204}, {"GET", 304}} {
			r := c.read(want.method)
			if r.StatusCode != want.status || len(r.body) != 0 {
				t.Fatalf("%s: status %d body %q, want %d with no body", want.method, r.StatusCode, r.body, want.status)
			}
			if len(r.TransferEncoding) != 0 && want.status != 200 {
				t.Errorf("status %d carries Transfer-Encoding %v", want.status, r.TransferEncoding)
			}
		}
		if r := c.read("GET"); r.StatusCode != 200 || string(r.body) != "body that must not be sent" {
			t.Fatalf("response after bodiless ones: %d %q; earlier body bytes leaked", r.StatusCode, r.body)
		}
	})
}

// TestServerResponseHeaderSafety checks headers cannot split a response
// and WriteHeader counts once.
func TestServerResponseHeaderSafety(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Evil", "a\r\nSet-Cookie: pwned=1")
			w.Header().Set("X-Lf", "b\nX-Injected: 1")
			w.Header()["Bad Name"] = []string{"v"}
			w.Header()["X-Name\r\nX-Injected"] = []string{"v"}
			w.WriteHeader(201)
			w.WriteHeader(500)
			w.Write([]byte("created"))
		}), stOpts{})
		c := stDial(t, l)
		r := c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if r.StatusCode != 201 || string(r.body) != "created" {
			t.Errorf("status %d body %q, want the first WriteHeader (201) to win", r.StatusCode, r.body)
		}
		if r.Header.Get("Set-Cookie") != "" || r.Header.Get("X-Injected") != "" || r.Header.Get("Bad Name") != "" {
			t.Errorf("header injection got through: %v", r.Header)
		}
		if v := r.Header.Get("X-Evil"); strings.ContainsAny(v, "\r\n") || !strings.Contains(v, "Set-Cookie: pwned=1") {
			t.Errorf("X-Evil = %q, want CR/LF replaced by spaces", v)
		}
		if v := r.Header.Get("X-Lf"); v != "b X-Injected: 1" {
			t.Errorf("X-Lf = %q, want %q", v, "b X-Injected: 1")
		}
		// The connection still frames correctly.
		if r := c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); r.StatusCode != 201 {
			t.Errorf("second request: status %d", r.StatusCode)
		}
	})
}

// TestServerNoSniffing checks h1 never invents a Content-Type. net/http
// sniffs one (text/html here); a gateway must pass on what the backend
// said and nothing else.
func TestServerNoSniffing(t *testing.T) {
	stH1Only(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("<!DOCTYPE html><html><body>hi</body></html>"))
		}), stOpts{})
		r := stDial(t, l).roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if ct, ok := r.Header["Content-Type"]; ok {
			t.Errorf("Content-Type %q was added; want none", ct)
		}
	})
}

// TestServerLargeHeadersAndSmallWrites checks a response head bigger than
// the write buffer and a body made of many tiny writes.
func TestServerLargeHeadersAndSmallWrites(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		big := strings.Repeat("v", 20000)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Big", big)
			for i := range 10000 {
				w.Write([]byte{byte('a' + i%26)})
			}
		}), stOpts{})
		c := stDial(t, l)
		for range 2 {
			r := c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
			if r.Header.Get("X-Big") != big || len(r.body) != 10000 || r.bodyErr != nil {
				t.Fatalf("X-Big %d bytes, body %d bytes, %v; want 20000 and 10000", len(r.Header.Get("X-Big")), len(r.body), r.bodyErr)
			}
			for i, b := range r.body {
				if b != byte('a'+i%26) {
					t.Fatalf("body byte %d is %q", i, b)
				}
			}
		}
	})
}
