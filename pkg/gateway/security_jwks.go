package gateway

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/jwt"
)

// maxJWKSBytes bounds a JWKS document.
const maxJWKSBytes = 1 << 20

// jwksSource holds the keys of one JWKS URL: fetched at start, refreshed
// in the background every jwt.jwks_refresh_interval, and when a token
// names an unknown kid (at most once per interval).
type jwksSource struct {
	url      string
	client   *http.Client
	interval time.Duration
	keys     atomic.Pointer[[]jwt.Key]
	mu       sync.Mutex // serialises fetches
	lastKid  time.Time  // last fetch for an unknown kid
	g        *Gateway
}

// newJWKSSource fetches url once; failure is a start-up error.
func newJWKSSource(g *Gateway, url string, cfg *Config) (*jwksSource, error) {
	client, err := securityClient(cfg.KeyManager.CAFile, cfg.KeyManager.Timeout)
	if err != nil {
		return nil, err
	}
	s := &jwksSource{url: url, client: client, interval: cfg.JWT.JWKSRefreshInterval, g: g}
	keys, err := s.fetch(context.Background())
	if err != nil {
		return nil, err
	}
	s.keys.Store(&keys)
	g.OnServe(s.run)
	return s, nil
}

// securityClient is an HTTP client for key servers, trusting caFile in
// addition to the system roots.
func securityClient(caFile string, timeout time.Duration) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, fmt.Errorf("key_manager.ca_file: cannot read %s: %s", caFile, pathErr(err))
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("key_manager.ca_file: %s holds no PEM certificate", caFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: timeout}, nil
}

func (s *jwksSource) current() []jwt.Key { return *s.keys.Load() }

func (s *jwksSource) fetch(ctx context.Context) ([]jwt.Key, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", s.url, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", s.url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("JWKS %s: status %s", s.url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", s.url, err)
	}
	if len(data) > maxJWKSBytes {
		return nil, fmt.Errorf("JWKS %s: document larger than %d bytes", s.url, maxJWKSBytes)
	}
	keys, err := jwt.ParseJWKS(data)
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", s.url, err)
	}
	return keys, nil
}

// refresh fetches the keys; on failure the old keys stay.
func (s *jwksSource) refresh(ctx context.Context) {
	keys, err := s.fetch(ctx)
	if err != nil {
		s.g.log.Warn("JWKS refresh failed; keeping the previous keys", "error", err.Error())
		return
	}
	s.keys.Store(&keys)
}

// refreshFor refreshes the keys for an unknown kid, at most once per
// interval (concurrent callers wait for one fetch), and reports whether
// the key set now has it.
func (s *jwksSource) refreshFor(kid string) bool {
	if kid == "" {
		return false
	}
	has := func() bool {
		for _, k := range s.current() {
			if k.ID == kid {
				return true
			}
		}
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if has() {
		return true // another request fetched it meanwhile
	}
	if !s.lastKid.IsZero() && time.Since(s.lastKid) < s.interval {
		return false
	}
	s.lastKid = time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), s.client.Timeout)
	defer cancel()
	s.refresh(ctx)
	return has()
}

// run refreshes periodically while the gateway serves.
func (s *jwksSource) run(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.mu.Lock()
			s.refresh(ctx)
			s.mu.Unlock()
		}
	}
}
