package cli

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mgwio/mgw/internal/apimsim"
	"github.com/mgwio/mgw/pkg/apim"
)

// simServer serves an in-process API Manager simulator of version v over
// plain HTTP on 127.0.0.1 (mgw allows http for loopback), optionally
// behind wrap, and returns its base URL.
func simServer(tb testing.TB, v apim.Version, wrap func(http.Handler) http.Handler) string {
	tb.Helper()
	srv, err := apimsim.New(apimsim.Options{Version: v})
	if err != nil {
		tb.Fatalf("apimsim.New: %v", err)
	}
	h := srv.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return ts.URL
}

// setupResult is what one mgw setup run printed and returned.
type setupResult struct {
	err            error
	stdout, stderr string
}

// runMgw runs mgw with args in dir, the password in MGW_PASSWORD.
func runMgw(tb testing.TB, dir string, env map[string]string, args ...string) setupResult {
	tb.Helper()
	var out, errb bytes.Buffer
	g := &globals{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(k string) string { return env[k] }}
	root := newRootCmd(g)
	root.SetArgs(append([]string{"-C", dir}, args...))
	root.SetOut(&out)
	root.SetErr(&errb)
	err := root.ExecuteContext(context.Background())
	return setupResult{err: err, stdout: out.String(), stderr: errb.String()}
}

// setup runs mgw setup label against url as admin/admin.
func setup(tb testing.TB, dir, url, label string, extra ...string) setupResult {
	tb.Helper()
	args := append([]string{"setup", label, "-s", url, "-u", "admin"}, extra...)
	return runMgw(tb, dir, map[string]string{"MGW_PASSWORD": "admin"}, args...)
}

// readTree returns every file under dir by slash path.
func readTree(tb testing.TB, dir string) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}
