// Command mgw turns an API Manager label into a self-contained API gateway.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mgwio/mgw/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
