package apimsim

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitForFile polls for a non-empty file.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if data, err := os.ReadFile(path); err == nil && len(data) > 0 {
			return string(data)
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s was not written", path)
	return ""
}

func TestRunServesTLSWithCertFileAndStops(t *testing.T) {
	dir := t.TempDir()
	ready, certFile, analytics := filepath.Join(dir, "ready"), filepath.Join(dir, "apim.pem"), filepath.Join(dir, "usage")
	ctx, cancel := context.WithCancel(t.Context())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--addr", "127.0.0.1:0", "--ready-file", ready, "--cert-out", certFile,
			"--analytics-dir", analytics, "--token-ttl", "90s"}, &stdout, &stderr)
	}()
	base := waitForFile(t, ready)
	if !strings.HasPrefix(base, "https://127.0.0.1:") || strings.ContainsAny(base, "\n ") {
		t.Fatalf("ready file = %q", base)
	}

	// A client that trusts only the written certificate, as --ca-file does,
	// reaches the server by IP and by the name localhost.
	pemData, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatalf("cert file is not PEM: %s", pemData)
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	s := &sim{t: t, base: base, hc: hc}
	tok := s.login("admin", "admin", "apim:api_view")
	if tok.ExpiresIn != 90 {
		t.Errorf("expires_in = %d, want the --token-ttl", tok.ExpiresIn)
	}
	localhost := &sim{t: t, base: strings.Replace(base, "127.0.0.1", "localhost", 1), hc: hc}
	resp, body := localhost.get(publisherBase+"/apis?query=label:demo", tok.AccessToken)
	wantStatus(t, resp, body, http.StatusOK)
	if _, err := http.Get(base + "/oauth2/token"); err == nil {
		t.Error("a client without the certificate connected")
	}
	resp, body = s.do(uploadRequest(t, base, "file", "u.zip", usageZip(t, "x")))
	wantStatus(t, resp, body, http.StatusCreated)
	if _, err := os.Stat(filepath.Join(analytics, "u.zip")); err != nil {
		t.Errorf("--analytics-dir: %v", err)
	}

	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit code %d; stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop")
	}
	log := stderr.String()
	if !strings.Contains(log, "GET /api/am/publisher/v0.14/apis?query=label:demo 200") {
		t.Errorf("no access log line for the list request:\n%s", log)
	}
	for _, secret := range []string{"admin:admin", tok.AccessToken, "password="} {
		if strings.Contains(log, secret) {
			t.Errorf("log contains %q:\n%s", secret, log)
		}
	}
	if !strings.Contains(stdout.String(), "listening on "+base) {
		t.Errorf("stdout = %q", stdout.String())
	}
}

func TestRunPlainHTTP(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--addr", "127.0.0.1:0", "--http", "--ready-file", ready}, &syncBuffer{}, &syncBuffer{})
	}()
	base := waitForFile(t, ready)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("ready file = %q", base)
	}
	resp, err := http.Get(base + publisherBase + "/apis")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("status %d", resp.StatusCode)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit code %d", code)
	}
}

func TestRunUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--nope"}, exitUsage, "flag provided but not defined"},
		{[]string{"extra"}, exitUsage, `unexpected argument "extra"`},
		{[]string{"--token-ttl", "-1s"}, exitUsage, "--token-ttl must be positive"},
		{[]string{"--fixtures", "/does/not/exist"}, exitUsage, "is not a folder"},
		{[]string{"--addr", "256.0.0.1:1"}, exitError, "listen"},
		{[]string{"--apim-version", "5.0"}, exitUsage, "--apim-version: API Manager version \"5.0\" is not supported"},
		{[]string{"-h"}, exitOK, "Usage: apimsim"},
	} {
		var stderr syncBuffer
		code := Run(t.Context(), tc.args, &syncBuffer{}, &stderr)
		if code != tc.code || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: code %d, stderr %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.want)
		}
	}
	bad := t.TempDir()
	var stderr syncBuffer
	if code := Run(t.Context(), []string{"--fixtures", bad}, &syncBuffer{}, &stderr); code != exitError || !strings.Contains(stderr.String(), "users.json") {
		t.Errorf("empty fixtures folder: code %d, %q", code, stderr.String())
	}
}
