package gateway

import (
	"crypto/tls"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// forwardProxy is an HTTP proxy on 127.0.0.1 that records what it was
// asked for: absolute-form requests it forwards, CONNECT tunnels it
// opens. It wants the Proxy-Authorization of user:password when set.
type forwardProxy struct {
	url   string
	mu    sync.Mutex
	seen  []string
	auths []string
}

func newForwardProxy(t *testing.T, user, password string) *forwardProxy {
	p := &forwardProxy{}
	want := ""
	if user != "" {
		want = "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
	}
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.auths = append(p.auths, r.Header.Get("Proxy-Authorization"))
		if r.Method == http.MethodConnect {
			p.seen = append(p.seen, "CONNECT "+r.Host)
		} else {
			p.seen = append(p.seen, r.Method+" "+r.RequestURI)
		}
		p.mu.Unlock()
		if r.Header.Get("Proxy-Authorization") != want {
			w.WriteHeader(http.StatusProxyAuthRequired)
			return
		}
		if r.Method == http.MethodConnect {
			p.tunnel(w, r)
			return
		}
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.Header.Del("Proxy-Authorization")
		resp, err := tr.RoundTrip(out)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	p.url = srv.URL
	return p
}

// tunnel joins the client to r.Host for a CONNECT request.
func (p *forwardProxy) tunnel(w http.ResponseWriter, r *http.Request) {
	up, err := net.Dial("tcp", r.Host)
	if err != nil {
		w.WriteHeader(http.StatusBadGateway)
		return
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		return
	}
	io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() { io.Copy(up, brw); up.Close() }()
	io.Copy(conn, up)
	conn.Close()
}

func (p *forwardProxy) requests() ([]string, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.seen...), append([]string(nil), p.auths...)
}

func TestBackendProxy(t *testing.T) {
	be := echoBackend(t, "prod")
	proxy := newForwardProxy(t, "gw", "pr0xy-s3cret")
	withCreds := strings.Replace(proxy.url, "http://", "http://gw:pr0xy-s3cret@", 1)

	t.Run("plain backend through the proxy", func(t *testing.T) {
		cfg := testConfig()
		cfg.Backend.ProxyURL = Secret(withCreds)
		gw := start(t, petstore(be.URL), cfg)
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/7?x=1", nil)
		if resp.StatusCode != 200 || decodeEcho(t, body).RequestURI != "/api/pet/7?x=1" {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		seen, _ := proxy.requests()
		if len(seen) == 0 || seen[len(seen)-1] != "GET "+be.URL+"/api/pet/7?x=1" {
			t.Errorf("the proxy saw %v; want the absolute-form request", seen)
		}
		if strings.Contains(gw.logs.String(), "pr0xy-s3cret") {
			t.Error("the proxy password is in the logs")
		}
	})
	t.Run("no_proxy hosts are reached directly", func(t *testing.T) {
		before, _ := proxy.requests()
		cfg := testConfig()
		cfg.Backend.ProxyURL = Secret(withCreds)
		cfg.Backend.NoProxy = []string{"example.com", "127.0.0.0/8"}
		gw := start(t, petstore(be.URL), cfg)
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/7", nil); resp.StatusCode != 200 {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		if after, _ := proxy.requests(); len(after) != len(before) {
			t.Errorf("the proxy saw %v for a no_proxy backend", after[len(before):])
		}
	})
	t.Run("HTTPS backend through a CONNECT tunnel", func(t *testing.T) {
		p := newPKI(t)
		tlsBE := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, "secure backend")
		}))
		tlsBE.TLS = &tls.Config{Certificates: []tls.Certificate{p.server}}
		tlsBE.StartTLS()
		t.Cleanup(tlsBE.Close)
		cfg := testConfig()
		cfg.Backend.ProxyURL = Secret(withCreds)
		cfg.Backend.CAFile = p.caFile
		gw := start(t, petstore(tlsBE.URL), cfg)
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil); resp.StatusCode != 200 || body != "secure backend" {
			t.Fatalf("got %d %s", resp.StatusCode, body)
		}
		seen, auths := proxy.requests()
		if seen[len(seen)-1] != "CONNECT "+strings.TrimPrefix(tlsBE.URL, "https://") || auths[len(auths)-1] == "" {
			t.Errorf("the proxy saw %v (authorization %q); want an authenticated CONNECT", seen, auths[len(auths)-1])
		}
	})
	t.Run("wrong credentials give 502", func(t *testing.T) {
		cfg := testConfig()
		cfg.Backend.ProxyURL = Secret(strings.Replace(proxy.url, "http://", "http://gw:wrong@", 1))
		gw := start(t, petstore(be.URL), cfg)
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/7", nil)
		if resp.StatusCode != 502 || !strings.Contains(body, "101503") {
			t.Errorf("got %d %s; want 502 (fault 101503), not the proxy's 407", resp.StatusCode, body)
		}
		if !strings.Contains(gw.logs.String(), "refused the gateway's credentials") {
			t.Errorf("the log does not say the proxy refused: %s", gw.logs.String())
		}
	})
}

func TestBackendProxyConfig(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	_, err := LoadConfig(spec, "", []string{"MGW_BACKEND_PROXY_URL=ftp://user:hunter2@proxy:21", "MGW_BACKEND_NO_PROXY=ok.example, bad host!"})
	got := strings.Join(problems(t, err), "\n")
	for _, want := range []string{
		`MGW_BACKEND_PROXY_URL (backend.proxy_url): scheme "ftp" is not supported; use http:// or https://`,
		`MGW_BACKEND_NO_PROXY (backend.no_proxy): item 2: "bad host!" is not a host, domain, address or CIDR`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "hunter2") {
		t.Error("a problem shows the proxy password")
	}
	file := writeFile(t, "gw.yaml", "backend:\n  proxy_url: http://u:p@proxy:3128\n")
	_, err = LoadConfig(spec, file, nil)
	if got := strings.Join(problems(t, err), "\n"); !strings.Contains(got, "MGW_BACKEND_PROXY_URL") {
		t.Errorf("a proxy URL in a file: %s; want it refused, pointing at MGW_BACKEND_PROXY_URL", got)
	}

	p, err := newOutboundProxy(BackendConfig{ProxyURL: "http://proxy:3128", NoProxy: []string{".corp.example", "10.0.0.0/8", "::1"}})
	if err != nil {
		t.Fatal(err)
	}
	for host, direct := range map[string]bool{
		"api.corp.example": true, "corp.example": true, "xcorp.example": false, "10.2.3.4": true,
		"11.0.0.1": false, "[::1]": true, "API.CORP.EXAMPLE.": true, "backend.example.com": false,
	} {
		if got := p.bypasses(host); got != direct {
			t.Errorf("bypasses(%q) = %v, want %v", host, got, direct)
		}
	}
}
