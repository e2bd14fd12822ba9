package gateway

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestGracefulShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		fmt.Fprint(w, "finished")
	})
	cfg := testConfig()
	cfg.Server.ShutdownDelay = 300 * time.Millisecond
	gw := start(t, petstore(be.URL), cfg)

	inflight := make(chan string, 1)
	go func() {
		resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
		inflight <- fmt.Sprint(resp.StatusCode, " ", body)
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- gw.stop() }()

	// While draining, readiness fails but liveness holds.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, err := client().Get(gw.http + "/health/ready")
		if err != nil {
			t.Fatalf("readiness probe during the shutdown delay: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode == 503 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("readiness never failed during shutdown")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if got := <-inflight; got != "200 finished" {
		t.Errorf("in-flight request: %s", got)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve returned %v after a clean shutdown", err)
	}
	if _, err := client().Get(gw.http + "/health"); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

func TestShutdownGraceExpires(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	entered := make(chan struct{})
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	cfg := testConfig()
	cfg.Server.ShutdownGrace = 200 * time.Millisecond
	gw := start(t, petstore(be.URL), cfg)
	go func() {
		if resp, err := client().Get(gw.http + "/petstore/v1/pet/1"); err == nil {
			resp.Body.Close()
		}
	}()
	<-entered
	if err := gw.stop(); err != ErrGraceExpired {
		t.Errorf("Serve returned %v, want ErrGraceExpired", err)
	}
}

// The tests below run Main in a child process (this test binary, told so
// by GATEWAY_TEST_MAIN), so signals and exit codes are real.

func TestMain(m *testing.M) {
	if os.Getenv("GATEWAY_TEST_MAIN") == "1" {
		spec := petstore(os.Getenv("GATEWAY_TEST_BACKEND"))
		// GATEWAY_TEST_CPUPROFILE profiles a manual load test of the
		// gateway process (see the performance note in the report).
		if p := os.Getenv("GATEWAY_TEST_CPUPROFILE"); p != "" {
			f, err := os.Create(p)
			if err == nil && pprof.StartCPUProfile(f) == nil {
				code := Main(spec, os.Args[1:], os.Environ(), os.Stdout, os.Stderr)
				pprof.StopCPUProfile()
				f.Close()
				os.Exit(code)
			}
		}
		os.Exit(Main(spec, os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// gatewayCmd prepares the gateway as a child process.
func gatewayCmd(t *testing.T, backendURL string, env []string, args ...string) (*exec.Cmd, *bytes.Buffer, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append([]string{"GATEWAY_TEST_MAIN=1", "GATEWAY_TEST_BACKEND=" + backendURL, "PATH=" + os.Getenv("PATH"), "MGW_SECURITY_ENABLED=false"}, env...)
	stdout, stderr := &bytes.Buffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

func exitCode(t *testing.T, err error) int {
	t.Helper()
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	t.Fatalf("running the gateway: %v", err)
	return -1
}

func TestMainFlags(t *testing.T) {
	good := writeFile(t, "good.yaml", "http:\n  port: 0\n")
	bad := writeFile(t, "bad.yaml", "http:\n  port: -5\n  colour: red\n")
	cases := []struct {
		name     string
		args     []string
		env      []string
		code     int
		stdout   string
		stderr   string
		noSecret string
	}{
		{name: "version", args: []string{"--version"}, code: 0, stdout: "test: label test, mgw v0.0.0-test, go"},
		{name: "help", args: []string{"--help"}, code: 0, stdout: "Usage: test [--config FILE] [--check] [--version]"},
		{name: "unknown flag", args: []string{"--bogus"}, code: 2, stderr: "flag provided but not defined: -bogus"},
		{name: "stray argument", args: []string{"serve"}, code: 2, stderr: `unexpected argument "serve"`},
		{name: "check ok", args: []string{"--check", "--config", good}, code: 0, stdout: "configuration OK\n"},
		{name: "check problems", args: []string{"--check", "--config", bad}, env: []string{"MGW_KM_PASSWORD=very-secret-pw", "MGW_LOG_LEVEL=chatty"},
			code: 1, stderr: bad + ":3: http.colour: unknown key", noSecret: "very-secret-pw"},
		{name: "check warns", args: []string{"--check"}, env: []string{"MGW_FROB=1"}, code: 0, stdout: "configuration OK", stderr: "warning: MGW_FROB: unknown variable"},
		{name: "check builds endpoints", args: []string{"--check"}, env: []string{"MGW_API_PETSTORE_1_0_0_PRODUCTION_URLS=http://a,http://b"},
			code: 1, stderr: "type http takes one URL, not 2"},
		{name: "bad config at start", args: []string{"--config", bad}, code: 1, stderr: bad + ":2: http.port: -5 is not a TCP port"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cmd, stdout, stderr := gatewayCmd(t, "http://127.0.0.1:1", tc.env, tc.args...)
			code := exitCode(t, cmd.Run())
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr %s", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tc.stdout) {
				t.Errorf("stdout %q lacks %q", stdout.String(), tc.stdout)
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tc.stderr)
			}
			if tc.noSecret != "" && strings.Contains(stdout.String()+stderr.String(), tc.noSecret) {
				t.Error("a secret was printed")
			}
		})
	}
}

func TestMainSignalShutdown(t *testing.T) {
	entered := make(chan struct{})
	release := make(chan struct{})
	be := backend(t, func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		fmt.Fprint(w, "done")
	})
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd, _, stderr := gatewayCmd(t, be.URL, []string{"MGW_HTTP_PORT=0", "MGW_READY_FILE=" + ready, "MGW_LOG_FORMAT=json"}, "--config", writeFile(t, "gw.yaml", "http:\n  host: 127.0.0.1\n"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var addrs map[string]string
	deadline := time.Now().Add(10 * time.Second)
	for {
		if data, err := os.ReadFile(ready); err == nil && json.Unmarshal(data, &addrs) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; stderr: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	base := "http://" + addrs["http"]
	inflight := make(chan string, 1)
	go func() {
		resp, err := client().Get(base + "/petstore/v1/pet/1")
		if err != nil {
			inflight <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		inflight <- fmt.Sprint(resp.StatusCode, " ", string(b))
	}()
	<-entered
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// The listener closes while the request is still in flight.
	for deadline := time.Now().Add(5 * time.Second); ; {
		resp, err := client().Get(base + "/health")
		if err != nil {
			break
		}
		resp.Body.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after SIGTERM")
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if got := <-inflight; got != "200 done" {
		t.Errorf("in-flight request: %s", got)
	}
	if code := exitCode(t, cmd.Wait()); code != 0 {
		t.Errorf("exit code %d after SIGTERM; stderr: %s", code, stderr.String())
	}
	sc := bufio.NewScanner(strings.NewReader(stderr.String()))
	var msgs []string
	for sc.Scan() {
		var e struct{ Msg string }
		if json.Unmarshal(sc.Bytes(), &e) == nil {
			msgs = append(msgs, e.Msg)
		}
	}
	if got := strings.Join(msgs, "|"); !strings.Contains(got, "gateway started") || !strings.Contains(got, "gateway stopped") {
		t.Errorf("log messages %q", got)
	}
}

func TestLogWriter(t *testing.T) {
	var out syncBuffer
	lw := newLogWriter(&out, 20*time.Millisecond)
	fmt.Fprintln(lw, "line one")
	if out.String() != "" {
		t.Error("written through without buffering")
	}
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "line one\n" {
		if time.Now().After(deadline) {
			t.Fatalf("not flushed by the timer: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Fprintln(lw, "line two")
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "line one\nline two\n" {
		t.Errorf("after Close: %q", out.String())
	}
	if _, err := lw.Write([]byte("late")); err == nil {
		t.Error("write after Close succeeded")
	}
}

func TestClientLimits(t *testing.T) {
	be := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.Server.ReadHeaderTimeout = 200 * time.Millisecond
	cfg.Server.MaxHeaderBytes = 4 << 10
	gw := start(t, petstore(be.URL), cfg)
	addr := gw.ls.HTTP.Addr().String()

	t.Run("slow headers are cut off", func(t *testing.T) {
		conn, br := rawConn(t, addr)
		fmt.Fprint(conn, "GET /petstore/v1/pet/1 HTTP/1.1\r\nHost: gw\r\n") // never finished
		t0 := time.Now()
		_, err := br.ReadString('\n')
		if err == nil {
			t.Fatal("the server answered an unfinished request")
		}
		if d := time.Since(t0); d > 3*time.Second {
			t.Errorf("connection held for %v with a 200ms header timeout", d)
		}
	})
	t.Run("oversized headers are refused", func(t *testing.T) {
		conn, br := rawConn(t, addr)
		fmt.Fprintf(conn, "GET /petstore/v1/pet/1 HTTP/1.1\r\nHost: gw\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 16<<10))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status %d, want 431", resp.StatusCode)
		}
	})
}
