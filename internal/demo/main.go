// Command demo is what `make demo` runs: it starts the API Manager
// simulator and a local backend, runs mgw setup and mgw build for label
// "demo", starts the gateway and calls it, printing each step.
package main

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/mgwio/mgw/internal/jwtmint"
	"github.com/mgwio/mgw/internal/testbackend"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	mgw := flag.String("mgw", "bin/mgw", "the mgw binary")
	sim := flag.String("apimsim", "bin/apimsim", "the apimsim binary")
	dir := flag.String("dir", "", "workspace folder (default: a new temporary folder, kept)")
	flag.Parse()
	mgwPath, err := filepath.Abs(*mgw)
	if err != nil {
		return err
	}
	ws := *dir
	if ws == "" {
		if ws, err = os.MkdirTemp("", "mgw-demo-"); err != nil {
			return err
		}
	}
	runDir, err := os.MkdirTemp("", "mgw-demo-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(runDir)

	step("Start a local backend and the API Manager simulator")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	backend := &http.Server{Handler: testbackend.Handler("demo-backend"), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = backend.Serve(ln) }()
	defer backend.Close()
	backendURL := "http://" + ln.Addr().String()
	fmt.Println("backend:  ", backendURL)

	received := filepath.Join(runDir, "analytics-received")
	simCmd := exec.CommandContext(ctx, *sim, "--addr", "127.0.0.1:0", "--backend", backendURL, "--analytics-dir", received,
		"--ready-file", filepath.Join(runDir, "sim.url"), "--cert-out", filepath.Join(runDir, "apim.pem"))
	simCmd.Stderr = io.Discard
	if err := simCmd.Start(); err != nil {
		return fmt.Errorf("start the simulator (run make build first): %w", err)
	}
	defer stopProcess(simCmd)
	simURL, err := waitFile(ctx, filepath.Join(runDir, "sim.url"))
	if err != nil {
		return fmt.Errorf("simulator: %w", err)
	}
	fmt.Println("simulator:", simURL, "(user admin, password admin; certificate", filepath.Join(runDir, "apim.pem")+")")

	step("mgw setup demo")
	env := append(os.Environ(), "MGW_PASSWORD=admin")
	if err := show(ctx, env, mgwPath, "setup", "demo", "-C", ws, "-s", simURL, "-u", "admin", "--ca-file", filepath.Join(runDir, "apim.pem")); err != nil {
		return err
	}

	step("The workspace: " + ws)
	if err := tree(ws); err != nil {
		return err
	}

	step("mgw build --image --k8s (binary, OCI image, Kubernetes manifests)")
	if err := show(ctx, env, mgwPath, "build", "-C", ws, "--image", "--k8s"); err != nil {
		return err
	}
	if err := tree(filepath.Join(ws, "dist")); err != nil {
		return err
	}
	fmt.Println("  (load the image with 'docker load -i dist/demo.oci.tar' or 'podman load -i ...'; apply the manifests with 'kubectl apply -k dist/demo-k8s')")

	step("Run dist/demo with deploy-time settings")
	// The key manager that issues access tokens (API Manager 2.x JWTs).
	km, err := jwtmint.New()
	if err != nil {
		return err
	}
	jwtCert := filepath.Join(runDir, "jwt.pem")
	if err := os.WriteFile(jwtCert, km.CertPEM(), 0o644); err != nil {
		return err
	}
	ready := filepath.Join(runDir, "gateway.json")
	gwEnv := append(os.Environ(),
		"MGW_HTTP_PORT=0", "MGW_READY_FILE="+ready, "MGW_JWT_CERT_FILE="+jwtCert,
		// Usage analytics, uploaded to the simulator's receiver.
		"MGW_ANALYTICS_ENABLED=true", "MGW_ANALYTICS_DIR="+filepath.Join(runDir, "usage"),
		"MGW_ANALYTICS_UPLOAD_URL="+simURL+"/analytics/v1.0/usage/upload-file",
		"MGW_ANALYTICS_USERNAME=admin", "MGW_ANALYTICS_PASSWORD=admin",
		"MGW_ANALYTICS_CA_FILE="+filepath.Join(runDir, "apim.pem"),
		"MGW_API_INVENTORYAPI_2_0_0_PRODUCTION_PASSWORD=demo-secret",
		"MGW_API_INVENTORYAPI_2_0_0_SANDBOX_PASSWORD=demo-secret",
	)
	fmt.Println("MGW_HTTP_PORT=0 MGW_READY_FILE=... MGW_JWT_CERT_FILE=jwt.pem MGW_API_INVENTORYAPI_2_0_0_PRODUCTION_PASSWORD=*** \\\n  MGW_ANALYTICS_ENABLED=true MGW_ANALYTICS_UPLOAD_URL=<simulator>/analytics/v1.0/usage/upload-file ... ./dist/demo")
	gw := exec.CommandContext(ctx, filepath.Join(ws, "dist", "demo"))
	gw.Env = gwEnv
	logs := &strings.Builder{}
	gw.Stderr = logs
	start := time.Now()
	if err := gw.Start(); err != nil {
		return err
	}
	defer stopProcess(gw)
	readyJSON, err := waitFile(ctx, ready)
	if err != nil {
		return fmt.Errorf("gateway did not start: %w\n%s", err, logs)
	}
	var addrs map[string]string
	if err := json.Unmarshal([]byte(readyJSON), &addrs); err != nil {
		return err
	}
	base := "http://" + addrs["http"]
	fmt.Printf("listening on %s after %v\n", base, time.Since(start).Round(time.Millisecond))

	step("Call the gateway")
	token, err := km.Token(jwtmint.Claims{Scopes: []string{"read:menu"}, APIs: []jwtmint.API{
		{Name: "PizzaShackAPI", Version: "1.0.0", Tier: "Gold"}, {Name: "InventoryAPI", Version: "2.0.0"}, {Name: "PetstoreAPI", Version: "1.0.5"},
	}})
	if err != nil {
		return err
	}
	other, err := km.Token(jwtmint.Claims{APIs: []jwtmint.API{{Name: "PetstoreAPI", Version: "1.0.5"}}})
	if err != nil {
		return err
	}
	fmt.Println("an application's access token (JWT) subscribed to PizzaShackAPI, InventoryAPI and PetstoreAPI, scope read:menu")
	for _, c := range []struct{ method, path, header, token, note string }{
		{"GET", "/health", "", "", "liveness"},
		{"GET", "/pizzashack/1.0.0/menu", "", "", "no token: 401, fault 900902"},
		{"GET", "/pizzashack/1.0.0/menu", "Authorization", token, "PizzaShackAPI: context and version stripped as a prefix"},
		{"GET", "/pizzashack/1.0.0/menu", "Authorization", other, "a token without a subscription to PizzaShackAPI: 403, fault 900908"},
		{"GET", "/pizzashack/1.0.0/noauth", "", "", "a resource with x-auth-type None"},
		{"GET", "/inventory/items/42?fields=qty", "X-Inventory-Auth", token, "InventoryAPI 2.0.0 is the default version (its token header is X-Inventory-Auth)"},
		{"GET", "/petstore/1.0.5/pet/7", "Authorization", token, "PetstoreAPI: load-balanced endpoints"},
		{"GET", "/pizzashack/1.0.0/no-such-resource", "Authorization", token, "no matching resource: WSO2 fault 900906"},
		{"DELETE", "/pizzashack/1.0.0/menu", "Authorization", token, "resource without that method: 405 with Allow"},
	} {
		if err := call(base, c.method, c.path, c.header, c.token, c.note); err != nil {
			return err
		}
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println("\n/metrics (requests):")
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, "mgw_requests_total{") {
			fmt.Println("  " + line)
		}
	}

	step("Stop the gateway (SIGTERM: drain, flush analytics, upload, exit 0)")
	_ = gw.Process.Signal(syscall.SIGTERM)
	err = gw.Wait()
	fmt.Printf("exit: %v\n", exitText(err))
	if err := showReceived(received); err != nil {
		return err
	}
	fmt.Println("\nAccess log lines:")
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "msg=access") {
			fmt.Println("  " + line)
		}
	}
	fmt.Printf("\nThe workspace is kept in %s: try 'mgw -C %s setup demo' again, or edit and rebuild.\n", ws, ws)
	return nil
}

