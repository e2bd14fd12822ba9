package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitReady polls url until it answers 200, p exits, or timeout passes.
func waitReady(ctx context.Context, p *Proc, url string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	var last string
	for {
		if done, _ := p.Exited(); done {
			return errExited(p)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", p.Name, err)
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = resp.Status
		} else {
			last = err.Error()
		}
		select {
		case <-ctx.Done():
			if tail := p.LogTail(); tail != "" {
				return fmt.Errorf("%s did not answer 200 on %s within %v (last: %s); its last output:\n%s", p.Name, url, timeout, last, indent(tail))
			}
			return fmt.Errorf("%s did not answer 200 on %s within %v (last: %s)", p.Name, url, timeout, last)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// checkTarget makes sure the target answers 200 with exactly body bytes, so a
// target that routes wrongly is not measured as fast.
func checkTarget(ctx context.Context, t Target, body int) error {
	method, url := http.MethodGet, t.URL
	var reqBody io.Reader
	if t.Post != nil {
		method, reqBody = http.MethodPost, bytes.NewReader(t.Post)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, reqBody)
	if err != nil {
		return err
	}
	if t.Post != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range t.Headers {
		if k, v, ok := strings.Cut(h, ":"); ok {
			req.Header.Set(k, strings.TrimSpace(v))
		}
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(body)+4096))
	if err != nil {
		return fmt.Errorf("%s %s: reading the body: %w", method, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		snippet := data
		if len(snippet) > 200 {
			snippet = snippet[:200]
		}
		return fmt.Errorf("%s %s answered %s (%q); it does not reach the backend's /size/%d", method, url, resp.Status, snippet, body)
	}
	if len(data) != body {
		return fmt.Errorf("%s %s answered %d bytes, want %d", method, url, len(data), body)
	}
	return nil
}
