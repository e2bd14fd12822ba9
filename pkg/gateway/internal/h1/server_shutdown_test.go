package h1

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// stBlocking is a handler whose /block requests wait for release.
func stBlocking(started chan<- struct{}, release <-chan struct{}) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			started <- struct{}{}
			select {
			case <-release:
			case <-time.After(10 * time.Second):
			}
		}
		w.Write([]byte("done " + r.URL.Path))
	})
}

// TestServerShutdown checks a graceful shutdown: idle connections close
// at once, the request in flight completes with Connection: close, and
// Shutdown and Serve return once all is closed.
func TestServerShutdown(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		started, release := make(chan struct{}, 1), make(chan struct{})
		l := stStart(t, k, stBlocking(started, release), stOpts{})
		idle := stDial(t, l)
		if r := idle.roundTrip("GET /idle HTTP/1.1\r\nHost: h\r\n\r\n"); string(r.body) != "done /idle" {
			t.Fatalf("idle warm-up %q", r.body)
		}
		busy := stDial(t, l)
		busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n")
		stWait(t, started, 5*time.Second, "the handler to start")

		done := make(chan error, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			done <- l.srv.Shutdown(ctx)
		}()
		idle.c.SetDeadline(time.Now().Add(3 * time.Second))
		idle.expectClosed()
		if err := stWait(t, l.serve, 5*time.Second, "Serve to return"); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v, want http.ErrServerClosed", err)
		}
		if c, err := net.DialTimeout("tcp", l.addr, time.Second); err == nil {
			c.Close()
			t.Errorf("a new connection was accepted after Shutdown")
		}
		select {
		case err := <-done:
			t.Fatalf("Shutdown returned %v with a request in flight", err)
		case <-time.After(100 * time.Millisecond):
		}
		close(release)
		r := busy.read("GET")
		if string(r.body) != "done /block" || !r.Close {
			t.Errorf("in-flight response %q close %v, want it complete with Connection: close", r.body, r.Close)
		}
		busy.expectClosed()
		if err := stWait(t, done, 5*time.Second, "Shutdown to return"); err != nil {
			t.Errorf("Shutdown: %v, want nil", err)
		}
	})
}

// TestServerShutdownTimeout checks Shutdown gives up with ctx's error and
// Close then ends the connection in flight.
func TestServerShutdownTimeout(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		started, release := make(chan struct{}, 1), make(chan struct{})
		defer close(release)
		l := stStart(t, k, stBlocking(started, release), stOpts{})
		busy := stDial(t, l)
		busy.send("GET /block HTTP/1.1\r\nHost: h\r\n\r\n")
		stWait(t, started, 5*time.Second, "the handler to start")

		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		if err := l.srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown returned %v, want context.DeadlineExceeded", err)
		}
		busy.expectOpen(50 * time.Millisecond)
		if err := l.srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		busy.c.SetDeadline(time.Now().Add(3 * time.Second))
		if r, err := busy.tryRead("GET"); err == nil {
			t.Errorf("got a response %d %q after Close, want the connection closed", r.StatusCode, r.body)
		}
	})
}

// TestServerCloseIdle checks Close ends idle connections and Serve.
func TestServerCloseIdle(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, &stRecorder{}, stOpts{})
		c := stDial(t, l)
		c.roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		if err := l.srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		c.c.SetDeadline(time.Now().Add(3 * time.Second))
		c.expectClosed()
		if err := stWait(t, l.serve, 5*time.Second, "Serve to return"); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v, want http.ErrServerClosed", err)
		}
	})
}

// TestServerShutdownUnderLoad checks Shutdown while clients keep sending:
// every response a client gets is complete, Shutdown returns nil and
// Serve http.ErrServerClosed.
func TestServerShutdownUnderLoad(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(stEcho), stOpts{})
		var wg sync.WaitGroup
		stop := make(chan struct{})
		var served atomic.Int64
		for i := range 20 {
			c := stDial(t, l)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					body := fmt.Sprintf("c%d-%d", i, n)
					if _, err := fmt.Fprintf(c.c, "POST /l HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", len(body), body); err != nil {
						return // closed by the shutdown
					}
					r, err := c.tryRead("POST")
					if err != nil {
						return // closed by the shutdown
					}
					if r.bodyErr != nil || string(r.body) != "POST /l "+body {
						t.Errorf("conn %d: response %q, %v during shutdown", i, r.body, r.bodyErr)
						return
					}
					served.Add(1)
					if r.Close {
						return
					}
				}
			}()
		}
		time.Sleep(200 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := l.srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		close(stop)
		wg.Wait()
		if err := stWait(t, l.serve, 5*time.Second, "Serve to return"); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v", err)
		}
		if served.Load() == 0 {
			t.Errorf("no request was served before the shutdown")
		}
	})
}

// TestServerStopTwice checks Close and Shutdown may be called again, in
// any order, and Serve after a shutdown returns http.ErrServerClosed.
func TestServerStopTwice(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, &stRecorder{}, stOpts{})
		stDial(t, l).roundTrip("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := l.srv.Shutdown(ctx); err != nil {
			t.Errorf("first Shutdown: %v", err)
		}
		if err := l.srv.Shutdown(ctx); err != nil {
			t.Errorf("second Shutdown: %v", err)
		}
		l.srv.Close()
		l.srv.Close()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		served := make(chan error, 1)
		go func() { served <- l.srv.Serve(ln) }()
		if err := stWait(t, served, 5*time.Second, "Serve after Shutdown to return"); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve after Shutdown: %v, want http.ErrServerClosed", err)
		}
	})
}
