package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// nginxConfig is a plain reverse proxy to backend (host:port) listening
// on 127.0.0.1:port, with every file under dir. Keep-alive both ways, no
// access log, no caching, no buffering to disk at this body size.
func nginxConfig(dir string, port int, backend, workers string) string {
	p := func(name string) string { return filepath.Join(dir, name) }
	var b strings.Builder
	fmt.Fprintf(&b, "worker_processes %s;\n", workers)
	fmt.Fprintf(&b, "error_log %s warn;\n", p("error.log"))
	fmt.Fprintf(&b, "pid %s;\n", p("nginx.pid"))
	b.WriteString("events {\n    worker_connections 4096;\n}\n")
	b.WriteString("http {\n")
	b.WriteString("    access_log off;\n")
	for _, t := range []string{"client_body", "proxy", "fastcgi", "uwsgi", "scgi"} {
		fmt.Fprintf(&b, "    %s_temp_path %s;\n", t, p("tmp/"+t))
	}
	b.WriteString("    keepalive_requests 1000000;\n")
	b.WriteString("    upstream backend {\n")
	fmt.Fprintf(&b, "        server %s;\n", backend)
	b.WriteString("        keepalive 256;\n        keepalive_requests 1000000;\n    }\n")
	b.WriteString("    server {\n")
	fmt.Fprintf(&b, "        listen 127.0.0.1:%d;\n", port)
	b.WriteString("        location / {\n")
	b.WriteString("            proxy_pass http://backend;\n")
	b.WriteString("            proxy_http_version 1.1;\n")
	b.WriteString("            proxy_set_header Connection \"\";\n")
	b.WriteString("        }\n    }\n}\n")
	return b.String()
}

// nginxArgs runs nginx in the foreground with its prefix, configuration
// and error log in dir.
func nginxArgs(dir string) []string {
	return []string{"-p", dir + "/", "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"), "-g", "daemon off;"}
}

// startNginx writes a configuration to env.Dir and runs nginx with it.
func startNginx(ctx context.Context, env *Env) (Target, error) {
	port, err := freePort()
	if err != nil {
		return Target{}, err
	}
	u, err := url.Parse(env.Backend)
	if err != nil {
		return Target{}, fmt.Errorf("nginx: backend URL: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(env.Dir, "tmp"), 0o755); err != nil {
		return Target{}, fmt.Errorf("nginx: %w", err)
	}
	conf := nginxConfig(env.Dir, port, u.Host, env.NginxWorkers)
	if err := os.WriteFile(filepath.Join(env.Dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		return Target{}, fmt.Errorf("nginx: %w", err)
	}
	p, err := env.start("nginx", env.Nginx, nginxArgs(env.Dir), nil)
	if err != nil {
		return Target{}, err
	}
	target := fmt.Sprintf("http://127.0.0.1:%s/size/%d", strconv.Itoa(port), env.Body)
	if err := waitReady(ctx, p, target, 10*time.Second); err != nil {
		if log, rerr := os.ReadFile(filepath.Join(env.Dir, "error.log")); rerr == nil && len(log) > 0 {
			return Target{}, fmt.Errorf("%w\nnginx error.log:\n%s", err, indent(strings.TrimSpace(string(log))))
		}
		return Target{}, err
	}
	return Target{URL: target, PID: p.PID()}, nil
}
