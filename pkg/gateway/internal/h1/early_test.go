package h1

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestEarlyAnswerDuringUpload: a backend that refuses an upload by
// answering before reading it, then closing, must have its answer passed
// on, not turned into a transport error (a 502 for the gateway's client).
func TestEarlyAnswerDuringUpload(t *testing.T) {
	t.Run("raw server closing", func(t *testing.T) {
		// Answers after the head and closes at once: the unread body
		// makes the kernel reset the connection.
		url := rawServer(t, func(c net.Conn, br *bufio.Reader) {
			readHead(br)
			io.WriteString(c, "HTTP/1.1 413 Request Entity Too Large\r\nContent-Length: 8\r\nConnection: close\r\n\r\ntoo big\n")
			c.Close()
		})
		uploadExpecting413(t, url)
	})
	t.Run("net/http server", func(t *testing.T) {
		s, _ := countingServer(t, func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "too big", http.StatusRequestEntityTooLarge)
		})
		uploadExpecting413(t, s.URL)
	})
}

// uploadExpecting413 sends an 8 MiB PUT to url and wants the backend's
// early 413 "too big".
func uploadExpecting413(t *testing.T, url string) {
	t.Helper()
	body := strings.NewReader(strings.Repeat("x", 8<<20))
	req, _ := http.NewRequest("PUT", url+"/upload", io.NopCloser(body))
	req.ContentLength = int64(body.Len())
	resp, err := newTransport().RoundTrip(req)
	if err != nil {
		t.Fatalf("RoundTrip: %v; want the backend's 413", err)
	}
	defer resp.Body.Close()
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || string(got) != "too big\n" {
		t.Fatalf("got %d %q, want 413 %q", resp.StatusCode, got, "too big\n")
	}
}

// readHead reads a request head off br.
func readHead(br *bufio.Reader) {
	for {
		line, err := br.ReadString('\n')
		if err != nil || line == "\r\n" || line == "\n" {
			return
		}
	}
}
