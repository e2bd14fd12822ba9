package gateway

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pki is a throw-away CA with a server certificate for 127.0.0.1 and a
// client certificate, written as PEM files.
type pki struct {
	caFile, certFile, keyFile, clientCert, clientKey string
	pool                                             *x509.CertPool
	client                                           tls.Certificate
	server                                           tls.Certificate
}

func newPKI(t testing.TB) *pki {
	t.Helper()
	dir := t.TempDir()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mgw test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(name string, serial int64, usage x509.ExtKeyUsage) (certPEM, keyPEM []byte) {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
			KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
			IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		kb, _ := x509.MarshalECPrivateKey(key)
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := &pki{pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.caFile = write("ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}))
	sc, sk := issue("server", 2, x509.ExtKeyUsageServerAuth)
	p.certFile, p.keyFile = write("server.pem", sc), write("server.key", sk)
	p.server, _ = tls.X509KeyPair(sc, sk)
	cc, ck := issue("client", 3, x509.ExtKeyUsageClientAuth)
	p.clientCert, p.clientKey = write("client.pem", cc), write("client.key", ck)
	p.client, _ = tls.X509KeyPair(cc, ck)
	return p
}

func tlsClient(p *pki, withCert bool) *http.Client {
	tc := &tls.Config{RootCAs: p.pool}
	if withCert {
		tc.Certificates = []tls.Certificate{p.client}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tc, ForceAttemptHTTP2: true}}
}

func TestHTTPSWithHTTP2(t *testing.T) {
	p := newPKI(t)
	be := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.HTTPS.CertFile, cfg.HTTPS.KeyFile = p.certFile, p.keyFile
	gw := start(t, petstore(be.URL), cfg)
	resp, body := do(t, tlsClient(p, false), "GET", gw.https+"/petstore/v1/pet/1", nil)
	if resp.StatusCode != 200 || resp.Proto != "HTTP/2.0" {
		t.Fatalf("got %d over %s: %s", resp.StatusCode, resp.Proto, body)
	}
	e := decodeEcho(t, body)
	if e.Header.Get("X-Forwarded-Proto") != "https" || e.RequestURI != "/api/pet/1" {
		t.Errorf("backend saw proto %q at %q", e.Header.Get("X-Forwarded-Proto"), e.RequestURI)
	}
	if e.Chunked || e.Length != 0 {
		t.Errorf("a bodiless HTTP/2 GET reached the backend with a body (chunked %v, length %d)", e.Chunked, e.Length)
	}
	// HTTP/2 request bodies are streamed to an HTTP/1.1 backend.
	resp, body = do(t, tlsClient(p, false), "POST", gw.https+"/petstore/v1/pet", strings.NewReader("h2 body"))
	if e := decodeEcho(t, body); resp.StatusCode != 200 || e.Body != "h2 body" {
		t.Errorf("HTTP/2 POST: %d, backend got %q", resp.StatusCode, e.Body)
	}
	// TLS 1.1 is refused.
	old := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: p.pool, MaxVersion: tls.VersionTLS11}}}
	if _, err := old.Get(gw.https + "/health"); err == nil {
		t.Error("a TLS 1.1 client was served")
	}
	// An https-only API is served here but not on plain HTTP.
	spec := petstore(be.URL)
	spec.APIs[0].Transports = []string{"https"}
	gw2 := start(t, spec, cfg)
	if resp, _ := do(t, tlsClient(p, false), "GET", gw2.https+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 {
		t.Errorf("https-only API over https: %d", resp.StatusCode)
	}
}

func TestMutualTLS(t *testing.T) {
	p := newPKI(t)
	be := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.HTTPS.CertFile, cfg.HTTPS.KeyFile, cfg.HTTPS.ClientCAFile = p.certFile, p.keyFile, p.caFile
	gw := start(t, petstore(be.URL), cfg)
	if resp, _ := do(t, tlsClient(p, true), "GET", gw.https+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 {
		t.Errorf("with a client certificate: %d", resp.StatusCode)
	}
	if resp, err := tlsClient(p, false).Get(gw.https + "/petstore/v1/pet/1"); err == nil {
		resp.Body.Close()
		t.Errorf("served without a client certificate: %d", resp.StatusCode)
	}

	cfg.HTTPS.ClientAuth = "optional"
	gw = start(t, petstore(be.URL), cfg)
	if resp, _ := do(t, tlsClient(p, false), "GET", gw.https+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 {
		t.Errorf("optional client auth without a certificate: %d", resp.StatusCode)
	}
}

func TestBackendTLS(t *testing.T) {
	p := newPKI(t)
	be := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("secure backend"))
	}))
	be.TLS = &tls.Config{Certificates: []tls.Certificate{p.server}}
	be.StartTLS()
	t.Cleanup(be.Close)

	t.Run("verified with the configured CA", func(t *testing.T) {
		cfg := testConfig()
		cfg.Backend.CAFile = p.caFile
		gw := start(t, petstore(be.URL), cfg)
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 || body != "secure backend" {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("unknown CA is refused", func(t *testing.T) {
		gw := start(t, petstore(be.URL), testConfig())
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != 502 {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
		if !strings.Contains(gw.logs.String(), `"kind":"tls"`) {
			t.Errorf("TLS failure not logged as kind tls: %s", gw.logs.String())
		}
	})
}

func TestTLSConfigProblems(t *testing.T) {
	cfg := testConfig()
	cfg.HTTPS.CertFile, cfg.HTTPS.KeyFile = "/nonexistent/cert.pem", "/nonexistent/key.pem"
	cfg.Backend.CAFile = "/nonexistent/ca.pem"
	_, err := New(petstore("http://127.0.0.1:1"), cfg, nil)
	if err == nil {
		t.Fatal("New accepted missing TLS files")
	}
	for _, want := range []string{"backend.ca_file: cannot read /nonexistent/ca.pem: no such file or directory", "https: cannot load cert_file /nonexistent/cert.pem"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
