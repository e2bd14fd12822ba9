package redis

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in               string
		addr, user, pass string
		db               int
		tls              bool
	}{
		{"redis://localhost", "localhost:6379", "", "", 0, false},
		{"redis://:s3cret@10.0.0.1:7000/2", "10.0.0.1:7000", "", "s3cret", 2, false},
		{"redis://alice:s3cret@h:1", "h:1", "alice", "s3cret", 0, false},
		{"redis://s3cret@h", "h:6379", "", "s3cret", 0, false},
		{"rediss://h:6380", "h:6380", "", "", 0, true},
	} {
		o, err := ParseURL(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if o.Addr != tc.addr || o.Username != tc.user || o.Password != tc.pass || o.DB != tc.db || (o.TLS != nil) != tc.tls {
			t.Errorf("%s: got %+v", tc.in, o)
		}
	}
	for _, bad := range []string{"http://h", "redis://", "redis://:pw@h:99999", "redis://:pw@h/x", "redis://:pw@h?db=1", "redis://:pw@h:1/%zz"} {
		_, err := ParseURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
			continue
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: error shows the password: %v", bad, err)
		}
	}
}

func TestReadReply(t *testing.T) {
	in := "+OK\r\n-ERR bad\r\n:42\r\n$5\r\nhe\r\no\r\n$-1\r\n*2\r\n:1\r\n$1\r\nx\r\n*-1\r\n"
	r := bufio.NewReader(strings.NewReader(in))
	want := []Reply{
		{Kind: '+', Str: "OK"}, {Kind: '-', Str: "ERR bad"}, {Kind: ':', Int: 42},
		{Kind: '$', Str: "he\r\no"}, {Kind: '$', Nil: true},
		{Kind: '*', Elems: []Reply{{Kind: ':', Int: 1}, {Kind: '$', Str: "x"}}}, {Kind: '*', Nil: true},
	}
	for i, w := range want {
		got, err := ReadReply(r)
		if err != nil {
			t.Fatalf("reply %d: %v", i, err)
		}
		if got.Kind != w.Kind || got.Str != w.Str || got.Int != w.Int || got.Nil != w.Nil || len(got.Elems) != len(w.Elems) {
			t.Errorf("reply %d = %+v, want %+v", i, got, w)
		}
	}
	for _, bad := range []string{"", "?x\r\n", ":x\r\n", "$3\r\nab\r\n", "$9999999999\r\n", "*2\r\n:1\r\n", "+OK\n", "$2\r\nabXY"} {
		if _, err := ReadReply(bufio.NewReader(strings.NewReader(bad))); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func FuzzReadReply(f *testing.F) {
	for _, s := range []string{"+OK\r\n", "-ERR x\r\n", ":1\r\n", "$3\r\nabc\r\n", "$-1\r\n", "*1\r\n*1\r\n:1\r\n", "*-1\r\n", "$1\r\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bufio.NewReader(strings.NewReader(string(data)))
		rep, err := ReadReply(r)
		if err != nil {
			return
		}
		// A decoded reply re-encodes to a prefix of what was read.
		if rep.Kind == '$' && !rep.Nil && !strings.Contains(string(data), rep.Str) {
			t.Fatalf("bulk %q not in input", rep.Str)
		}
	})
}

func TestIncrExpireAgainstRedis(t *testing.T) {
	srv := redistest.Start(t, "pa55")
	opts, err := ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := New(opts, 4, time.Second)
	defer c.Close()
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	// The first call finds no cached script and falls back to EVAL.
	if v, err := c.IncrExpire(ctx, []byte("k"), 3, time.Minute); err != nil || v != 3 {
		t.Fatalf("first = %d, %v", v, err)
	}
	if v, err := c.IncrExpire(ctx, []byte("k"), 2, time.Minute); err != nil || v != 5 {
		t.Fatalf("second = %d, %v", v, err)
	}
	rep, err := c.Do(ctx, []byte("PTTL"), []byte("k"))
	if err != nil || rep.Int <= 0 || rep.Int > 60_000 {
		t.Fatalf("PTTL = %+v, %v; want an expiry within a minute", rep, err)
	}
	// After SCRIPT FLUSH EVALSHA fails with NOSCRIPT and EVAL is used again.
	if _, err := c.Do(ctx, []byte("SCRIPT"), []byte("FLUSH")); err != nil {
		t.Fatal(err)
	}
	if v, err := c.IncrExpire(ctx, []byte("k"), 1, time.Minute); err != nil || v != 6 {
		t.Fatalf("after flush = %d, %v", v, err)
	}
	// Expiry really happens.
	if _, err := c.IncrExpire(ctx, []byte("short"), 1, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if v, err := c.IncrExpire(ctx, []byte("short"), 1, time.Minute); err != nil || v != 1 {
		t.Fatalf("expired key = %d, %v; want a fresh counter", v, err)
	}
}

func TestWrongPasswordIsClearAndSecret(t *testing.T) {
	srv := redistest.Start(t, "right-one")
	c := New(Options{Addr: srv.Addr(), Password: "wrong-one"}, 1, time.Second)
	defer c.Close()
	err := c.Ping(context.Background())
	if err == nil || !strings.Contains(err.Error(), "authenticating") || strings.Contains(err.Error(), "wrong-one") {
		t.Fatalf("error = %v", err)
	}
	c2 := New(Options{Addr: srv.Addr()}, 1, time.Second)
	defer c2.Close()
	var re *Error
	if err := c2.Ping(context.Background()); !errors.As(err, &re) || !strings.HasPrefix(re.Msg, "NOAUTH") {
		t.Fatalf("no password: %v", err)
	}
}

func TestConcurrentIncrementsAreExact(t *testing.T) {
	srv := redistest.Start(t, "")
	c := New(Options{Addr: srv.Addr()}, 8, 5*time.Second)
	defer c.Close()
	const limit, callers = 50, 1000
	var passed atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, err := c.IncrExpire(context.Background(), []byte("exact"), 1, time.Minute)
			if err != nil {
				t.Error(err)
				return
			}
			if v <= limit {
				passed.Add(1)
			}
		}()
	}
	wg.Wait()
	if passed.Load() != limit {
		t.Fatalf("%d passed, want %d", passed.Load(), limit)
	}
}

