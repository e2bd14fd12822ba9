// Package fastserve runs a fasthttp server for the load benchmark's
// fasthttp programs (fastproxy, fastgw) until SIGINT or SIGTERM.
package fastserve

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/valyala/fasthttp"
)

// Run serves srv on addr until a signal asks it to stop (exit code 0) or
// serving fails (1, the error written to stderr after the server's Name).
func Run(srv *fasthttp.Server, addr string, stderr io.Writer) int {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", srv.Name, err)
		return 1
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "%s: %v\n", srv.Name, err)
		return 1
	case <-ctx.Done():
		_ = srv.Shutdown()
		return 0
	}
}
