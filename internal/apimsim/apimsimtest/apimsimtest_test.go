package apimsimtest

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"
	"testing"

	"github.com/mgwio/mgw/internal/apimsim"
)

func TestStartAndCAFile(t *testing.T) {
	srv := Start(t, apimsim.Options{})
	pemData, err := os.ReadFile(CAFile(t, srv))
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		t.Fatal("CA file is not PEM")
	}
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	defer hc.CloseIdleConnections()
	for _, c := range []*http.Client{hc, srv.Client()} {
		resp, err := c.Get(srv.URL() + "/api/am/publisher/v0.14/apis")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("status %d, want 401 without a token", resp.StatusCode)
		}
	}
}
