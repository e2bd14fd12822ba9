package apimsim

import (
	"net/http"
	"strconv"
	"sync"
	"time"
)

// flakyFailures is how many list requests of the "flaky" label fail.
const flakyFailures = 2

// unavailableBody is what a proxy in front of API Manager answers while the
// server is down.
const unavailableBody = "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n" +
	"<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n"

// faultState counts the requests of the misbehaving labels, per server.
type faultState struct {
	mu      sync.Mutex
	flaky   int
	dropped bool
}

// flakyFails reports whether this flaky request must fail, counting it.
func (f *faultState) flakyFails() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.flaky++
	return f.flaky <= flakyFailures
}

// dropOnce reports whether this is the first drop request.
func (f *faultState) dropOnce() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	first := !f.dropped
	f.dropped = true
	return first
}

// misbehave applies the special behaviour of a label to a list request and
// reports whether the request has been answered (or abandoned).
func (s *Server) misbehave(w http.ResponseWriter, r *http.Request, label string) bool {
	switch label {
	case labelFlaky:
		if s.faults.flakyFails() {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("Content-Length", strconv.Itoa(len(unavailableBody)))
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte(unavailableBody))
			return true
		}
	case labelDrop:
		if s.faults.dropOnce() {
			dropConnection(w)
			return true
		}
	case labelSlow:
		timer := time.NewTimer(s.opts.SlowDelay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			// Abort rather than return: a normal return answers 200 with
			// an empty body, which a client whose deadline races the
			// cancellation can read as a malformed answer instead of
			// its timeout.
			panic(http.ErrAbortHandler)
		}
	}
	return false
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not hijackable (HTTP/2): abort the stream instead.
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
