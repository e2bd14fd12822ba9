package h1

import (
	"io"
	"net/http"
	"testing"
	"time"
)

// TestServerFlush checks Flush sends the head and the first chunk while
// the handler is still running.
func TestServerFlush(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		release := make(chan struct{})
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte("first"))
			w.(http.Flusher).Flush()
			<-release
			w.Write([]byte("second"))
		}), stOpts{})
		c := stDial(t, l)
		defer func() {
			select {
			case <-release:
			default:
				close(release)
			}
		}()
		c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		resp, err := http.ReadResponse(c.br, nil)
		if err != nil {
			t.Fatalf("no head before the handler returned: %v", err)
		}
		buf := make([]byte, 5)
		if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "first" {
			t.Fatalf("first chunk %q, %v; want \"first\" before the handler returns", buf, err)
		}
		close(release)
		rest, err := io.ReadAll(resp.Body)
		if err != nil || string(rest) != "second" {
			t.Fatalf("rest %q, %v", rest, err)
		}
	})
}

// TestServerInterimResponse checks WriteHeader(103) sends an interim
// response at once and the final one follows.
func TestServerInterimResponse(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		release := make(chan struct{})
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload")
			w.WriteHeader(http.StatusEarlyHints)
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
			w.Header().Set("X-Final", "1")
			w.Write([]byte("done"))
		}), stOpts{})
		c := stDial(t, l)
		c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		r := c.read("GET")
		if r.StatusCode != 103 || r.Header.Get("Link") != "</style.css>; rel=preload" {
			t.Fatalf("first response %d %v, want 103 with Link", r.StatusCode, r.Header)
		}
		close(release)
		r = c.read("GET")
		if r.StatusCode != 200 || r.Header.Get("X-Final") != "1" || string(r.body) != "done" {
			t.Fatalf("final response %d %v %q", r.StatusCode, r.Header, r.body)
		}
	})
}

// TestServerTrailers checks announced and TrailerPrefix trailers arrive
// after a chunked body.
func TestServerTrailers(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/announced" {
				w.Header().Set("Trailer", "X-Sum")
			}
			w.Write([]byte("payload"))
			switch r.URL.Path {
			case "/announced":
				w.Header().Set("X-Sum", "42")
			case "/prefix-flushed":
				w.(http.Flusher).Flush()
				w.Header().Set(http.TrailerPrefix+"X-Late", "late")
			case "/prefix":
				w.Header().Set(http.TrailerPrefix+"X-Late", "late")
			}
		}), stOpts{})
		c := stDial(t, l)
		cases := map[string][2]string{"/announced": {"X-Sum", "42"}, "/prefix-flushed": {"X-Late", "late"}}
		// net/http drops TrailerPrefix trailers of a small unflushed body
		// (it sends Content-Length); h1 sends them as the spec says.
		if k.name == "h1" {
			cases["/prefix"] = [2]string{"X-Late", "late"}
		}
		for path, want := range cases {
			r := c.roundTrip("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n")
			if string(r.body) != "payload" || r.bodyErr != nil {
				t.Fatalf("%s: body %q, %v", path, r.body, r.bodyErr)
			}
			if got := r.Trailer.Get(want[0]); got != want[1] {
				t.Errorf("%s: trailer %s = %q, want %q (Transfer-Encoding %v, trailers %v)",
					path, want[0], got, want[1], r.TransferEncoding, r.Trailer)
			}
		}
	})
}

// TestServerExpectContinue checks 100 Continue is sent only when the
// handler reads the body.
func TestServerExpectContinue(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		release := make(chan struct{})
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/ignore" {
				w.Write([]byte("no thanks"))
				return
			}
			<-release
			b, err := io.ReadAll(r.Body)
			if err != nil {
				http.Error(w, err.Error(), 500)
				return
			}
			w.Write(b)
		}), stOpts{})

		t.Run("handler reads", func(t *testing.T) {
			c := stDial(t, l)
			c.send("POST /read HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
			c.expectOpen(200 * time.Millisecond) // no 100 before the handler reads
			close(release)
			if r := c.read("POST"); r.StatusCode != 100 {
				t.Fatalf("status %d, want 100 Continue once the handler reads", r.StatusCode)
			}
			c.send("data")
			if r := c.read("POST"); r.StatusCode != 200 || string(r.body) != "data" || r.Close {
				t.Fatalf("final %d %q close %v", r.StatusCode, r.body, r.Close)
			}
		})
		t.Run("handler ignores the body", func(t *testing.T) {
			c := stDial(t, l)
			c.send("POST /ignore HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
			r := c.read("POST")
			if r.StatusCode != 200 || string(r.body) != "no thanks" || !r.Close {
				t.Fatalf("got %d %q close %v, want the handler's 200 with no 100 first and Connection: close",
					r.StatusCode, r.body, r.Close)
			}
			// net/http keeps reading, waiting for a body the client may
			// never send; h1 closes at once.
			if k.name == "h1" {
				c.expectClosed()
			}
		})
	})
}
