// Command gen fills internal/runtimedeps/modules with the module zips the
// gateway runtime (pkg/gateway) needs and a manifest of them, taken from
// the Go module cache (downloading through GOPROXY when missing). mgw
// embeds that folder; see internal/runtimedeps. go generate runs it:
//
//	go generate ./internal/runtimedeps
//
// Files are rewritten only when their content changes, so an up-to-date
// tree causes no rebuild.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "runtimedeps/gen:", err)
		os.Exit(1)
	}
}
