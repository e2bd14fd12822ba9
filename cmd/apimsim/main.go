// Command apimsim serves a WSO2 API Manager 2.6 simulator for mgw setup,
// end-to-end tests and demos. Run apimsim -h for its flags.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mgwio/mgw/internal/apimsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := apimsim.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
