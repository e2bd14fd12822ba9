package apimsim

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/mgwio/mgw/pkg/apim"
)

// Server is an API Manager simulator.
type Server struct {
	opts    Options
	cat     *catalog
	tokens  *tokenStore
	clients *clientStore
	faults  *faultState
	uploads *uploadStore
	modern  *modernState // 3.x and 4.x only
	handler http.Handler

	mu      sync.Mutex
	srv     *http.Server
	url     string
	certPEM []byte
	stop    context.CancelFunc // cancels in-flight requests and the ctx watcher
	closed  bool
}

// New loads the fixtures and returns a server that is not listening yet; use
// Handler to mount it or Start to serve it.
func New(opts Options) (*Server, error) {
	opts = opts.withDefaults()
	if v, err := apim.ParseVersion(string(opts.Version)); err != nil || v != opts.Version {
		return nil, fmt.Errorf("API Manager version %q: use %q, %q or %q", opts.Version, apim.V26, apim.V3, apim.V4)
	}
	fixtures := opts.Fixtures
	if fixtures == nil {
		fixtures = DefaultFixtures()
	}
	cat, err := loadCatalog(fixtures, opts.HostilePolicies)
	if err != nil {
		return nil, fmt.Errorf("load fixtures: %w", err)
	}
	if opts.Backend != "" {
		cat.rewriteBackends(opts.Backend)
	}
	s := &Server{
		opts:    opts,
		cat:     cat,
		tokens:  newTokenStore(opts.TokenTTL, opts.Now),
		clients: newClientStore(),
		faults:  &faultState{},
		uploads: &uploadStore{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", s.handleToken)
	mux.HandleFunc("POST /analytics/v1.0/usage/upload-file", s.handleUpload)
	if opts.Version == apim.V26 {
		mux.HandleFunc("POST /client-registration/v0.14/register", s.handleRegister)
		mux.Handle("GET /api/am/publisher/v0.14/apis", s.requireScope(scopeAPIView, s.handleListAPIs))
		mux.Handle("GET /api/am/publisher/v0.14/apis/{apiId}", s.requireScope(scopeAPIView, s.handleGetAPI))
		mux.Handle("GET /api/am/publisher/v0.14/apis/{apiId}/swagger", s.requireScope(scopeAPIView, s.handleGetSwagger))
		mux.Handle("GET /api/am/admin/v0.14/throttling/policies/{level}", s.requireScope(scopeTierView, s.handlePolicies))
		mux.Handle("GET /api/am/admin/v0.14/throttling/policies/advanced/{policyId}", s.requireScope(scopeTierView, s.handleAdvancedPolicy))
		mux.Handle("GET /api/am/admin/v0.14/throttling/blacklist", s.requireScope(scopeBlacklistView, s.handleBlacklist))
	} else {
		if s.modern, err = newModernState(cat, opts.Version); err != nil {
			return nil, fmt.Errorf("render the %s payloads: %w", opts.Version.Product(), err)
		}
		s.routeModern(mux)
	}
	s.handler = accessLog(opts.Log, mux)
	return s, nil
}

// Handler returns the simulator's HTTP handler.
func (s *Server) Handler() http.Handler {
	return s.handler
}

// Start listens on Options.Addr and serves HTTPS with a fresh self-signed
// certificate (plain HTTP with Options.PlainHTTP) until Close is called or
// ctx is done. It returns the base URL, e.g. https://127.0.0.1:40123.
func (s *Server) Start(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil || s.closed {
		return "", errors.New("apimsim: server already started")
	}
	ln, err := net.Listen("tcp", s.opts.Addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", s.opts.Addr, err)
	}
	scheme := "http"
	if !s.opts.PlainHTTP {
		cert, certPEM, err := selfSignedCert(time.Now())
		if err != nil {
			_ = ln.Close()
			return "", fmt.Errorf("create TLS certificate: %w", err)
		}
		if s.opts.CertOut != "" {
			if err := os.WriteFile(s.opts.CertOut, certPEM, 0o644); err != nil {
				_ = ln.Close()
				return "", fmt.Errorf("write certificate: %w", err)
			}
		}
		s.certPEM = certPEM
		// API Manager 2.6 (Tomcat) speaks HTTP/1.1 only.
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"http/1.1"}})
		scheme = "https"
	}
	base, stop := context.WithCancel(context.Background())
	s.stop = stop
	s.srv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return base },
		ErrorLog:          log.New(s.opts.Log, "apimsim: ", 0),
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	s.url = scheme + "://" + ln.Addr().String()
	srv := s.srv
	go func() { _ = srv.Serve(ln) }()
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-base.Done():
		}
	}()
	return s.url, nil
}

// URL returns the base URL Start returned, or "" before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// CertPEM returns the server certificate in PEM form (nil before Start or
// with PlainHTTP); clients trust it as a CA.
func (s *Server) CertPEM() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.certPEM
}

// Client returns an HTTP client that trusts the server's certificate.
func (s *Server) Client() *http.Client {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr}
}

// Close stops the server, aborting requests in flight (a "slow" request
// returns at once). It is safe to call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	srv, stop, already := s.srv, s.stop, s.closed
	s.closed = true
	s.mu.Unlock()
	if srv == nil || already {
		return nil
	}
	stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
