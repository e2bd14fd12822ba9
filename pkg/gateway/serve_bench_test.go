package gateway

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
)

// rawListener serves each connection on 127.0.0.1 with serve (which
// need not close it) and returns the base URL.
func rawListener(tb testing.TB, serve func(c net.Conn)) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// rawBackend answers every request on 127.0.0.1 with a fixed 1 KiB
// response, parsing only what it must, so that a benchmark counts the
// gateway's work and not a backend's.
func rawBackend(b *testing.B) string {
	b.Helper()
	resp := []byte("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1024\r\n\r\n" + strings.Repeat("x", 1024))
	return rawListener(b, func(c net.Conn) {
		br := bufio.NewReader(c)
		for skipHead(br) == nil {
			if _, err := c.Write(resp); err != nil {
				return
			}
		}
	})
}

// skipHead reads a request or response head and discards it.
func skipHead(br *bufio.Reader) error {
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			return nil
		}
	}
}

// BenchmarkServeEngines measures one request through the whole gateway
// over real sockets, with each server engine for the plain-HTTP listener
// (and with the built-in middleware in the chain, as in a built gateway):
// a raw keep-alive client, the gateway and a raw backend on 127.0.0.1.
// allocs/op counts the gateway (server, handler and backend client) only.
func BenchmarkServeEngines(b *testing.B) {
	be := rawBackend(b)
	for _, tc := range []struct {
		name, engine string
		builtins     bool
	}{{"h1", EngineH1, false}, {"net/http", EngineNetHTTP, false}, {"h1+builtins", EngineH1, true}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := testConfig()
			cfg.Server.Engine = tc.engine
			cfg.Log.Access = false
			spec := petstore(be)
			if tc.builtins {
				// As a built gateway runs: the security middleware is in
				// the chain, the API has security off.
				cfg.Security.Enabled = true
				for i := range spec.APIs {
					spec.APIs[i].DisableSecurity = true
				}
			}
			gw := start(b, spec, cfg)
			c, err := net.Dial("tcp", gw.ls.HTTP.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			br := bufio.NewReader(c)
			req := []byte("GET /petstore/v1/pet/42 HTTP/1.1\r\nHost: gw\r\nUser-Agent: bench\r\nAccept: */*\r\n\r\n")
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Write(req); err != nil {
					b.Fatal(err)
				}
				if err := readRawResponse(br); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// readRawResponse reads a 200 response with a Content-Length body.
func readRawResponse(br *bufio.Reader) error {
	status, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		return fmt.Errorf("status line %q", status)
	}
	n := -1
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if k, v, ok := bytes.Cut(line, []byte(":")); ok && strings.EqualFold(string(k), "Content-Length") {
			n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	if n < 0 {
		return fmt.Errorf("no Content-Length")
	}
	_, err = br.Discard(n)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}
