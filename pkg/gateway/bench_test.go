package gateway

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway/internal/pathnorm"
)

// bigSpec has apis APIs with resources operations each, spread over
// literal and parameter segments.
func bigSpec(apis, resources int, url string) *Spec {
	spec := &Spec{Label: "bench"}
	for a := range apis {
		api := API{
			Name: fmt.Sprintf("api%d", a), Version: "1.0", BasePath: fmt.Sprintf("/svc%d/v1", a),
			Production: &Endpoint{URLs: []string{url}},
		}
		for r := range resources {
			api.Resources = append(api.Resources,
				Resource{Path: fmt.Sprintf("/group%d/item%d/{id}", r/10, r), Method: "GET"})
		}
		spec.APIs = append(spec.APIs, api)
	}
	return spec
}

// BenchmarkRouter shows that lookup cost does not grow with the number of
// routes: compare the 10 and 10,000 resource cases.
func BenchmarkRouter(b *testing.B) {
	for _, n := range []struct{ apis, resources int }{{1, 10}, {1, 10000}, {100, 100}} {
		b.Run(fmt.Sprintf("apis=%d/resources=%d", n.apis, n.resources), func(b *testing.B) {
			rt, problems := buildRouter(bigSpec(n.apis, n.resources, "http://127.0.0.1:1"))
			if len(problems) > 0 {
				b.Fatal(problems)
			}
			last := n.resources - 1
			path := fmt.Sprintf("/svc%d/v1/group%d/item%d/42", n.apis-1, last/10, last)
			var segs [16]string
			b.ReportAllocs()
			for b.Loop() {
				norm, err := pathnorm.Normalize(path, segs[:0])
				if err != nil {
					b.Fatal(err)
				}
				if _, ms, _, outcome := rt.find(norm); outcome != findOK || ms.get("GET") == nil {
					b.Fatal("no match")
				}
			}
		})
	}
}

// discardWriter is a reusable ResponseWriter for handler benchmarks.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// benchServe serves GET url (from 127.0.0.1) through h for each round of
// b, reusing one request and a discarding writer; every answer must be
// 200. prepare, when not nil, readies the request before each round (for
// headers the gateway consumes).
func benchServe(b *testing.B, h http.Handler, url string, prepare func(*http.Request)) {
	b.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.RemoteAddr = "127.0.0.1:50000"
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		if prepare != nil {
			prepare(req)
		}
		h.ServeHTTP(w, req)
		if w.status != 200 {
			b.Fatalf("status %d", w.status)
		}
	}
}

// BenchmarkProxy sends a request with a 1 KiB response through the
// gateway handler to a real backend on 127.0.0.1 (kept alive), so
// allocs/op counts the gateway and the backend client, not a client.
func BenchmarkProxy(b *testing.B) {
	payload := bytes.Repeat([]byte("x"), 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Write(payload)
	})
	for _, tc := range []struct{ mw, access bool }{{false, false}, {true, false}, {false, true}} {
		b.Run(fmt.Sprintf("middleware=%v/accesslog=%v", tc.mw, tc.access), func(b *testing.B) {
			cfg := testConfig()
			cfg.Log.Access = tc.access
			g, err := New(petstore(be.URL), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				b.Fatal(err)
			}
			if tc.mw {
				g.Use(func(next http.Handler) http.Handler { return next })
			}
			benchServe(b, g.Handler(), "http://gw/petstore/v1/pet/42", nil)
		})
	}
}

// BenchmarkReverseProxyBaseline is bare httputil.ReverseProxy in the same
// harness as BenchmarkProxy, the floor the gateway is compared with.
func BenchmarkReverseProxyBaseline(b *testing.B) {
	payload := bytes.Repeat([]byte("x"), 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	target, _ := url.Parse(be.URL)
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.URL.Path = strings.TrimPrefix(pr.In.URL.Path, "/petstore/v1")
			pr.SetXForwarded()
		},
		Transport: &http.Transport{MaxIdleConnsPerHost: 256, DisableCompression: true},
	}
	req, _ := http.NewRequest("GET", "http://gw/petstore/v1/pet/42", nil)
	req.RemoteAddr = "127.0.0.1:50000"
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		rp.ServeHTTP(w, req)
	}
}

// BenchmarkProxyParallel measures requests per second over real sockets:
// a keep-alive client, the gateway and a backend, all on 127.0.0.1.
func BenchmarkProxyParallel(b *testing.B) {
	payload := bytes.Repeat([]byte("x"), 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { w.Write(payload) })
	gw := start(b, petstore(be.URL), testConfig())
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	c := &http.Client{Transport: tr}
	url := gw.http + "/petstore/v1/pet/42"
	var fails atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(8)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := c.Get(url)
			if err != nil {
				fails.Add(1)
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	if fails.Load() > 0 {
		b.Fatalf("%d requests failed", fails.Load())
	}
}

// BenchmarkStartup measures the time from New to serving (the gateway is
// ready and has answered a health check), for a small and a large label.
func BenchmarkStartup(b *testing.B) {
	for _, n := range []struct{ apis, resources int }{{1, 10}, {200, 50}} {
		b.Run(fmt.Sprintf("apis=%d/resources=%d", n.apis, n.resources), func(b *testing.B) {
			spec := bigSpec(n.apis, n.resources, "http://127.0.0.1:1")
			cfg := testConfig()
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			for b.Loop() {
				g, err := New(spec, cfg, nil)
				if err != nil {
					b.Fatal(err)
				}
				ls, err := g.Listen()
				if err != nil {
					b.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() { done <- g.Serve(ctx, ls) }()
				resp, err := c.Get("http://" + ls.HTTP.Addr().String() + "/health")
				if err != nil {
					b.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if !strings.Contains(string(body), "healthy") {
					b.Fatalf("health: %s", body)
				}
				b.StopTimer()
				cancel()
				<-done
				b.StartTimer()
			}
		})
	}
}
