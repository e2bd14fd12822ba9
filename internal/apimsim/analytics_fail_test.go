package apimsim

import (
	"net/http"
	"testing"
)

func TestAnalyticsFailUploadsThenRecovers(t *testing.T) {
	s := startSim(t, Options{})
	s.srv.FailUploads(2)
	data := usageZip(t, "line")
	const name = "api-usage-data.dat.1538123456789.6f1c2b7e-0000-4000-8000-000000000001.zip"
	for i := range 2 {
		resp, body := s.do(uploadRequest(t, s.base, "file", name, data))
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("attempt %d: %d %s, want 503", i+1, resp.StatusCode, body)
		}
	}
	if n := len(s.srv.Uploads()); n != 0 {
		t.Fatalf("%d uploads stored while failing", n)
	}
	resp, body := s.do(uploadRequest(t, s.base, "file", name, data))
	wantStatus(t, resp, body, http.StatusCreated)
	if n := len(s.srv.Uploads()); n != 1 {
		t.Errorf("%d uploads after recovery, want 1", n)
	}
}
