package h1

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// TestServerConcurrentConnections runs 50 connections of 200 requests
// with bodies at once and checks every answer.
func TestServerConcurrentConnections(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	const conns, reqs = 50, 200
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, http.HandlerFunc(stEcho), stOpts{})
		var wg sync.WaitGroup
		for ci := range conns {
			c := stDial(t, l)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range reqs {
					body := fmt.Sprintf("conn %d req %d", ci, i)
					raw := fmt.Sprintf("POST /p%d HTTP/1.1\r\nHost: h\r\nContent-Length: %d\r\n\r\n%s", i, len(body), body)
					if i%3 == 0 {
						raw = fmt.Sprintf("POST /p%d HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n", i, len(body), body)
					}
					c.sendAsync(raw)
					r, err := c.tryRead("POST")
					if err != nil {
						t.Errorf("conn %d request %d: %v", ci, i, err)
						return
					}
					if want := fmt.Sprintf("POST /p%d %s", i, body); string(r.body) != want {
						t.Errorf("conn %d request %d: got %q, want %q", ci, i, r.body, want)
						return
					}
				}
			}()
		}
		wg.Wait()
	})
}
