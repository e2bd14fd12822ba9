package apimsim

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// accessLog writes one line per request to out: time, client, method, path
// with query (secret parameters redacted), status, size and duration.
func accessLog(out io.Writer, next http.Handler) http.Handler {
	var mu sync.Mutex
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		defer func() {
			status := fmt.Sprint(rec.status)
			switch {
			case rec.hijacked:
				status = "dropped"
			case rec.status == 0:
				status = "aborted"
			}
			mu.Lock()
			defer mu.Unlock()
			_, _ = fmt.Fprintf(out, "%s %s %s %s %s %dB %s\n", start.UTC().Format(time.RFC3339), r.RemoteAddr, r.Method,
				redactedURI(r.URL), status, rec.size, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}

// redactedURI renders path and query with the values of parameters whose
// name suggests a secret replaced by "***".
func redactedURI(u *url.URL) string {
	if u.RawQuery == "" {
		return u.EscapedPath()
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, p := range parts {
		k, _, found := strings.Cut(p, "=")
		lk := strings.ToLower(k)
		if found && (strings.Contains(lk, "token") || strings.Contains(lk, "secret") || strings.Contains(lk, "password")) {
			parts[i] = k + "=***"
		}
	}
	return u.EscapedPath() + "?" + strings.Join(parts, "&")
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status   int
	size     int
	hijacked bool
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.size += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Hijack takes over the connection (the "drop" label).
func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(r.ResponseWriter).Hijack()
	if err == nil {
		r.hijacked = true
	}
	return conn, rw, err
}
