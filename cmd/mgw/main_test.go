package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/mgwio/mgw/internal/apimsim"
	"github.com/mgwio/mgw/internal/jwtmint"
	"github.com/mgwio/mgw/internal/testbackend"
)

// TestMain lets the scripts exec mgw, the API Manager simulator and a test
// backend as real processes.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"mgw": main,
		"apimsim": func() {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			code := apimsim.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
			stop()
			os.Exit(code)
		},
		"testbackend": func() {
			os.Exit(testbackend.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
		},
	})
}

// TestScripts runs testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	gocache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOCACHE: %v", err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "../../testdata/script",
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Builds reuse the developer's build cache, like a real user's.
			env.Setenv("GOCACHE", strings.TrimSpace(string(gocache)))
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("NO_COLOR", "1")
			// MGW 3.x sample definitions (copied from the reference data).
			mgw3, err := filepath.Abs("../../testdata/mgw3")
			if err != nil {
				return err
			}
			env.Setenv("MGW3", mgw3)
			// A key manager: tokens from the jwt command verify with jwt.pem.
			minter, err := jwtmint.New()
			if err != nil {
				return err
			}
			env.Values[minterKey{}] = minter
			return os.WriteFile(filepath.Join(env.WorkDir, "jwt.pem"), minter.CertPEM(), 0o644)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitfile":  cmdWaitFile,
			"envfile":   cmdEnvFile,
			"http":      cmdHTTP,
			"perm":      cmdPerm,
			"jwt":       cmdJWT,
			"nfiles":    cmdNFiles,
			"container": cmdContainer,
		},
		Condition: func(cond string) (bool, error) {
			switch cond {
			case "hasfile":
				_, err := exec.LookPath("file")
				return err == nil, nil
			case "container":
				if !hasContainerRuntime() && os.Getenv("CI") == "true" {
					return false, fmt.Errorf("podman and runc are required under CI=true (.ci/run installs them)")
				}
				return hasContainerRuntime(), nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// waitfile FILE: wait up to 30 s for FILE to exist and be non-empty.
func cmdWaitFile(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: waitfile FILE")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if info, err := os.Stat(path); err == nil && info.Size() > 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	ts.Fatalf("%s did not appear within 30s", args[0])
}

// envfile VAR FILE [KEY]: set VAR to the content of FILE, or to the string
// value of KEY in the JSON object FILE holds.
func cmdEnvFile(ts *testscript.TestScript, neg bool, args []string) {
	if (len(args) != 2 && len(args) != 3) || neg {
		ts.Fatalf("usage: envfile VAR FILE [KEY]")
	}
	content := strings.TrimSpace(ts.ReadFile(args[1]))
	if len(args) == 3 {
		var m map[string]string
		if err := json.Unmarshal([]byte(content), &m); err != nil {
			ts.Fatalf("envfile: %s: %v", args[1], err)
		}
		v, ok := m[args[2]]
		if !ok {
			ts.Fatalf("envfile: %s has no key %q", args[1], args[2])
		}
		content = v
	}
	ts.Setenv(args[0], content)
}

// http [-H 'Name: value']... [-d body] [--bearer TOKEN [--auth-header NAME]] [--cacert PEM] [--retry] METHOD URL
// writes "HTTP <status>", the response headers (sorted) and the body to
// stdout. With --retry it retries connection errors for up to 30 s (for
// servers that are starting). "! http" expects a connection error.
func cmdHTTP(ts *testscript.TestScript, neg bool, args []string) {
	var headers []string
	var body string
	var cacert string
	retry := false
	bearer, authHeader := "", "Authorization"
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		switch args[0] {
		case "-H":
			headers = append(headers, args[1])
			args = args[2:]
		case "-d":
			body = args[1]
			args = args[2:]
		case "--cacert":
			cacert = ts.MkAbs(args[1])
			args = args[2:]
		case "--bearer":
			bearer = args[1]
			args = args[2:]
		case "--auth-header":
			authHeader = args[1]
			args = args[2:]
		case "--retry":
			retry = true
			args = args[1:]
		default:
			ts.Fatalf("http: unknown flag %s (flags: -H, -d, --bearer, --auth-header, --cacert, --retry)", args[0])
		}
	}
	if bearer != "" {
		headers = append(headers, authHeader+": Bearer "+bearer)
	}
	if len(args) != 2 {
		ts.Fatalf("usage: http [-H header]... [-d body] [--cacert PEM] [--retry] METHOD URL")
	}
	client := &http.Client{Timeout: 30 * time.Second}
	if cacert != "" {
		pool := x509.NewCertPool()
		pem, err := os.ReadFile(cacert)
		ts.Check(err)
		pool.AppendCertsFromPEM(pem)
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	}
	var resp *http.Response
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, err := http.NewRequest(args[0], args[1], strings.NewReader(body))
		ts.Check(err)
		for _, h := range headers {
			k, v, ok := strings.Cut(h, ":")
			if !ok {
				ts.Fatalf("http: bad header %q", h)
			}
			req.Header.Add(strings.TrimSpace(k), strings.TrimSpace(v))
		}
		if body == "" {
			req.Body = nil
		}
		resp, err = client.Do(req)
		if err == nil {
			break
		}
		if retry && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
			continue
		}
		if neg {
			return
		}
		ts.Fatalf("http: %v", err)
	}
	defer resp.Body.Close()
	if neg {
		ts.Fatalf("http: expected a connection error, got %s", resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	ts.Check(err)
	var out bytes.Buffer
	fmt.Fprintf(&out, "HTTP %d\n", resp.StatusCode)
	names := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(&out, "%s: %s\n", k, strings.Join(resp.Header[k], ", "))
	}
	out.WriteString("\n")
	out.Write(data)
	_, _ = ts.Stdout().Write(out.Bytes())
}

