package usage

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// Uploader posts rotated usage files to an API Manager Analytics server
// as the original did: multipart/form-data with the zip in the field
// "file", Basic credentials, and the headers FileName and Accept. A 201
// answer deletes the file; anything else keeps it.
type Uploader struct {
	// URL is the upload endpoint, such as
	// https://analytics:9444/analytics/v1.0/usage/upload-file.
	URL string
	// Username and Password are sent as HTTP Basic credentials.
	Username string
	Password string
	// Client sends the requests; nil means a client with a 2 minute
	// timeout.
	Client *http.Client
	// Log receives one line per upload; nil discards.
	Log *slog.Logger
	// MinBackoff is Run's first retry delay after a failure; 0 means 1s.
	MinBackoff time.Duration

	uploaded, failed atomic.Uint64
}

// UploadError is a refused upload.
type UploadError struct {
	File   string
	Status int
	Body   string // start of the answer, for the log
}

// Error implements error.
func (e *UploadError) Error() string {
	msg := fmt.Sprintf("upload %s: the server answered %d %s, not 201 Created", e.File, e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	return msg
}

// Counts returns how many files were uploaded and how many attempts
// failed.
func (u *Uploader) Counts() (uploaded, failed uint64) {
	return u.uploaded.Load(), u.failed.Load()
}

func (u *Uploader) logger() *slog.Logger {
	if u.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Log
}

// UploadDir uploads every rotated file in dir, oldest first, and stops at
// the first failure. It returns how many files it uploaded.
func (u *Uploader) UploadDir(ctx context.Context, dir string) (int, error) {
	names, err := ListZips(dir)
	if err != nil {
		return 0, fmt.Errorf("list usage files: %w", err)
	}
	n := 0
	for _, name := range names {
		if err := u.UploadFile(ctx, filepath.Join(dir, name)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted meanwhile by the disk cap
			}
			return n, err
		}
		n++
	}
	return n, nil
}

// UploadFile uploads one zip and deletes it after a 201 answer.
func (u *Uploader) UploadFile(ctx context.Context, path string) error {
	err := u.post(ctx, path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			u.failed.Add(1)
		}
		return err
	}
	u.uploaded.Add(1)
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the uploaded %s: %w", filepath.Base(path), err)
	}
	u.logger().Info("analytics: usage file uploaded", "file", filepath.Base(path))
	return nil
}

func (u *Uploader) post(ctx context.Context, path string) error {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	// The multipart envelope is built around the file so the body has a
	// known length and the file is streamed, not loaded.
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	h.Set("Content-Type", "application/octet-stream")
	if _, err := mw.CreatePart(h); err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	size := int64(head.Len()) + st.Size() + int64(len(tail))
	body := io.MultiReader(bytes.NewReader(head.Bytes()), io.LimitReader(f, st.Size()), strings.NewReader(tail))
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.URL, body)
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	req.ContentLength = size
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username+":"+u.Password)))
	req.Header.Set("FileName", name)
	req.Header.Set("Accept", "application/json")
	c := u.Client
	if c == nil {
		c = &http.Client{Timeout: 2 * time.Minute}
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("upload %s: %w", name, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusCreated {
		return &UploadError{File: name, Status: resp.StatusCode, Body: strings.TrimSpace(printable(msg, 200))}
	}
	return nil
}

// printable keeps the first n bytes of b with control characters replaced.
func printable(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, string(b))
}

// Run uploads the files in dir every period until ctx ends: first after
// first, then every period; after a failure it retries sooner, after
// MinBackoff (1 s), then twice as long each time, up to period.
func (u *Uploader) Run(ctx context.Context, dir string, first, period time.Duration) {
	minBackoff := u.MinBackoff
	if minBackoff <= 0 {
		minBackoff = time.Second
	}
	backoff := time.Duration(0)
	wait := first
	t := time.NewTimer(wait)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		_, err := u.UploadDir(ctx, dir)
		switch {
		case err == nil:
			backoff, wait = 0, period
		case ctx.Err() != nil:
			return
		default:
			backoff = min(max(backoff*2, minBackoff), period)
			wait = backoff
			u.logger().Warn("analytics: upload failed; the files are kept and retried", "retry_in", wait.String(), "error", err)
		}
		t.Reset(wait)
	}
}
