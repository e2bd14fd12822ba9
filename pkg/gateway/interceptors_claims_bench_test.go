package gateway

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// BenchmarkSecuredInterceptors sends a JWT-secured request (cached token)
// through the gateway handler to a real backend on 127.0.0.1, without
// interceptors and with request and response interceptors that do not
// look at the caller's claims (what every secured request pays), and with
// a request interceptor that reads one claim (what decoding costs).
func BenchmarkSecuredInterceptors(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	be := backend(b, func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, payload) })
	key := rsaTestKey(b)
	cfg := secured(writePublicKey(b, key.Public()))
	tok := "Bearer " + signJWT(b, "RS256", key, nil, apimClaims(map[string]any{"department": "sales"}))
	nop := func(*intercept.Request) *intercept.Response { return nil }
	for _, tc := range []struct {
		name string
		req  intercept.RequestFunc
	}{
		{"none", nil},
		{"not-reading-claims", nop},
		{"reads-claim", func(req *intercept.Request) *intercept.Response {
			if d, _ := req.Auth.ClaimString("department"); d != "sales" {
				return intercept.Text(500, "department "+d)
			}
			return nil
		}},
	} {
		b.Run("interceptors="+tc.name, func(b *testing.B) {
			spec := pizzaSpec(be.URL, be.URL)
			if tc.req != nil {
				spec.Interceptors = func() intercept.Set {
					return intercept.Set{
						Request:  map[string]intercept.RequestFunc{"req": tc.req},
						Response: map[string]intercept.ResponseFunc{"res": func(*intercept.Response) {}},
					}
				}
				res := &spec.APIs[0].Resources[1] // GET /menu
				res.RequestInterceptor, res.ResponseInterceptor = "req", "res"
			}
			g, err := New(spec, cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				b.Fatal(err)
			}
			benchServe(b, g.Handler(), "http://gw/pizzashack/1.0.0/menu", func(req *http.Request) {
				req.Header.Set("Authorization", tok) // security removes it
			})
		})
	}
}
