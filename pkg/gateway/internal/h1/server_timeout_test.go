package h1

import (
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

// TestServerReadHeaderTimeout checks a half-sent head is given up on.
func TestServerReadHeaderTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		rec := &stRecorder{}
		l := stStart(t, k, rec, stOpts{ReadHeaderTimeout: 200 * time.Millisecond})
		c := stDial(t, l)
		c.send("GET / HTTP/1.1\r\nHost:")
		start := time.Now()
		// The server may answer 408 or just close; it must not wait for
		// the rest of the head.
		if r, err := c.tryRead("GET"); err == nil && r.StatusCode != 408 && r.StatusCode != 400 {
			t.Errorf("status %d for a timed-out head", r.StatusCode)
		}
		c.expectClosed()
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("closed after %v with ReadHeaderTimeout 200ms", d)
		}
		if n := len(rec.all()); n != 0 {
			t.Errorf("handler ran %d times", n)
		}
	})
}

// TestServerIdleTimeout checks an idle keep-alive connection is closed.
func TestServerIdleTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, &stRecorder{}, stOpts{IdleTimeout: 200 * time.Millisecond})
		c := stDial(t, l)
		if r := c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); r.StatusCode != 200 || r.Close {
			t.Fatalf("status %d close %v", r.StatusCode, r.Close)
		}
		start := time.Now()
		c.expectClosed()
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("closed after %v with IdleTimeout 200ms", d)
		}
	})
}

// TestServerReadTimeout checks a body that arrives too slowly fails.
func TestServerReadTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		errs := make(chan error, 1)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, err := io.ReadAll(r.Body)
			errs <- err
		}), stOpts{ReadTimeout: 300 * time.Millisecond})
		c := stDial(t, l)
		c.send("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhalf-")
		if err := stWait(t, errs, 5*time.Second, "the body read to fail"); err == nil {
			t.Errorf("reading a stalled body succeeded despite ReadTimeout")
		}
	})
}

// TestServerWriteTimeout checks writes to a client that never reads
// eventually fail.
func TestServerWriteTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		errs := make(chan error, 1)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			chunk := make([]byte, 64<<10)
			for range 1024 { // 64 MiB at most
				if _, err := w.Write(chunk); err != nil {
					errs <- err
					return
				}
			}
			errs <- errors.New("wrote 64 MiB to a client that reads nothing")
		}), stOpts{WriteTimeout: 300 * time.Millisecond})
		c := stDial(t, l)
		c.send("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		// The client never reads; closing it at the end of the test
		// unblocks a server that ignores WriteTimeout.
		err := stWait(t, errs, 8*time.Second, "a write to fail")
		if err == nil || err.Error() == "wrote 64 MiB to a client that reads nothing" {
			t.Errorf("write error %v, want a timeout error", err)
		}
	})
}

// TestServerTimeoutsPerRequest checks timeouts restart with each request:
// a keep-alive connection quiet for longer than ReadHeaderTimeout,
// ReadTimeout or WriteTimeout (but within IdleTimeout) still serves its
// next request, and a fresh connection may wait before its first byte.
func TestServerTimeoutsPerRequest(t *testing.T) {
	for name, o := range map[string]stOpts{
		"ReadHeaderTimeout": {ReadHeaderTimeout: 150 * time.Millisecond},
		"ReadTimeout":       {ReadTimeout: 150 * time.Millisecond, IdleTimeout: 5 * time.Second},
		"WriteTimeout":      {WriteTimeout: 150 * time.Millisecond},
	} {
		t.Run(name, func(t *testing.T) {
			stEach(t, func(t *testing.T, k stKind) {
				l := stStart(t, k, http.HandlerFunc(stEcho), o)
				c := stDial(t, l)
				// h1's ReadHeaderTimeout starts at a head's first byte, so
				// a fresh connection may wait; net/http starts it when it
				// accepts the connection.
				if o.ReadHeaderTimeout > 0 && k.name == "h1" {
					c.expectOpen(400 * time.Millisecond)
				}
				for i := range 2 {
					if r := c.roundTrip("GET /t HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "GET /t " {
						t.Fatalf("request %d: %d %q", i, r.StatusCode, r.body)
					}
					time.Sleep(400 * time.Millisecond)
				}
			})
		})
	}
}

// TestServerIdleFallsBackToReadTimeout checks IdleTimeout 0 uses
// ReadTimeout.
func TestServerIdleFallsBackToReadTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, &stRecorder{}, stOpts{ReadTimeout: 200 * time.Millisecond})
		c := stDial(t, l)
		c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		start := time.Now()
		c.expectClosed()
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("idle connection closed after %v with ReadTimeout 200ms", d)
		}
	})
}
