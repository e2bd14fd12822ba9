package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// interceptSpec is petstore with interceptors: API-level ones, and
// resources that name their own.
func interceptSpec(url string) *Spec {
	s := petstore(url)
	a := &s.APIs[0]
	a.RequestInterceptor, a.ResponseInterceptor = "addHeader", "stamp"
	for i := range a.Resources {
		r := &a.Resources[i]
		switch {
		case r.Method == "POST" && r.Path == "/pet":
			r.RequestInterceptor = "upperBody"
		case r.Method == "PUT" && r.Path == "/pet":
			r.RequestInterceptor = "answer"
		case r.Method == "DELETE":
			r.RequestInterceptor = "boom"
		case r.Path == "/pet/findByStatus":
			r.ResponseInterceptor = "rewrite"
		case r.Path == "/admin":
			r.ResponseInterceptor = "boomResponse"
		}
	}
	s.Interceptors = func() intercept.Set { return testInterceptors }
	return s
}

// testInterceptors are the functions interceptSpec names.
var testInterceptors = intercept.Set{
	Request: map[string]intercept.RequestFunc{
		"addHeader": func(req *intercept.Request) *intercept.Response {
			req.Header.Set("X-Intercepted", req.API+"/"+req.APIVersion+" "+req.Resource)
			req.RawQuery = "added=1"
			return nil
		},
		"upperBody": func(req *intercept.Request) *intercept.Response {
			b, err := req.ReadBody()
			if err != nil {
				return intercept.Text(400, err.Error())
			}
			req.SetBody([]byte(strings.ToUpper(string(b)) + "!"))
			return nil
		},
		"answer": func(req *intercept.Request) *intercept.Response {
			res := intercept.JSON(http.StatusTeapot, map[string]string{"answered": req.Method})
			res.Header.Set("Connection", "x-secret") // hop-by-hop: never sent
			return res
		},
		"boom": func(req *intercept.Request) *intercept.Response { panic("interceptor bug") },
	},
	Response: map[string]intercept.ResponseFunc{
		"stamp": func(res *intercept.Response) { res.Header.Set("X-Stamp", res.Request.RequestID) },
		"rewrite": func(res *intercept.Response) {
			b, err := res.ReadBody()
			if err != nil {
				res.Status = 502
				return
			}
			var e echo
			if json.Unmarshal(b, &e) != nil {
				res.Status = 502
				return
			}
			res.Status = http.StatusAccepted
			_ = res.SetJSON(map[string]string{"uri": e.RequestURI, "seen": e.Header.Get("X-Intercepted")})
		},
		"boomResponse": func(res *intercept.Response) { panic(errors.New("response bug")) },
	},
}

