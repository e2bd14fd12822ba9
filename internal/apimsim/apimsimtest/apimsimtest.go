// Package apimsimtest starts the API Manager simulator from other packages'
// tests.
//
//	srv := apimsimtest.Start(t, apimsim.Options{})
//	client := srv.Client()          // trusts the server's certificate
//	base := srv.URL()               // https://127.0.0.1:PORT
//	caFile := apimsimtest.CAFile(t, srv) // for a CLI's --ca-file
package apimsimtest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mgwio/mgw/internal/apimsim"
)

// Start starts a simulator over HTTPS on 127.0.0.1 with a random port and
// stops it when the test ends. It fails the test if the server cannot start.
func Start(tb testing.TB, opts apimsim.Options) *apimsim.Server {
	tb.Helper()
	srv, err := apimsim.New(opts)
	if err != nil {
		tb.Fatalf("apimsim: %v", err)
	}
	if _, err := srv.Start(tb.Context()); err != nil {
		tb.Fatalf("apimsim: %v", err)
	}
	tb.Cleanup(func() {
		if err := srv.Close(); err != nil {
			tb.Errorf("apimsim: %v", err)
		}
	})
	return srv
}

// CAFile writes the server's certificate to a PEM file in a temporary
// folder and returns its path.
func CAFile(tb testing.TB, srv *apimsim.Server) string {
	tb.Helper()
	pem := srv.CertPEM()
	if len(pem) == 0 {
		tb.Fatal("apimsim: the server has no certificate (not started, or plain HTTP)")
	}
	path := filepath.Join(tb.TempDir(), "apim.pem")
	if err := os.WriteFile(path, pem, 0o644); err != nil {
		tb.Fatalf("apimsim: write certificate: %v", err)
	}
	return path
}
