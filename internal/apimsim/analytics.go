package apimsim

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// maxUpload bounds an uploaded usage file.
const maxUpload = 64 << 20

// Upload is a usage file received by the analytics endpoint.
type Upload struct {
	// FileName is the FileName header, e.g. api-usage-data.dat.1538123456789.<uuid>.zip.
	FileName string
	// Path is where the file was written; empty without Options.AnalyticsDir.
	Path string
	// Data is the zip file.
	Data []byte
	// Lines are the lines of the files inside the zip, in order (one
	// analytics event per line).
	Lines []string
}

// uploadStore keeps received uploads.
type uploadStore struct {
	mu       sync.Mutex
	uploads  []Upload
	failNext int // uploads still to refuse (FailUploads)
}

// takeFailure reports whether this upload is to be refused.
func (u *uploadStore) takeFailure() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.failNext > 0 {
		u.failNext--
		return true
	}
	return false
}

// FailUploads makes the analytics endpoint answer the next n uploads with
// 503 Service Unavailable (before authenticating or reading them), to test
// an uploader's retries.
func (s *Server) FailUploads(n int) {
	s.uploads.mu.Lock()
	defer s.uploads.mu.Unlock()
	s.uploads.failNext = n
}

func (u *uploadStore) add(up Upload) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.uploads = append(u.uploads, up)
}

func (u *uploadStore) list() []Upload {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]Upload(nil), u.uploads...)
}

// Uploads returns the usage files received so far.
func (s *Server) Uploads() []Upload {
	return s.uploads.list()
}

// handleUpload serves POST /analytics/v1.0/usage/upload-file, the receiver
// the gateway's usage-data uploader posts rotated zip files to.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) {
	if s.uploads.takeFailure() {
		http.Error(w, "the analytics server is unavailable (simulated by FailUploads)", http.StatusServiceUnavailable)
		return
	}
	if _, ok := s.authenticateUser(r); !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="WSO2 API Manager Analytics"`)
		http.Error(w, "Unauthorized: send the analytics username and password as HTTP Basic credentials", http.StatusUnauthorized)
		return
	}
	name := r.Header.Get("FileName")
	if err := checkUploadName(name); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, err := readFilePart(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	lines, err := zipLines(data)
	if err != nil {
		http.Error(w, "the uploaded file is not a zip archive of usage data: "+err.Error(), http.StatusBadRequest)
		return
	}
	up := Upload{FileName: name, Data: data, Lines: lines}
	if s.opts.AnalyticsDir != "" {
		up.Path = filepath.Join(s.opts.AnalyticsDir, name)
		if err := writeFileAtomic(up.Path, data); err != nil {
			http.Error(w, "cannot store the file: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	s.uploads.add(up)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	_, _ = fmt.Fprintf(w, "Successfully uploaded the file %s\n", name)
}

// checkUploadName accepts a plain file name: no folders, no "..".
func checkUploadName(name string) error {
	switch {
	case name == "":
		return errors.New("the FileName header is missing; set it to the name of the zip file")
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`+"\x00") || filepath.Base(name) != name:
		return fmt.Errorf("the FileName header %q is not a plain file name", name)
	}
	return nil
}

// readFilePart returns the content of the multipart field "file".
func readFilePart(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "multipart/form-data" {
		return nil, errors.New("the body must be multipart/form-data with the zip in the field \"file\"")
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("read multipart body: %w", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the multipart body has no field \"file\"")
		}
		if err != nil {
			return nil, fmt.Errorf("read multipart body: %w", err)
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, fmt.Errorf("read the field \"file\": %w", err)
		}
		return data, nil
	}
}

// zipLines returns the lines of every file in a zip archive.
func zipLines(data []byte) ([]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("open %s: %w", f.Name, err)
		}
		content, err := io.ReadAll(io.LimitReader(rc, maxUpload))
		_ = rc.Close()
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Name, err)
		}
		for _, line := range strings.Split(string(content), "\n") {
			if line != "" {
				lines = append(lines, line)
			}
		}
	}
	return lines, nil
}

// writeFileAtomic writes data to path through a temporary file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("rename to %s: %w", path, err)
	}
	return nil
}
