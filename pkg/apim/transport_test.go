package apim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetriesOn503ThenSucceeds(t *testing.T) {
	f := newFakeAPIM(t)
	var n atomic.Int32
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			writeJSON(w, http.StatusServiceUnavailable, `{"code":503,"message":"busy"}`)
			return
		}
		f.policies(w, r)
	})
	c := f.client(t, nil)
	c.SetAccessToken(fakeToken)
	got, err := c.Policies(context.Background(), LevelApplication)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || n.Load() != 3 {
		t.Errorf("got %d policies after %d requests, want 4 after 3", len(got), n.Load())
	}
}

func TestPersistent5xxFailsAfterBoundedRetriesWithBackoff(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadGateway, `{"code":502,"message":"Registry is down"}`)
	})
	cfg := f.clientConfig(t, nil)
	cfg.Retries = 3
	cfg.RetryBaseDelay = 20 * time.Millisecond
	cfg.RetryMaxDelay = 40 * time.Millisecond
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAccessToken(fakeToken)
	start := time.Now()
	_, err = c.Policies(context.Background(), LevelApplication)
	elapsed := time.Since(start)
	if !errors.Is(err, ErrServer) {
		t.Fatalf("err = %v, want ErrServer", err)
	}
	if n := f.count("/api/am/admin/v0.14/throttling/policies/application"); n != 4 {
		t.Errorf("%d requests, want 1 + 3 retries", n)
	}
	for _, want := range []string{"502 Bad Gateway", "Registry is down", "4 attempts"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	// Waits are at least half of 20ms, 40ms, 40ms (capped) and at most
	// the full steps.
	if elapsed < 50*time.Millisecond {
		t.Errorf("retries took %s, want at least 50ms of backoff", elapsed)
	}
	if elapsed > 5*time.Second {
		t.Errorf("retries took %s, backoff is not bounded", elapsed)
	}
}

func TestNoRetryOn4xx(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusNotFound, http.StatusConflict} {
		f := newFakeAPIM(t)
		f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, status, `{"code":1,"message":"no"}`)
		})
		c := f.client(t, nil)
		c.SetAccessToken(fakeToken)
		_, err := c.Policies(context.Background(), LevelApplication)
		if err == nil {
			t.Fatalf("status %d: no error", status)
		}
		if n := f.count("/api/am/admin/v0.14/throttling/policies/application"); n != 1 {
			t.Errorf("status %d: %d requests, want 1", status, n)
		}
	}
}

// dropFirst closes the connection without an answer for the first n
// requests.
func dropFirst(t *testing.T, n int32, next http.HandlerFunc) http.HandlerFunc {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.Close()
			return
		}
		next(w, r)
	}
}

func TestRetriesOnDroppedConnection(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/admin/v0.14/throttling/policies/subscription", dropFirst(t, 2, f.policies))
	c := f.client(t, nil)
	c.SetAccessToken(fakeToken)
	got, err := c.Policies(context.Background(), LevelSubscription)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 || f.count("/api/am/admin/v0.14/throttling/policies/subscription") != 3 {
		t.Errorf("got %d policies after %d requests", len(got), f.count("/api/am/admin/v0.14/throttling/policies/subscription"))
	}

	// Dropping every time ends after the retries, as ErrUnreachable.
	f.handle("/oauth2/token", dropFirst(t, 100, nil))
	_, err = c.PasswordToken(context.Background(), fakeClientID, fakeClientSecret, fakeUser, fakePassword, nil)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "dropped") {
		t.Fatalf("err = %v, want ErrUnreachable about dropped connections", err)
	}
	if n := f.count("/oauth2/token"); n != 4 {
		t.Errorf("%d token requests, want 4", n)
	}
}

func TestUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	c, err := New(Config{ServerURL: "https://" + addr})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = c.Register(context.Background(), fakeUser, fakePassword)
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	want := "cannot reach the API Manager at https://" + addr + ": connection refused; check --server-url and that the server is running"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("a refused connection was retried for %s", time.Since(start))
	}
}

