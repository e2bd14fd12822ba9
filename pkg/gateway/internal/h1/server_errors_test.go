package h1

import (
	"strings"
	"testing"
)

// stBadRequest is a malformed request and the status it must get.
type stBadRequest struct {
	name, raw string
	status    int
}

// TestServerBadRequests checks a malformed request gets an error response
// (never reaches the handler) and the connection is closed.
func TestServerBadRequests(t *testing.T) {
	cases := []stBadRequest{
		{"request line without version", "GET /\r\nHost: h\r\n\r\n", 400},
		{"request line with extra field", "GET / HTTP/1.1 x\r\nHost: h\r\n\r\n", 400},
		{"empty method", " / HTTP/1.1\r\nHost: h\r\n\r\n", 400},
		{"garbage version", "GET / HTTX/1.1\r\nHost: h\r\n\r\n", 400},
		{"HTTP/1.1 without Host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400},
		{"two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"space in header name", "GET / HTTP/1.1\r\nHost: h\r\nBad Name: v\r\n\r\n", 400},
		{"header without colon", "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400},
		{"control char in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x01b\r\n\r\n", 400},
		{"NUL in value", "GET / HTTP/1.1\r\nHost: h\r\nX: a\x00b\r\n\r\n", 400},
		{"non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\nx", 400},
		{"negative Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400},
		{"two different Content-Lengths", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy", 400},
		{"Transfer-Encoding gzip", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"Transfer-Encoding gzip, chunked", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501},
		{"HTTP/2.0", "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505},
		{"HTTP/3.0", "GET / HTTP/3.0\r\nHost: h\r\n\r\n", 505},
		{"Expect other than 100-continue", "POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417},
		{"head over MaxHeaderBytes", "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", 431},
	}
	stEach(t, func(t *testing.T, k stKind) { stCheckBad(t, k, cases) })

	// net/http differs on these: it accepts obs-fold continuation lines
	// of later fields, and for CL+TE it drops Content-Length and reads a
	// chunked body. h1 rejects both: a gateway in front of other servers
	// must never frame a request differently from the next hop
	// (request smuggling).
	strict := []stBadRequest{
		{"obs-fold", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  folded\r\n\r\n", 400},
		{"obs-fold with tab", "GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n\tfolded\r\n\r\n", 400},
		{"Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400},
		{"Transfer-Encoding and Content-Length", "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n0\r\n\r\n", 400},
	}
	t.Run("strict", func(t *testing.T) {
		stH1Only(t, func(t *testing.T, k stKind) { stCheckBad(t, k, strict) })
	})
}

// stCheckBad sends each case on its own connection, with a valid request
// pipelined after it that must not be served.
func stCheckBad(t *testing.T, k stKind, cases []stBadRequest) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := &stRecorder{}
			l := stStart(t, k, rec, stOpts{MaxHeaderBytes: 4096})
			c := stDial(t, l)
			c.sendAsync(tc.raw + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n")
			r, err := c.tryRead("GET")
			if err != nil {
				t.Fatalf("request %q: no response: %v", clipRaw(tc.raw), err)
			}
			if r.StatusCode != tc.status {
				t.Errorf("request %q: status %d, want %d", clipRaw(tc.raw), r.StatusCode, tc.status)
			}
			if len(r.body) > 512 {
				t.Errorf("error body is %d bytes, want a short text", len(r.body))
			}
			if n := len(rec.all()); n != 0 {
				t.Errorf("request %q reached the handler %d times", clipRaw(tc.raw), n)
			}
			c.expectClosed()
		})
	}
}

// TestServerHeadLimit checks MaxHeaderBytes: a head within the limit is
// served, a larger one gets 431. net/http allows 4 KiB of slack over
// MaxHeaderBytes, so the 431 for a head just over the limit is h1 only.
func TestServerHeadLimit(t *testing.T) {
	head := func(size int) string {
		start := "GET / HTTP/1.1\r\nHost: h\r\nX-Pad: "
		return start + strings.Repeat("p", size-len(start)-4) + "\r\n\r\n"
	}
	stEach(t, func(t *testing.T, k stKind) {
		l := stStart(t, k, &stRecorder{}, stOpts{MaxHeaderBytes: 8192})
		c := stDial(t, l)
		if r := c.roundTrip(head(8000)); r.StatusCode != 200 {
			t.Errorf("8000-byte head with MaxHeaderBytes 8192: status %d, want 200", r.StatusCode)
		}
		if k.name == "h1" {
			c := stDial(t, l)
			if r := c.roundTrip(head(8300)); r.StatusCode != 431 {
				t.Errorf("8300-byte head with MaxHeaderBytes 8192: status %d, want 431", r.StatusCode)
			}
			c.expectClosed()
		}
		d := stStart(t, k, &stRecorder{}, stOpts{})
		if r := stDial(t, d).roundTrip(head(900 << 10)); r.StatusCode != 200 {
			t.Errorf("900 KiB head with the default limit: status %d, want 200", r.StatusCode)
		}
		c = stDial(t, d)
		if r := c.roundTrip(head(1100 << 10)); r.StatusCode != 431 {
			t.Errorf("1100 KiB head with the default 1 MiB limit: status %d, want 431", r.StatusCode)
		}
	})
}