func TestInterceptors(t *testing.T) {
	be := echoBackend(t, "be")
	gw := start(t, interceptSpec(be.URL), testConfig())
	c := client()

	t.Run("request header and query changed, response stamped", func(t *testing.T) {
		resp, body := do(t, c, "GET", gw.http+"/petstore/v1/pet/42?x=1", nil)
		var e echo
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d, body %s", resp.StatusCode, body)
		}
		if got := e.Header.Get("X-Intercepted"); got != "PetStore/1.0.0 /pet/{petId}" {
			t.Errorf("backend saw X-Intercepted %q", got)
		}
		if e.RequestURI != "/api/pet/42?added=1" {
			t.Errorf("backend saw %q", e.RequestURI)
		}
		if resp.Header.Get("X-Stamp") != resp.Header.Get("X-Request-Id") || resp.Header.Get("X-Stamp") == "" {
			t.Errorf("X-Stamp %q, request id %q", resp.Header.Get("X-Stamp"), resp.Header.Get("X-Request-Id"))
		}
	})
	t.Run("request body replaced with a new length", func(t *testing.T) {
		resp, body := do(t, c, "POST", gw.http+"/petstore/v1/pet", strings.NewReader(`{"name":"rex"}`))
		var e echo
		if err := json.Unmarshal([]byte(body), &e); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d, body %s", resp.StatusCode, body)
		}
		if e.Body != `{"NAME":"REX"}!` || e.Length != int64(len(e.Body)) || e.Chunked {
			t.Errorf("backend got body %q, length %d, chunked %v", e.Body, e.Length, e.Chunked)
		}
	})
	t.Run("early answer without the backend", func(t *testing.T) {
		resp, body := do(t, c, "PUT", gw.http+"/petstore/v1/pet", strings.NewReader("x"))
		if resp.StatusCode != http.StatusTeapot || body != `{"answered":"PUT"}` {
			t.Fatalf("status %d, body %q", resp.StatusCode, body)
		}
		if resp.Header.Get("X-Backend") != "" || resp.Header.Get("X-Stamp") != "" {
			t.Errorf("backend or response interceptor ran: %v", resp.Header)
		}
		if resp.Header.Get("Content-Type") != "application/json" || resp.ContentLength != int64(len(body)) {
			t.Errorf("headers %v", resp.Header)
		}
	})
	t.Run("response rewritten", func(t *testing.T) {
		resp, body := do(t, c, "GET", gw.http+"/petstore/v1/pet/findByStatus", nil)
		if resp.StatusCode != http.StatusAccepted || resp.ContentLength != int64(len(body)) {
			t.Fatalf("status %d, length %d, body %q", resp.StatusCode, resp.ContentLength, body)
		}
		if body != `{"seen":"PetStore/1.0.0 /pet/findByStatus","uri":"/api/pet/findByStatus?added=1"}` {
			t.Errorf("body %s", body)
		}
	})
	for _, path := range []string{"DELETE /petstore/v1/pet/1", "GET /petstore/v1/admin"} {
		t.Run("panic in "+path, func(t *testing.T) {
			m, p, _ := strings.Cut(path, " ")
			resp, body := do(t, c, m, gw.http+p, nil)
			if resp.StatusCode != 500 || !strings.Contains(body, `"code":101500`) {
				t.Fatalf("status %d, body %s", resp.StatusCode, body)
			}
			// The gateway goes on serving.
			resp, _ = do(t, c, "GET", gw.http+"/petstore/v1/pet/42", nil)
			if resp.StatusCode != 200 {
				t.Fatalf("next request: status %d", resp.StatusCode)
			}
		})
	}
	logs := gw.logs.String()
	for _, want := range []string{`"msg":"interceptor panicked"`, `"interceptor":"boom"`, `"panic":"interceptor bug"`, `"interceptor":"boomResponse"`, "interceptors_test.go"} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestInterceptorBodyLimit(t *testing.T) {
	be := echoBackend(t, "be")
	cfg := testConfig()
	cfg.Server.MaxBodyBytes = 8
	spec := interceptSpec(be.URL)
	gw := start(t, spec, cfg)
	// Chunked, so only reading finds it too large.
	resp, body := do(t, client(), "POST", gw.http+"/petstore/v1/pet", io.MultiReader(strings.NewReader("0123456789abcdef")))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, body %s", resp.StatusCode, body)
	}
}

// TestLimitedBodyAllocs: reading a body for interceptors allocates
// nothing per read, and a body over the limit is still noticed.
func TestLimitedBodyAllocs(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 1024)
	buf := make([]byte, 256)
	rd := bytes.NewReader(data)
	lb := &limitedBody{r: io.NopCloser(rd)}
	if n := testing.AllocsPerRun(100, func() {
		rd.Reset(data)
		for {
			if _, err := lb.Read(buf); err != nil {
				break
			}
		}
	}); n != 0 {
		t.Errorf("%v allocations per body, want 0", n)
	}
	if lb.over {
		t.Error("a body within the limit marked over it")
	}
	over := &limitedBody{r: http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(bytes.NewReader(data)), 8)}
	_, _ = io.Copy(io.Discard, over)
	if !over.over {
		t.Error("a body over the limit not marked")
	}
}

func TestInterceptorMissing(t *testing.T) {
	spec := interceptSpec("http://127.0.0.1:1")
	spec.APIs[0].Resources[7].RequestInterceptor = "nope"
	_, err := New(spec, testConfig(), slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), `resource DELETE /pet/{petId}: request interceptor "nope" is not among the interceptors this gateway was built with`) {
		t.Fatalf("err = %v", err)
	}
}

// BenchmarkProxyInterceptors shows that routes without interceptors pay
// nothing for the feature (compare interceptors=none with BenchmarkProxy)
// and what a route with a trivial request and response interceptor costs.
func BenchmarkProxyInterceptors(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) })
	for _, mode := range []string{"none", "other-routes", "this-route"} {
		b.Run("interceptors="+mode, func(b *testing.B) {
			spec := petstore(be.URL)
			if mode != "none" {
				spec.Interceptors = func() intercept.Set {
					return intercept.Set{
						Request:  map[string]intercept.RequestFunc{"nop": func(*intercept.Request) *intercept.Response { return nil }},
						Response: map[string]intercept.ResponseFunc{"nop": func(*intercept.Response) {}},
					}
				}
				res := &spec.APIs[0].Resources[1] // /admin
				if mode == "this-route" {
					res = &spec.APIs[0].Resources[6] // /pet/{petId}
				}
				res.RequestInterceptor, res.ResponseInterceptor = "nop", "nop"
			}
			g, err := New(spec, testConfig(), slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			benchServe(b, g.Handler(), "http://gw/petstore/v1/pet/42", nil)
		})
	}
}
