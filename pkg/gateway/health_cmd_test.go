package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHealthCommand runs "<label> health" the way a container health check
// does: beside a running gateway, with the same environment.
func TestHealthCommand(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready.json")
	env := []string{"MGW_HTTP_PORT=0", "MGW_READY_FILE=" + ready}
	health := func(args ...string) (int, string, string) {
		cmd, stdout, stderr := gatewayCmd(t, "http://127.0.0.1:1", env, append([]string{"health"}, args...)...)
		code := exitCode(t, cmd.Run())
		return code, stdout.String(), stderr.String()
	}

	// Before the gateway runs: unhealthy, and it says why.
	if code, _, stderr := health(); code != 1 || !strings.Contains(stderr, "has not written its ready file") {
		t.Fatalf("no gateway: exit %d, stderr %q", code, stderr)
	}

	gw, _, gwErr := gatewayCmd(t, "http://127.0.0.1:1", env)
	if err := gw.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = gw.Process.Kill(); _ = gw.Wait() })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("gateway did not start: %s", gwErr.String())
		}
	}
	for _, args := range [][]string{nil, {"--ready"}} {
		code, stdout, stderr := health(args...)
		if code != 0 || !strings.Contains(stdout, "healthy") {
			t.Errorf("health %v: exit %d, stdout %q, stderr %q", args, code, stdout, stderr)
		}
	}

	// Once the gateway is gone, the check fails.
	_ = gw.Process.Kill()
	_ = gw.Wait()
	if code, _, stderr := health("--timeout", "1s"); code != 1 || !strings.Contains(stderr, "connection refused") {
		t.Errorf("after the gateway stopped: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr := health("extra"); code != 2 || !strings.Contains(stderr, `unexpected argument "extra"`) {
		t.Errorf("stray argument: exit %d, stderr %q", code, stderr)
	}
}