func TestDownServerFailsFastAndRecovers(t *testing.T) {
	srv := redistest.Start(t, "")
	c := New(Options{Addr: srv.Addr()}, 2, 300*time.Millisecond)
	defer c.Close()
	ctx := context.Background()
	if err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	start := time.Now()
	if err := c.Ping(ctx); err == nil {
		t.Fatal("ping to a stopped server succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("failure took %v; the timeout is 300ms", d)
	}
	srv.Restart()
	var err error
	for i := 0; i < 3; i++ { // a pooled connection may be stale once
		if err = c.Ping(ctx); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
}

func TestClosedClient(t *testing.T) {
	c := New(Options{Addr: "127.0.0.1:1"}, 1, time.Second)
	c.Close()
	if err := c.Ping(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://h", "redis://:pw@h:1/2", "rediss://u:pw@h", "redis://pw@h", "http://h", "redis://:pw@[::1]:6379/0", "redis://h:0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseURL(s)
		if err != nil {
			// Errors never echo a password the URL may hold.
			if i := strings.Index(s, "://:"); i >= 0 {
				if at := strings.LastIndex(s, "@"); at > i+4 {
					pw := s[i+4 : at]
					if len(pw) >= 6 && strings.Contains(err.Error(), pw) {
						t.Fatalf("error %q shows the password %q", err, pw)
					}
				}
			}
			return
		}
		if o.Addr == "" || o.DB < 0 {
			t.Fatalf("accepted %q as %+v", s, o)
		}
	})
}

// selfSigned writes a certificate for 127.0.0.1 and its key as PEM files
// and returns their paths and a pool trusting the certificate.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "redis-test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

func TestTLS(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	srv := redistest.StartTLS(t, "tls-pw", certFile, keyFile, &tls.Config{RootCAs: pool})
	opts, err := ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	// Without trusting the certificate the handshake fails.
	c := New(opts, 1, time.Second)
	if err := c.Ping(context.Background()); err == nil || !strings.Contains(err.Error(), "TLS handshake") {
		t.Fatalf("untrusted certificate: %v", err)
	}
	c.Close()
	opts.TLS.RootCAs = pool
	c = New(opts, 1, time.Second)
	defer c.Close()
	if v, err := c.IncrExpire(context.Background(), []byte("t"), 7, time.Minute); err != nil || v != 7 {
		t.Fatalf("over TLS: %d, %v", v, err)
	}
}

func TestPoolTimeoutIsNotAnOutage(t *testing.T) {
	srv := redistest.Start(t, "")
	c := New(Options{Addr: srv.Addr()}, 1, time.Second)
	defer c.Close()
	ctx := context.Background()
	// Hold the only connection with a blocking command.
	done := make(chan error, 1)
	go func() {
		_, err := c.Do(ctx, []byte("BLPOP"), []byte("nothing"), []byte("0.4"))
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	err := c.Ping(short)
	if !errors.Is(err, ErrPoolTimeout) {
		t.Fatalf("busy pool: %v, want ErrPoolTimeout", err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("after the busy call: %v", err)
	}
}
