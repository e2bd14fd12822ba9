package apimsim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mgwio/mgw/pkg/apim"
)

// Exit codes of Run.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// Run is the apimsim command: it parses args, serves until ctx is done and
// returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("apimsim", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:9443", "listen `address` (127.0.0.1:0 picks a free port)")
	certOut := fl.String("cert-out", "", "write the server's self-signed certificate (PEM) to `file`, for clients' --ca-file")
	fixtures := fl.String("fixtures", "", "serve the data in `dir` (apis/*.json, policies/*.json, users.json) instead of the embedded demo set")
	readyFile := fl.String("ready-file", "", "write the base URL to `file` once listening")
	analyticsDir := fl.String("analytics-dir", "", "store uploaded usage files in `dir`")
	tokenTTL := fl.Duration("token-ttl", DefaultTokenTTL, "lifetime of issued access tokens")
	plain := fl.Bool("http", false, "serve plain HTTP instead of HTTPS (debugging)")
	hostile := fl.Bool("hostile-policies", false, "add policies with hostile names to the Admin policy lists")
	version := fl.String("apim-version", string(apim.V26), "API Manager `version` to simulate: 2.6, 3.x or 4.x")
	backend := fl.String("backend", "", "replace the fixtures' demo backends (http://127.0.0.1:8280 and :8281) with this base `URL`")
	fl.Usage = func() {
		fmt.Fprintf(fl.Output(), "Usage: apimsim [flags]\n\nA WSO2 API Manager 2.6, 3.x or 4.x simulator for mgw setup (see go doc ./internal/apimsim).\n\nFlags:\n")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(stderr, "apimsim: unexpected argument %q; all options are flags (see -h)\n", fl.Arg(0))
		return exitUsage
	}
	if *tokenTTL <= 0 {
		fmt.Fprintf(stderr, "apimsim: --token-ttl must be positive, e.g. 1h or 30s\n")
		return exitUsage
	}
	v, err := apim.ParseVersion(*version)
	if err != nil {
		fmt.Fprintf(stderr, "apimsim: --apim-version: %v\n", err)
		return exitUsage
	}
	opts := Options{Version: v, Addr: *addr, CertOut: *certOut, AnalyticsDir: *analyticsDir, TokenTTL: *tokenTTL,
		PlainHTTP: *plain, HostilePolicies: *hostile, Backend: *backend, Log: stderr}
	if *fixtures != "" {
		if st, err := os.Stat(*fixtures); err != nil || !st.IsDir() {
			fmt.Fprintf(stderr, "apimsim: --fixtures %s is not a folder; give a folder with apis/, policies/ and users.json\n", *fixtures)
			return exitUsage
		}
		opts.Fixtures = os.DirFS(*fixtures)
	}
	if *analyticsDir != "" {
		if err := os.MkdirAll(*analyticsDir, 0o755); err != nil {
			fmt.Fprintf(stderr, "apimsim: create --analytics-dir: %v\n", err)
			return exitError
		}
	}
	if err := serve(ctx, opts, *readyFile, stdout); err != nil {
		fmt.Fprintf(stderr, "apimsim: %v\n", err)
		return exitError
	}
	return exitOK
}

// serve runs the server until ctx is done.
func serve(ctx context.Context, opts Options, readyFile string, stdout io.Writer) error {
	srv, err := New(opts)
	if err != nil {
		return err
	}
	url, err := srv.Start(ctx)
	if err != nil {
		return err
	}
	defer srv.Close()
	if readyFile != "" {
		if err := writeReadyFile(readyFile, url); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "apimsim listening on %s\n", url)
	<-ctx.Done()
	fmt.Fprintln(stdout, "apimsim stopping")
	return srv.Close()
}

// writeReadyFile writes the URL (no newline) through a rename, so a poller
// never sees a partial file.
func writeReadyFile(path, url string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(url), 0o644); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write ready file: %w", err)
	}
	return nil
}
