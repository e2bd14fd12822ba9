package gateway

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/h1"
)

// Listeners are the sockets the gateway serves; either may be nil.
// HTTPS is a plain TCP listener: Serve adds TLS.
type Listeners struct {
	HTTP  net.Listener
	HTTPS net.Listener
}

// Addrs returns the bound addresses by listener name ("http", "https").
func (l Listeners) Addrs() map[string]string {
	out := map[string]string{}
	if l.HTTP != nil {
		out["http"] = l.HTTP.Addr().String()
	}
	if l.HTTPS != nil {
		out["https"] = l.HTTPS.Addr().String()
	}
	return out
}

// server is what Serve needs of http.Server and h1.Server.
type server interface {
	Serve(net.Listener) error
	Shutdown(context.Context) error
	Close() error
}

// ErrGraceExpired reports a shutdown whose in-flight requests did not
// finish within server.shutdown_grace; their connections were closed.
var ErrGraceExpired = errors.New("shutdown grace period expired; remaining connections were closed")

// Listen binds the configured listeners: HTTP unless disabled, HTTPS when
// a certificate is configured. Port 0 binds a free port; the bound
// addresses are in the result.
func (g *Gateway) Listen() (Listeners, error) {
	var ls Listeners
	if g.cfg.HTTP.Enabled {
		ln, err := net.Listen("tcp", net.JoinHostPort(g.cfg.HTTP.Host, strconv.Itoa(g.cfg.HTTP.Port)))
		if err != nil {
			return ls, fmt.Errorf("http listener: %w", err)
		}
		ls.HTTP = ln
	}
	if g.serverTLS != nil {
		ln, err := net.Listen("tcp", net.JoinHostPort(g.cfg.HTTPS.Host, strconv.Itoa(g.cfg.HTTPS.Port)))
		if err != nil {
			if ls.HTTP != nil {
				ls.HTTP.Close()
			}
			return Listeners{}, fmt.Errorf("https listener: %w", err)
		}
		ls.HTTPS = ln
	}
	return ls, nil
}

// Serve serves ls until ctx is done, then shuts down gracefully: readiness
// fails at once, listeners close after server.shutdown_delay, and
// in-flight requests get server.shutdown_grace to finish. It returns nil
// after a clean shutdown, ErrGraceExpired if requests had to be cut off,
// or the error that stopped a listener.
func (g *Gateway) Serve(ctx context.Context, ls Listeners) error {
	h := g.Handler()
	errLog := slog.NewLogLogger(g.log.Handler(), slog.LevelDebug)
	newServer := func() *http.Server {
		return &http.Server{
			Handler:           h,
			ReadHeaderTimeout: g.cfg.Server.ReadHeaderTimeout,
			ReadTimeout:       g.cfg.Server.ReadTimeout,
			WriteTimeout:      g.cfg.Server.WriteTimeout,
			IdleTimeout:       g.cfg.Server.IdleTimeout,
			MaxHeaderBytes:    int(g.cfg.Server.MaxHeaderBytes),
			ErrorLog:          errLog,
		}
	}
	var servers []server
	errc := make(chan error, 2)
	if ls.HTTP != nil {
		var s server
		if g.cfg.Server.Engine == EngineNetHTTP {
			s = newServer()
		} else {
			s = &h1.Server{
				Handler:           h,
				ReadHeaderTimeout: g.cfg.Server.ReadHeaderTimeout,
				ReadTimeout:       g.cfg.Server.ReadTimeout,
				WriteTimeout:      g.cfg.Server.WriteTimeout,
				IdleTimeout:       g.cfg.Server.IdleTimeout,
				MaxHeaderBytes:    int(g.cfg.Server.MaxHeaderBytes),
				ErrorLog:          errLog,
			}
		}
		servers = append(servers, s)
		go func() { errc <- s.Serve(ls.HTTP) }()
	}
	if ls.HTTPS != nil {
		if g.serverTLS == nil {
			return errors.New("an HTTPS listener was given but no certificate is configured")
		}
		s := newServer()
		s.TLSConfig = g.serverTLS.Clone()
		if !g.cfg.HTTPS.HTTP2 {
			s.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
		}
		servers = append(servers, s)
		go func() { errc <- s.ServeTLS(ls.HTTPS, "", "") }()
	}
	if len(servers) == 0 {
		return errors.New("no listener to serve")
	}
	g.mu.Lock()
	background, shutdownTasks := g.background, g.shutdown
	g.mu.Unlock()
	bgCtx, stopBackground := context.WithCancel(context.Background())
	var bg sync.WaitGroup
	for _, task := range background {
		bg.Add(1)
		go func() { defer bg.Done(); task(bgCtx) }()
	}
	g.log.Info("gateway started", "label", g.spec.Label, "apis", len(g.spec.APIs), "listeners", ls.Addrs())
	g.SetReady(true)

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
		g.log.Error("listener failed", "error", serveErr)
	}
	g.SetReady(false)
	if serveErr == nil && g.cfg.Server.ShutdownDelay > 0 {
		g.log.Info("draining: readiness now fails", "delay", g.cfg.Server.ShutdownDelay)
		time.Sleep(g.cfg.Server.ShutdownDelay)
	}
	g.log.Info("shutting down", "grace", g.cfg.Server.ShutdownGrace)
	graceCtx, cancel := context.WithTimeout(context.Background(), g.cfg.Server.ShutdownGrace)
	defer cancel()
	shutdownErr := make(chan error, len(servers))
	for _, s := range servers {
		go func() { shutdownErr <- s.Shutdown(graceCtx) }()
	}
	expired := false
	for range servers {
		if err := <-shutdownErr; err != nil {
			expired = true
		}
	}
	if expired {
		for _, s := range servers {
			s.Close()
		}
	}
	stopBackground()
	bg.Wait()
	for _, task := range shutdownTasks {
		if err := task(graceCtx); err != nil {
			g.log.Error("shutdown task failed", "error", err)
		}
	}
	g.transports.closeIdle()
	switch {
	case serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed):
		return serveErr
	case expired:
		g.log.Warn("stopped with requests still in flight", "error", ErrGraceExpired)
		return ErrGraceExpired
	}
	g.log.Info("gateway stopped")
	return nil
}

// serverTLSConfig loads the listener certificate and, for mutual TLS, the
// client CA.
func serverTLSConfig(c HTTPSConfig) (*tls.Config, error) {
	cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
	if err != nil {
		return nil, fmt.Errorf("https: cannot load cert_file %s and key_file %s: %v", c.CertFile, c.KeyFile, err)
	}
	tc := &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
	}
	if c.ClientCAFile != "" {
		pem, err := os.ReadFile(c.ClientCAFile)
		if err != nil {
			return nil, fmt.Errorf("https.client_ca_file: cannot read %s: %s", c.ClientCAFile, pathErr(err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("https.client_ca_file: %s holds no PEM certificate", c.ClientCAFile)
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.RequireAndVerifyClientCert
		if c.ClientAuth == "optional" {
			tc.ClientAuth = tls.VerifyClientCertIfGiven
		}
	}
	return tc, nil
}

// writeReadyFile atomically writes the bound addresses as JSON.
func writeReadyFile(path string, ls Listeners) error {
	data, err := json.Marshal(ls.Addrs())
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".ready-*")
	if err != nil {
		return fmt.Errorf("ready file: %w", err)
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("ready file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("ready file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("ready file: %w", err)
	}
	return nil
}