// perm FILE MODE: FILE's permission bits are MODE (octal, e.g. 0600).
func cmdPerm(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: perm FILE MODE")
	}
	info, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	got := fmt.Sprintf("%04o", info.Mode().Perm())
	if (got == args[1]) == neg {
		ts.Fatalf("%s has mode %s, want %s%s", args[0], got, map[bool]string{true: "not ", false: ""}[neg], args[1])
	}
}

// nfiles DIR N: DIR holds exactly N entries.
func cmdNFiles(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: nfiles DIR N")
	}
	entries, err := os.ReadDir(ts.MkAbs(args[0]))
	ts.Check(err)
	if fmt.Sprint(len(entries)) != args[1] {
		ts.Fatalf("%s holds %d entries, want %s", args[0], len(entries), args[1])
	}
}

type minterKey struct{}

// jwt VAR [--api Name:Version[:Tier]]... [--scope S]... [--keytype K]
// [--sub USER] [--app-tier T] [--ttl D] [--claim NAME=VALUE]...: set VAR
// to an API Manager style JWT signed with the key of $WORK/jwt.pem. A
// --claim VALUE that is JSON (true, 42, ["a"]) is that value, anything
// else a string.
func cmdJWT(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 || neg {
		ts.Fatalf("usage: jwt VAR [--api Name:Version[:Tier]]... [--scope S]... [--keytype K] [--sub USER] [--app-tier T] [--ttl D] [--format 2.x|3.x|4.x] [--consumer-key K] [--claim NAME=VALUE]...")
	}
	minter, ok := ts.Value(minterKey{}).(*jwtmint.Minter)
	if !ok {
		ts.Fatalf("jwt: no key manager set up")
	}
	name, args := args[0], args[1:]
	var c jwtmint.Claims
	for len(args) >= 2 {
		switch args[0] {
		case "--api":
			parts := strings.Split(args[1], ":")
			if len(parts) < 2 {
				ts.Fatalf("jwt: --api wants Name:Version[:Tier]")
			}
			a := jwtmint.API{Name: parts[0], Version: parts[1]}
			if len(parts) > 2 {
				a.Tier = parts[2]
			}
			c.APIs = append(c.APIs, a)
		case "--scope":
			c.Scopes = append(c.Scopes, args[1])
		case "--keytype":
			c.KeyType = args[1]
		case "--sub":
			c.Subject = args[1]
		case "--app-tier":
			c.AppTier = args[1]
		case "--ttl":
			d, err := time.ParseDuration(args[1])
			ts.Check(err)
			c.TTL = d
		case "--format":
			c.Format = args[1]
		case "--consumer-key":
			c.ConsumerKey = args[1]
		case "--claim":
			k, v, ok := strings.Cut(args[1], "=")
			if !ok || k == "" {
				ts.Fatalf("jwt: --claim wants NAME=VALUE")
			}
			var val any = v
			if json.Valid([]byte(v)) {
				ts.Check(json.Unmarshal([]byte(v), &val))
			}
			if c.Extra == nil {
				c.Extra = map[string]any{}
			}
			c.Extra[k] = val
		default:
			ts.Fatalf("jwt: unknown flag %s", args[0])
		}
		args = args[2:]
	}
	if len(args) != 0 {
		ts.Fatalf("jwt: unexpected %q", args)
	}
	tok, err := minter.Token(c)
	ts.Check(err)
	ts.Setenv(name, tok)
}
