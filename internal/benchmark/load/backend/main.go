// Command backend is the load benchmark's backend: the test backend of
// internal/testbackend as its own process, so that the load generator,
// the proxy and the backend do not share a Go runtime.
package main

import (
	"context"
	"os"

	"github.com/mgwio/mgw/internal/testbackend"
)

func main() {
	os.Exit(testbackend.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