func TestUntrustedCertificateIsErrTLS(t *testing.T) {
	f := newFakeAPIM(t)
	c, err := New(Config{ServerURL: f.srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Register(context.Background(), fakeUser, fakePassword)
	if !errors.Is(err, ErrTLS) {
		t.Fatalf("err = %v, want ErrTLS", err)
	}
	for _, want := range []string{"not trusted", "--ca-file", "--insecure"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	if f.count("/client-registration/v0.14/register") != 0 {
		t.Error("the request reached the server over an untrusted connection")
	}
}

func TestCAFileAndInsecureTrustTheServer(t *testing.T) {
	f := newFakeAPIM(t)
	// --ca-file with the server's certificate.
	if _, err := f.client(t, nil).Register(context.Background(), fakeUser, fakePassword); err != nil {
		t.Fatalf("with --ca-file: %v", err)
	}
	// -k/--insecure.
	c, err := New(Config{ServerURL: f.srv.URL, Insecure: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Register(context.Background(), fakeUser, fakePassword); err != nil {
		t.Fatalf("with --insecure: %v", err)
	}
	// A CA file of another CA does not help.
	c, err = New(Config{ServerURL: f.srv.URL, CAFile: writeOtherCA(t)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Register(context.Background(), fakeUser, fakePassword); !errors.Is(err, ErrTLS) {
		t.Fatalf("with another CA: %v, want ErrTLS", err)
	}
}

func TestPlainHTTPOnTLSPortIsErrTLS(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	c, err := New(Config{ServerURL: strings.Replace(srv.URL, "http://", "https://", 1)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Policies(context.Background(), LevelApplication)
	if !errors.Is(err, ErrTLS) || !strings.Contains(err.Error(), "does not speak TLS") {
		t.Fatalf("err = %v, want ErrTLS saying the server does not speak TLS", err)
	}
}

func TestTimeout(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	cfg := f.clientConfig(t, nil)
	cfg.Timeout = 150 * time.Millisecond
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.SetAccessToken(fakeToken)
	start := time.Now()
	_, err = c.Policies(context.Background(), LevelApplication)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "150ms") || !strings.Contains(err.Error(), "--timeout") {
		t.Errorf("message lacks the timeout or the --timeout hint: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("took %s", d)
	}
	// On a loaded machine the 150 ms can run out before the request
	// arrives (TLS handshake under -race); what matters is no retry.
	if n := f.count("/api/am/admin/v0.14/throttling/policies/application"); n > 1 {
		t.Errorf("%d requests: timeouts must not be retried", n)
	}
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	f := newFakeAPIM(t)
	var logs logBuffer
	secrets := []string{fakePassword, fakeClientSecret, fakeToken, "r3fresh-T0KEN"}
	var errs []error
	collect := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	ctx := context.Background()

	c := f.client(t, &logs)
	login(t, c) // success path, logged at debug level
	_, err := c.APIsByLabel(ctx, "none", nil)
	collect(err)

	// A server that echoes every credential it got in its error messages.
	echo := func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		msg := r.Header.Get("Authorization") + " " + r.PostForm.Encode() + " " + r.PostForm.Get("password") + " " + r.PostForm.Get("clientSecret")
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request","error_description":`+jsonString(msg)+`}`)
	}
	f.handle("/oauth2/token", echo)
	f.handle("/client-registration/v0.14/register", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusInternalServerError, `{"code":500,"message":"failed for password `+fakePassword+`"}`)
	})
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, `{"code":900910,"message":"token `+strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")+` lacks scope"}`)
	})
	_, err = c.PasswordToken(ctx, fakeClientID, fakeClientSecret, fakeUser, fakePassword, nil)
	collect(err)
	_, err = c.Register(ctx, fakeUser, fakePassword)
	collect(err)
	_, err = c.Policies(ctx, LevelApplication)
	collect(err)
	// Transport failures.
	f.handle("/api/am/admin/v0.14/throttling/policies/subscription", dropFirst(t, 100, nil))
	_, err = c.Policies(ctx, LevelSubscription)
	collect(err)
	bad, _ := New(Config{ServerURL: f.srv.URL, Logger: c.log})
	_, err = bad.Register(ctx, fakeUser, fakePassword)
	collect(err)

	if len(errs) != 6 {
		t.Fatalf("got %d errors, want 6: %v", len(errs), errs)
	}
	for _, err := range errs {
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error contains secret %q: %v", s, err)
			}
		}
	}
	if !strings.Contains(errs[1].Error(), "***") {
		t.Errorf("the echoed secrets were not redacted: %v", errs[1])
	}
	for _, err := range errs {
		if basic := strings.TrimPrefix(basicAuth(fakeClientID, fakeClientSecret), "Basic "); strings.Contains(err.Error(), basic) {
			t.Errorf("error contains the basic credentials: %v", err)
		}
	}
	out := logs.String()
	if !strings.Contains(out, "apim request") || !strings.Contains(out, "/oauth2/token") || !strings.Contains(out, "status=") {
		t.Fatalf("no request logs: %s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("logs contain secret %q", s)
		}
	}
	// The basic credentials' base64 form must not leak either.
	if strings.Contains(out, strings.TrimPrefix(basicAuth(fakeUser, fakePassword), "Basic ")) {
		t.Error("logs contain basic credentials")
	}
}

func TestRedactOnlyWholeWords(t *testing.T) {
	for _, tc := range []struct{ in, secret, want string }{
		{"x509: certificate signed by unknown authority", "x509x", "x509: certificate signed by unknown authority"},
		{"tls: failed to verify x509", "x50", "tls: failed to verify x509"},
		{"Authentication failed for s3cr3t!", "s3cr3t", "Authentication failed for ***!"},
		{"password=s3cr3t&user=a", "s3cr3t", "password=***&user=a"},
		{"s3cr3ts3cr3t s3cr3t", "s3cr3t", "s3cr3ts3cr3t ***"},
		{"pw:p@ss w0rd.", "p@ss w0rd", "pw:***."},
	} {
		if got := redactWord(tc.in, tc.secret); got != tc.want {
			t.Errorf("redactWord(%q, %q) = %q, want %q", tc.in, tc.secret, got, tc.want)
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

func TestBackoffIsBoundedExponentialWithJitter(t *testing.T) {
	base, maxDelay := 200*time.Millisecond, 2*time.Second
	low := func(int64) int64 { return 0 }
	high := func(n int64) int64 { return n - 1 }
	wantSteps := []time.Duration{200, 400, 800, 1600, 2000, 2000}
	for attempt, step := range wantSteps {
		step *= time.Millisecond
		if got := backoff(attempt, base, maxDelay, low); got != step/2 {
			t.Errorf("attempt %d: lowest wait %s, want %s", attempt, got, step/2)
		}
		if got := backoff(attempt, base, maxDelay, high); got != step {
			t.Errorf("attempt %d: highest wait %s, want %s", attempt, got, step)
		}
	}
	for _, attempt := range []int{40, 63, 64, 1000} {
		if got := backoff(attempt, base, maxDelay, high); got > maxDelay || got <= 0 {
			t.Errorf("attempt %d: wait %s, want within (0, %s]", attempt, got, maxDelay)
		}
	}
}

func TestNewValidatesConfig(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string // part of the error; "" means valid
	}{
		{Config{ServerURL: "https://apim.example.com:9443/"}, ""},
		{Config{ServerURL: "http://127.0.0.1:9763"}, ""},
		{Config{ServerURL: "http://localhost:9763"}, ""},
		{Config{ServerURL: "http://[::1]:9763"}, ""},
		{Config{}, "--server-url"},
		{Config{ServerURL: "apim:9443"}, "not valid"},
		{Config{ServerURL: "ftp://apim:9443"}, "not valid"},
		{Config{ServerURL: "http://apim.example.com:9763"}, "https"},
		{Config{ServerURL: "https://admin:secret@apim:9443"}, "user name or password"},
		{Config{ServerURL: "https://apim:9443/?x=1"}, "query"},
		{Config{ServerURL: "https://apim:9443", RESTVersion: "0.14"}, "version"},
		{Config{ServerURL: "https://apim:9443", Timeout: -time.Second}, "negative"},
		{Config{ServerURL: "https://apim:9443", PageSize: 5000}, "page size"},
		{Config{ServerURL: "https://apim:9443", CAFile: "/nonexistent/ca.pem"}, "--ca-file"},
	} {
		_, err := New(tc.cfg)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%+v: %v", tc.cfg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%+v: err = %v, want it to mention %q", tc.cfg, err, tc.want)
		}
	}
	// The password in a URL is not echoed.
	_, err := New(Config{ServerURL: "https://admin:s3cret-in-url@apim:9443"})
	if err == nil || strings.Contains(err.Error(), "s3cret-in-url") {
		t.Errorf("err = %v", err)
	}
	// A CA file without certificates.
	path := t.TempDir() + "/empty.pem"
	if err := os.WriteFile(path, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Config{ServerURL: "https://apim:9443", CAFile: path}); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Errorf("err = %v", err)
	}
}
