package usage

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a local analytics endpoint that checks what the original's
// uploader sent and answers 503 to the first failFirst uploads.
type receiver struct {
	t         *testing.T
	mu        sync.Mutex
	failFirst int
	attempts  int
	files     map[string][]byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.attempts++
	if rc.attempts <= rc.failFirst {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != "admin" || pass != "s3cret" {
		http.Error(w, "bad credentials", http.StatusUnauthorized)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Accept") != "application/json" || r.ContentLength <= 0 {
		http.Error(w, fmt.Sprintf("method %s, Accept %q, length %d", r.Method, r.Header.Get("Accept"), r.ContentLength), http.StatusBadRequest)
		return
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	mr, err := r.MultipartReader()
	if mt != "multipart/form-data" || err != nil {
		http.Error(w, "not multipart", http.StatusBadRequest)
		return
	}
	part, err := mr.NextPart()
	if err != nil || part.FormName() != "file" || part.FileName() != r.Header.Get("FileName") || !IsZipName(part.FileName()) {
		http.Error(w, "want one part named file with the zip's name", http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(part)
	if _, err := mr.NextPart(); err != io.EOF {
		http.Error(w, "more than one part", http.StatusBadRequest)
		return
	}
	rc.files[part.FileName()] = data
	w.WriteHeader(http.StatusCreated)
}

func (rc *receiver) snapshot() (int, map[string][]byte) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := map[string][]byte{}
	for k, v := range rc.files {
		out[k] = v
	}
	return rc.attempts, out
}

func TestUploadShapeAuthAndDelete(t *testing.T) {
	dir := t.TempDir()
	for i := range 3 {
		name := ZipName(time.UnixMilli(int64(1_000 + i)))
		if err := os.WriteFile(filepath.Join(dir, name), []byte("zip "+name), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	_ = os.WriteFile(filepath.Join(dir, DataFile), []byte("current"), 0o600)
	rc := &receiver{t: t, files: map[string][]byte{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()

	bad := &Uploader{URL: srv.URL, Username: "admin", Password: "wrong"}
	n, err := bad.UploadDir(context.Background(), dir)
	if n != 0 || err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("wrong password: n=%d err=%v", n, err)
	}

	u := &Uploader{URL: srv.URL, Username: "admin", Password: "s3cret"}
	n, err = u.UploadDir(context.Background(), dir)
	if err != nil || n != 3 {
		t.Fatalf("uploaded %d: %v", n, err)
	}
	_, files := rc.snapshot()
	for name, data := range files {
		if string(data) != "zip "+name {
			t.Errorf("%s arrived as %q", name, data)
		}
	}
	left, _ := os.ReadDir(dir)
	if len(left) != 1 || left[0].Name() != DataFile {
		t.Errorf("left in the folder: %v", left)
	}
	if up, failed := u.Counts(); up != 3 || failed != 0 {
		t.Errorf("counts %d %d", up, failed)
	}
}

func TestUploadRetriesUntilTheReceiverRecovers(t *testing.T) {
	dir := t.TempDir()
	name := ZipName(time.Now())
	_ = os.WriteFile(filepath.Join(dir, name), []byte("data"), 0o600)
	rc := &receiver{t: t, failFirst: 3, files: map[string][]byte{}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	u := &Uploader{URL: srv.URL, Username: "admin", Password: "s3cret", MinBackoff: 10 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { u.Run(ctx, dir, time.Millisecond, time.Hour); close(done) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, name)); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the file was never uploaded")
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	attempts, files := rc.snapshot()
	if attempts != 4 || string(files[name]) != "data" {
		t.Errorf("%d attempts, files %v", attempts, files)
	}
	if up, failed := u.Counts(); up != 1 || failed != 3 {
		t.Errorf("counts %d uploaded, %d failed", up, failed)
	}
}
