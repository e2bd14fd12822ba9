// Package testbackend is a small HTTP backend for end-to-end tests, the
// demo and benchmarks: it echoes what it received as JSON, or serves a
// fixed-size body.
package testbackend

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Echo is what the backend answers on every path but /size/N.
type Echo struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   string              `json:"query"`
	Headers map[string][]string `json:"headers"`
	Body    string              `json:"body"`
	Backend string              `json:"backend"`
}

// Handler echoes requests; GET /size/N answers N bytes of 'x'; name tags
// the answer so load balancing and failover can be observed.
func Handler(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n int
		if _, err := fmt.Sscanf(r.URL.Path, "/size/%d", &n); err == nil && n >= 0 && n <= 1<<24 {
			w.Header().Set("Content-Type", "text/plain")
			w.Header().Set("X-Backend", name)
			_, _ = w.Write([]byte(strings.Repeat("x", n)))
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		e := Echo{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Headers: r.Header, Body: string(body), Backend: name}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Backend", name)
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(e)
	})
}

// Run is the command: testbackend [--addr 127.0.0.1:0] [--name N] [--ready-file F].
// It writes its base URL to the ready file once listening and stops on
// SIGINT or SIGTERM.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("testbackend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	name := fs.String("name", "backend", "name reported in X-Backend")
	ready := fs.String("ready-file", "", "write the base URL here once listening")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(stderr, "testbackend:", err)
		return 1
	}
	url := "http://" + ln.Addr().String()
	if *ready != "" {
		if err := os.WriteFile(*ready+".tmp", []byte(url), 0o644); err == nil {
			err = os.Rename(*ready+".tmp", *ready)
		}
		if err != nil {
			fmt.Fprintln(stderr, "testbackend:", err)
			return 1
		}
	}
	fmt.Fprintln(stdout, "testbackend listening on", url)
	srv := &http.Server{Handler: Handler(*name), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "testbackend:", err)
		return 1
	}
	return 0
}
