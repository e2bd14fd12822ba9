package gateway

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mgwio/mgw/internal/apimsim"
	"github.com/mgwio/mgw/internal/apimsim/apimsimtest"
	"github.com/mgwio/mgw/pkg/gateway/internal/usage"
)

const simUploadPath = "/analytics/v1.0/usage/upload-file"

// uploadedIDs returns the correlation ids of every uploaded line, and
// checks each upload is a well-named zip of valid lines.
func uploadedIDs(t testing.TB, sim *apimsim.Server) []string {
	t.Helper()
	var ids []string
	for _, up := range sim.Uploads() {
		if !usage.IsZipName(up.FileName) {
			t.Errorf("uploaded file name %q", up.FileName)
		}
		for _, s := range up.Lines {
			l, err := usage.ParseLine(s)
			if err != nil {
				t.Fatalf("%s: %v", up.FileName, err)
			}
			var meta struct{ CorrelationID string }
			if err := json.Unmarshal([]byte(l.Metadata), &meta); err != nil {
				t.Fatalf("metadata %s: %v", l.Metadata, err)
			}
			ids = append(ids, meta.CorrelationID)
		}
	}
	return ids
}

func TestAnalyticsRotationAndUploadWithRecovery(t *testing.T) {
	sim := apimsimtest.Start(t, apimsim.Options{})
	sim.FailUploads(2) // the receiver fails, then recovers
	be := echoBackend(t, "pets")
	cfg := analyticsConfig(t)
	a := &cfg.Analytics
	a.Upload, a.UploadURL, a.Username, a.Password = true, sim.URL()+simUploadPath, "admin", "admin"
	a.CAFile = apimsimtest.CAFile(t, sim)
	a.RotatePeriod, a.RotateSize, a.UploadPeriod = time.Second, 2000, time.Second
	gw := start(t, petstore(be.URL), cfg)
	const n = 30
	for i := range n {
		if resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/dog", nil, "X-Request-ID", fmt.Sprint("up-", i)); resp.StatusCode != 200 {
			t.Fatalf("%d %s", resp.StatusCode, body)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(uploadedIDs(t, sim)) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d events uploaded; logs: %s", len(uploadedIDs(t, sim)), n, gw.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	ids := uploadedIDs(t, sim)
	seen := map[string]bool{}
	for _, id := range ids {
		seen[id] = true
	}
	if len(ids) != n || len(seen) != n || len(sim.Uploads()) < 2 {
		t.Errorf("%d ids (%d distinct) in %d uploads, want %d in several (rotation by size)", len(ids), len(seen), len(sim.Uploads()), n)
	}
	_, metrics := do(t, client(), "GET", gw.http+"/metrics", nil)
	if !strings.Contains(metrics, `mgw_analytics_uploads_total{result="failed"} 2`) {
		t.Errorf("metrics do not count the 2 failed uploads:\n%s", metrics)
	}
	if strings.Contains(gw.logs.String(), `"admin:admin"`) || strings.Contains(gw.logs.String(), "YWRtaW46YWRtaW4") {
		t.Error("credentials in the log")
	}
	if names, _ := usage.ListZips(a.Dir); len(names) != 0 {
		t.Errorf("uploaded files left on disk: %v", names)
	}
}

// writeZips makes count usage zips of one line each in a new folder.
func writeZips(t *testing.T, count int) string {
	t.Helper()
	dir := t.TempDir()
	for i := range count {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		f, _ := zw.Create(usage.DataFile)
		_, _ = f.Write(usage.AppendLine(nil, &usage.Event{Kind: usage.KindRequest, Time: time.Now(), CorrelationID: fmt.Sprint("hand-", i)}))
		_ = zw.Close()
		if err := os.WriteFile(filepath.Join(dir, usage.ZipName(time.UnixMilli(int64(1000+i)))), buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAnalyticsUploadCommand(t *testing.T) {
	sim := apimsimtest.Start(t, apimsim.Options{})
	spec := petstore("http://127.0.0.1:1")
	env := []string{"MGW_ANALYTICS_UPLOAD_URL=" + sim.URL() + simUploadPath, "MGW_ANALYTICS_CA_FILE=" + apimsimtest.CAFile(t, sim)}
	run := func(env []string, args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := Main(spec, append([]string{"analytics"}, args...), env, &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}
	dir := writeZips(t, 3)

	code, out, errOut := run(append(env, "MGW_ANALYTICS_PASSWORD=wrong-pw"), "upload", dir)
	if code != 1 || !strings.Contains(errOut, "401") || strings.Contains(out+errOut, "wrong-pw") {
		t.Errorf("wrong password: exit %d, %q %q", code, out, errOut)
	}
	if names, _ := usage.ListZips(dir); len(names) != 3 {
		t.Errorf("files after a refused upload: %v", names)
	}
	code, out, errOut = run(append(env, "MGW_ANALYTICS_PASSWORD=admin"), "upload", dir)
	if code != 0 || !strings.Contains(out, "uploaded 3 of 3 usage files") {
		t.Errorf("upload: exit %d, %q %q", code, out, errOut)
	}
	if ids := uploadedIDs(t, sim); strings.Join(ids, ",") != "hand-0,hand-1,hand-2" {
		t.Errorf("uploaded %v, want oldest first", ids)
	}
	if names, _ := usage.ListZips(dir); len(names) != 0 {
		t.Errorf("files left after upload: %v", names)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"download", dir}, 2, `the only command is "upload"`},
		{[]string{"upload"}, 2, "give exactly one folder"},
		{[]string{"upload", filepath.Join(dir, "missing")}, 1, "is not a folder"},
		{[]string{"upload", "--help"}, 0, "Usage: test analytics upload"},
	} {
		code, out, errOut := run(append(env, "MGW_ANALYTICS_PASSWORD=admin"), tc.args...)
		if code != tc.code || !strings.Contains(out+errOut, tc.want) {
			t.Errorf("%v: exit %d, %q %q", tc.args, code, out, errOut)
		}
	}
	if code, _, errOut := run(nil, "upload", dir); code != 1 || !strings.Contains(errOut, "MGW_ANALYTICS_PASSWORD") {
		t.Errorf("no password: exit %d, %q", code, errOut)
	}
}

// TestAnalyticsSIGTERMUnderLoad stops a gateway process with SIGTERM while
// clients keep sending requests: every request it answered is in a usage
// file the analytics server received.
func TestAnalyticsSIGTERMUnderLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a gateway process")
	}
	sim := apimsimtest.Start(t, apimsim.Options{})
	be := echoBackend(t, "pets")
	dir := t.TempDir()
	ready := filepath.Join(t.TempDir(), "ready.json")
	cmd, _, stderr := gatewayCmd(t, be.URL, []string{
		"MGW_HTTP_PORT=0", "MGW_READY_FILE=" + ready, "MGW_LOG_FORMAT=json", "MGW_SHUTDOWN_GRACE=20s",
		"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_DIR=" + dir,
		"MGW_ANALYTICS_UPLOAD_URL=" + sim.URL() + simUploadPath, "MGW_ANALYTICS_PASSWORD=admin",
		"MGW_ANALYTICS_CA_FILE=" + apimsimtest.CAFile(t, sim), "MGW_ANALYTICS_ROTATE_SIZE=64KiB",
	}, "--config", writeFile(t, "gw.yaml", "http:\n  host: 127.0.0.1\nlog:\n  access: false\n"))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	var addrs map[string]string
	for deadline := time.Now().Add(10 * time.Second); ; {
		if data, err := os.ReadFile(ready); err == nil && json.Unmarshal(data, &addrs) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no ready file; stderr: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	url := "http://" + addrs["http"] + "/petstore/v1/dog"
	var answered atomic.Int64
	var stopLoad atomic.Bool
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := client()
			for !stopLoad.Load() {
				resp, err := c.Get(url)
				if err != nil {
					if strings.Contains(err.Error(), "connection refused") {
						return // the listener is closed
					}
					continue
				}
				drain(resp)
				if resp.StatusCode == 200 {
					answered.Add(1)
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		stopLoad.Store(true)
		<-done
		t.Error("clients were still answered 20s after SIGTERM")
	}
	if code := exitCode(t, cmd.Wait()); code != 0 {
		t.Fatalf("exit code %d; stderr: %s", code, stderr.String())
	}
	ids := uploadedIDs(t, sim)
	left, _ := usage.ListZips(dir)
	if n := answered.Load(); n < 100 || int64(len(ids)) != n || len(left) != 0 {
		t.Errorf("%d requests answered, %d events uploaded, %d files left; stderr: %s", n, len(ids), len(left), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(dir, usage.DataFile)); !os.IsNotExist(err) {
		t.Errorf("%s not rotated at shutdown", usage.DataFile)
	}
	t.Logf("%d requests answered and uploaded in %d files", len(ids), len(sim.Uploads()))
}

// drain reads and closes a response body.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
