package h1

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServerAnswerBeforeUpload: a handler that answers without reading a
// large upload gets its answer to the client every time, although the
// connection then closes with the client still sending (the server
// lingers instead of resetting the connection under the answer).
func TestServerAnswerBeforeUpload(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}), stOpts{})
		c := &http.Client{Transport: &http.Transport{}}
		defer c.CloseIdleConnections()
		for i := range 10 {
			resp, err := c.Post("http://"+l.addr+"/up", "application/octet-stream", strings.NewReader(strings.Repeat("x", 8<<20)))
			if err != nil {
				t.Fatalf("upload %d: %v; want the handler's 413", i, err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 413 || string(body) != "too large\n" {
				t.Fatalf("upload %d: %d %q", i, resp.StatusCode, body)
			}
		}
	})
}
