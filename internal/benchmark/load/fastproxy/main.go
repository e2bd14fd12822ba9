// Command fastproxy is the floor of a fasthttp gateway for the load
// benchmark: a fasthttp server whose handler forwards every request with a
// fasthttp.HostClient, nothing else in the path. It stands beside
// bareproxy (net/http) to compare the engines themselves.
package main

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/mgwio/mgw/internal/benchmark/load/fastserve"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stderr))
}

func run(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("fastproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	backend := fs.String("backend", "", "backend base `URL`, such as http://127.0.0.1:8081")
	conns := fs.Int("conns", 256, "connections kept to the backend")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	target, err := url.Parse(*backend)
	if err != nil || target.Scheme != "http" || target.Host == "" {
		fmt.Fprintf(stderr, "fastproxy: -backend %q is not an http URL such as http://127.0.0.1:8081\n", *backend)
		return 2
	}
	client := &fasthttp.HostClient{Addr: target.Host, MaxConns: *conns, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	handler := func(ctx *fasthttp.RequestCtx) {
		req := &ctx.Request
		req.SetHost(target.Host)
		req.Header.Del("Connection")
		req.Header.Set("X-Forwarded-For", ctx.RemoteIP().String())
		if err := client.Do(req, &ctx.Response); err != nil {
			ctx.Error("backend unreachable", fasthttp.StatusBadGateway)
			return
		}
		ctx.Response.Header.Del("Connection")
	}
	srv := &fasthttp.Server{Handler: handler, ReadTimeout: 30 * time.Second, Name: "fastproxy"}
	return fastserve.Run(srv, *addr, stderr)
}
