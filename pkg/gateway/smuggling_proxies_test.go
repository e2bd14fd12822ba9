package gateway

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// The smuggling suite's front proxies: nginx and haproxy started from
// the test with generated configs in t.TempDir() on free 127.0.0.1
// ports, in the foreground, stopped at cleanup. Both keep and reuse
// their connections to the gateway, which is where a desync would leak
// one client's smuggled request into another's exchange.

// proxyBinary finds name on PATH (or in /usr/sbin); without it the test
// is skipped, except in CI (CI=true), which must run it.
func proxyBinary(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/" + name); serr == nil {
			return "/usr/sbin/" + name
		}
		msg := fmt.Sprintf("%s is not installed (apt-get install nginx-light haproxy): the front-proxy topology does not run", name)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// freeAddr returns a 127.0.0.1 address nothing listens on right now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// runProxy starts cmd, stops it at cleanup and waits until addr accepts
// connections.
func runProxy(t *testing.T, cmd *exec.Cmd, addr, logFile string) {
	t.Helper()
	out, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", cmd.Path, err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		out.Close()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(3 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 100*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		select {
		case <-exited:
			b, _ := os.ReadFile(logFile)
			t.Fatalf("%s exited: %s", cmd.Path, b)
		default:
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logFile)
			t.Fatalf("%s does not listen on %s: %s", cmd.Path, addr, b)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// startNginx runs nginx as a reverse proxy to gw with HTTP/1.1 upstream
// keepalive and returns its address.
func startNginx(t *testing.T, gw string) string {
	bin := proxyBinary(t, "nginx")
	dir := t.TempDir()
	addr := freeAddr(t)
	conf := fmt.Sprintf(`daemon off;
master_process off;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log info;
events { worker_connections 256; }
http {
	access_log %[1]s/access.log;
	client_body_temp_path %[1]s/body;
	proxy_temp_path %[1]s/proxy;
	fastcgi_temp_path %[1]s/fastcgi;
	uwsgi_temp_path %[1]s/uwsgi;
	scgi_temp_path %[1]s/scgi;
	upstream gateway {
		server %[2]s;
		keepalive 4;
	}
	server {
		listen %[3]s;
		server_name gw;
		location / {
			proxy_pass http://gateway;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header Host $host;
		}
	}
}
`, dir, gw, addr)
	cfg := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	runProxy(t, exec.Command(bin, "-p", dir, "-c", cfg, "-e", filepath.Join(dir, "error.log")), addr, filepath.Join(dir, "stderr.log"))
	return addr
}

// startHAProxy runs haproxy in HTTP mode with "http-reuse always" in
// front of gw and returns its address.
func startHAProxy(t *testing.T, gw string) string {
	bin := proxyBinary(t, "haproxy")
	dir := t.TempDir()
	addr := freeAddr(t)
	conf := fmt.Sprintf(`global
	maxconn 256
defaults
	mode http
	timeout connect 2s
	timeout client 10s
	timeout server 10s
	timeout http-request 5s
	http-reuse always
frontend front
	bind %[1]s
	default_backend gateway
backend gateway
	server gw %[2]s
`, addr, gw)
	cfg := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	runProxy(t, exec.Command(bin, "-db", "-f", cfg, "-p", filepath.Join(dir, "haproxy.pid")), addr, filepath.Join(dir, "haproxy.log"))
	return addr
}
