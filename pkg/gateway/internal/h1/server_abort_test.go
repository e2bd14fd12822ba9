package h1

import (
	"io"
	"log"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerPanics checks a handler panic closes only its connection, is
// logged unless it is http.ErrAbortHandler, and the server keeps serving.
func TestServerPanics(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		logs := &stLogBuf{}
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/abort":
				w.Write([]byte("partial"))
				panic(http.ErrAbortHandler)
			case "/boom":
				panic("boom-7f3a")
			}
			w.Write([]byte("fine"))
		}), stOpts{ErrorLog: log.New(logs, "", 0)})

		bystander := stDial(t, l)
		if r := bystander.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "fine" {
			t.Fatalf("warm-up: %q", r.body)
		}
		for _, path := range []string{"/abort", "/boom"} {
			c := stDial(t, l)
			c.send("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n")
			// The head may or may not have gone out; a complete 2xx
			// response must not.
			if r, err := c.tryRead("GET"); err == nil && r.bodyErr == nil && r.StatusCode < 500 {
				t.Errorf("%s: a panicking handler produced a complete %d response %q", path, r.StatusCode, r.body)
			}
			c.expectClosed()
		}
		deadline := time.Now().Add(3 * time.Second)
		for !strings.Contains(logs.String(), "boom-7f3a") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if got := logs.String(); !strings.Contains(got, "boom-7f3a") {
			t.Errorf("panic not logged; log: %q", got)
		}
		if got := logs.String(); strings.Contains(got, http.ErrAbortHandler.Error()) {
			t.Errorf("http.ErrAbortHandler was logged: %q", got)
		}
		if r := bystander.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "fine" {
			t.Fatalf("other connection after the panics: %q", r.body)
		}
		if r := stDial(t, l).roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "fine" {
			t.Fatalf("new connection after the panics: %q", r.body)
		}
	})
}

// TestServerClientGone checks closing the client connection cancels the
// request context, and pipelined bytes sent during a slow handler are
// served afterwards.
func TestServerClientGone(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		started := make(chan struct{}, 4)
		cancelled := make(chan time.Duration, 1)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/wait":
				if _, err := io.ReadAll(r.Body); err != nil {
					http.Error(w, err.Error(), 400)
					return
				}
				started <- struct{}{}
				select {
				case <-r.Context().Done():
					cancelled <- 0
				case <-time.After(10 * time.Second):
					cancelled <- 10 * time.Second
				}
			case "/slow":
				started <- struct{}{}
				time.Sleep(300 * time.Millisecond)
				w.Write([]byte("slow"))
			default:
				w.Write([]byte("next"))
			}
		}), stOpts{})

		for name, raw := range map[string]string{
			"context cancelled":                 "GET /wait HTTP/1.1\r\nHost: h\r\n\r\n",
			"context cancelled after body read": "POST /wait HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc",
		} {
			t.Run(name, func(t *testing.T) {
				c := stDial(t, l)
				c.send(raw)
				stWait(t, started, 5*time.Second, "the handler to start")
				c.c.Close()
				if d := stWait(t, cancelled, 12*time.Second, "the handler"); d != 0 {
					t.Fatalf("r.Context() not cancelled after the client closed")
				}
			})
		}
		// A client may send all its requests and half-close (printf | nc -N):
		// the EOF after buffered requests is not a client gone away.
		t.Run("pipelined then half-closed", func(t *testing.T) {
			c := stDial(t, l)
			c.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\nGET /next HTTP/1.1\r\nHost: h\r\n\r\n")
			c.c.CloseWrite()
			stWait(t, started, 5*time.Second, "the handler to start")
			for _, want := range []string{"slow", "next"} {
				r, err := c.tryRead("GET")
				if err != nil || string(r.body) != want {
					t.Fatalf("want response %q, got %v; a half-close after pipelined requests dropped them", want, err)
				}
			}
		})
		t.Run("pipelined during slow handler", func(t *testing.T) {
			c := stDial(t, l)
			c.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n")
			stWait(t, started, 5*time.Second, "the handler to start")
			c.send("GET /next HTTP/1.1\r\nHost: h\r\n\r\n")
			if r := c.read("GET"); string(r.body) != "slow" {
				t.Fatalf("first response %q", r.body)
			}
			if r := c.read("GET"); string(r.body) != "next" {
				t.Fatalf("second response %q; the pipelined request was lost", r.body)
			}
		})
	})
}

// TestServerPanicWithoutErrorLog checks a nil ErrorLog discards the panic
// report instead of failing on it.
func TestServerPanicWithoutErrorLog(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/boom" {
				panic("boom")
			}
			w.Write([]byte("fine"))
		}), stOpts{})
		c := stDial(t, l)
		c.send("GET /boom HTTP/1.1\r\nHost: h\r\n\r\n")
		c.expectClosed()
		if r := stDial(t, l).roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "fine" {
			t.Fatalf("after the panic: %q", r.body)
		}
	})
}
