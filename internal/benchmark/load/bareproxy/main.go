// Command bareproxy is the floor of any net/http gateway for the load
// benchmark: an httputil.ReverseProxy with nothing else in the path. Its
// transport keeps enough idle connections for the benchmark's client
// connections, as nginx's upstream keepalive does; everything else is the
// standard library's default.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("bareproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	backend := fs.String("backend", "", "backend base `URL`, such as http://127.0.0.1:8081")
	idle := fs.Int("idle", 256, "idle connections kept per backend host")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	target, err := url.Parse(*backend)
	if err != nil || target.Scheme == "" || target.Host == "" {
		fmt.Fprintf(stderr, "bareproxy: -backend %q is not an absolute URL such as http://127.0.0.1:8081\n", *backend)
		return 2
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = *idle
	transport.MaxIdleConnsPerHost = *idle
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(target)
			r.SetXForwarded()
		},
		Transport: transport,
	}
	srv := &http.Server{Addr: *addr, Handler: proxy, ReadHeaderTimeout: 10 * time.Second}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "bareproxy: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "bareproxy: shutdown: %v\n", err)
		return 1
	}
	return 0
}