// showReceived prints the usage files the simulator's analytics receiver
// got, and their first event lines.
func showReceived(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("analytics receiver: %w", err)
	}
	fmt.Printf("\nThe analytics receiver got %d file(s):\n", len(entries))
	for _, e := range entries {
		zr, err := zip.OpenReader(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				zr.Close()
				return err
			}
			data, _ := io.ReadAll(rc)
			rc.Close()
			lines := strings.Split(strings.TrimSpace(string(data)), "\n")
			fmt.Printf("  %s: %d events, e.g.\n", e.Name(), len(lines))
			for _, l := range lines[:min(2, len(lines))] {
				if len(l) > 160 {
					l = l[:160] + "..."
				}
				fmt.Println("    " + l)
			}
		}
		zr.Close()
	}
	return nil
}

func step(title string) { fmt.Printf("\n=== %s\n", title) }

// show runs a command, printing its command line and output.
func show(ctx context.Context, env []string, name string, args ...string) error {
	fmt.Println("$ mgw " + strings.Join(args, " "))
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stdout
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("mgw %s: %w", args[0], err)
	}
	return nil
}

func call(base, method, path, header, token, note string) error {
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		return err
	}
	if token != "" {
		req.Header.Set(header, "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("\n%s %s   # %s\n-> %s", method, path, note, resp.Status)
	if a := resp.Header.Get("Allow"); a != "" {
		fmt.Printf("  Allow: %s", a)
	}
	fmt.Println()
	var echo testbackend.Echo
	if json.Unmarshal(body, &echo) == nil && echo.Backend != "" {
		target := echo.Path
		if echo.Query != "" {
			target += "?" + echo.Query
		}
		fmt.Printf("   backend saw: %s %s (X-Forwarded-For %s, X-Request-ID %s)\n", echo.Method, target,
			strings.Join(echo.Headers["X-Forwarded-For"], ","), strings.Join(echo.Headers["X-Request-Id"], ","))
		return nil
	}
	fmt.Printf("   %s\n", strings.TrimSpace(string(body)))
	return nil
}

func tree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			if d.Name() == ".mgw" {
				fmt.Println("  .mgw/  (private: encrypted credential cache, state)")
				return fs.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Printf("  %-60s %7d bytes\n", rel, info.Size())
		return nil
	})
}

func waitFile(ctx context.Context, path string) (string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			return strings.TrimSpace(string(b)), nil
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return "", errors.New(path + " did not appear within 30s")
}

func stopProcess(cmd *exec.Cmd) {
	if cmd.Process == nil || cmd.ProcessState != nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
	}
}

func exitText(err error) string {
	if err == nil {
		return "0"
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return fmt.Sprint(ee.ExitCode())
	}
	return err.Error()
}
