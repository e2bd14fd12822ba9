package apimsim

import (
	"archive/zip"
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// usageZip returns a zip holding one usage data file with lines.
func usageZip(t testing.TB, lines ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("api-usage-data.dat")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if _, err := f.Write([]byte(l + "\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// uploadRequest builds the request the gateway's uploader sends.
func uploadRequest(t *testing.T, base, field, fileName string, content []byte) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile(field, fileName)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = part.Write(content)
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/analytics/v1.0/usage/upload-file", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Accept", "application/json")
	if fileName != "" {
		req.Header.Set("FileName", fileName)
	}
	req.SetBasicAuth("admin", "admin")
	return req
}

func TestAnalyticsUploadIsStored(t *testing.T) {
	dir := t.TempDir()
	s := startSim(t, Options{AnalyticsDir: dir})
	lines := []string{
		"streamId-KS-org.wso2.apimgt.statistics.request:3.0.0-ES-timestamp-KS-1538123456789-ES-payLoadData-KS-key-OS-app",
		"streamId-KS-org.wso2.apimgt.statistics.fault:3.0.0-ES-timestamp-KS-1538123456790-ES-payLoadData-KS-x",
	}
	data := usageZip(t, lines...)
	const name = "api-usage-data.dat.1538123456789.6f1c2b7e-0000-4000-8000-000000000001.zip"
	resp, body := s.do(uploadRequest(t, s.base, "file", name, data))
	wantStatus(t, resp, body, http.StatusCreated)

	ups := s.srv.Uploads()
	if len(ups) != 1 || ups[0].FileName != name || !reflect.DeepEqual(ups[0].Lines, lines) || !bytes.Equal(ups[0].Data, data) {
		t.Fatalf("uploads = %+v", ups)
	}
	stored, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || !bytes.Equal(stored, data) || ups[0].Path != filepath.Join(dir, name) {
		t.Errorf("stored file: %v, path %q", err, ups[0].Path)
	}
}

func TestAnalyticsUploadRejects(t *testing.T) {
	dir := t.TempDir()
	s := startSim(t, Options{AnalyticsDir: dir})
	good := usageZip(t, "line")
	for _, tc := range []struct {
		name   string
		req    func() *http.Request
		status int
		want   string
	}{
		{"wrong password", func() *http.Request {
			r := uploadRequest(t, s.base, "file", "a.zip", good)
			r.SetBasicAuth("admin", "wrong")
			return r
		}, http.StatusUnauthorized, "Basic"},
		{"no credentials", func() *http.Request {
			r := uploadRequest(t, s.base, "file", "a.zip", good)
			r.Header.Del("Authorization")
			return r
		}, http.StatusUnauthorized, "Basic"},
		{"no FileName header", func() *http.Request { return uploadRequest(t, s.base, "file", "", good) }, http.StatusBadRequest, "FileName header is missing"},
		{"path in FileName", func() *http.Request { return uploadRequest(t, s.base, "file", "../escape.zip", good) }, http.StatusBadRequest, "not a plain file name"},
		{"wrong field", func() *http.Request { return uploadRequest(t, s.base, "upload", "a.zip", good) }, http.StatusBadRequest, `no field "file"`},
		{"not a zip", func() *http.Request { return uploadRequest(t, s.base, "file", "a.zip", []byte("plain text")) }, http.StatusBadRequest, "not a zip"},
		{"not multipart", func() *http.Request {
			r := uploadRequest(t, s.base, "file", "a.zip", good)
			r.Header.Set("Content-Type", "application/zip")
			return r
		}, http.StatusBadRequest, "multipart/form-data"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.do(tc.req())
			wantStatus(t, resp, body, tc.status)
			if !strings.Contains(string(body), tc.want) {
				t.Errorf("body %q lacks %q", body, tc.want)
			}
		})
	}
	if n := len(s.srv.Uploads()); n != 0 {
		t.Errorf("%d rejected uploads were kept", n)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written for rejected uploads: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.zip")); err == nil {
		t.Error("a FileName with a path escaped the analytics folder")
	}
}
