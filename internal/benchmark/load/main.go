// Command load compares, under the same wrk load and all on 127.0.0.1, the
// backend alone, nginx as a reverse proxy, a bare httputil.ReverseProxy
// and the gateway mgw builds: requests/s, p50 and p99 latency, peak RSS
// and each ratio to nginx, against the targets of issue 4. make bench
// runs it. It exits 0 when every target was measured (goals missed or
// not), 1 when a tool is missing or a measurement failed, 2 on bad flags.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}
