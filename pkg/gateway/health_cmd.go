package gateway

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// healthMain runs "<label> health [--config FILE] [--timeout D] [--ready]":
// it asks the gateway running beside it (same configuration and
// environment) for /health, or /health/ready, and exits 0 when it answers
// 200. Container images have no shell or curl, so this is what a Docker
// HEALTHCHECK runs.
func healthMain(spec *Spec, name string, args, env []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet(name+" health", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	configFile := fs.String("config", "", "read configuration from this YAML `file`")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this `duration`")
	ready := fs.Bool("ready", false, "ask /health/ready (readiness) instead of /health (liveness)")
	usage := func(w io.Writer) {
		fmt.Fprintf(w, "Usage: %s health [--config FILE] [--timeout D] [--ready]\n\n", name)
		fmt.Fprintf(w, "Asks the gateway running with the same configuration for /health and exits 0 if it is healthy.\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	if code, done := parseNoArgs(fs, name+" health", args, usage, stdout, stderr); done {
		return code
	}
	cfg, err := LoadConfig(spec, *configFile, env)
	if err != nil {
		printProblems(stderr, err)
		return exitError
	}
	target, err := healthURL(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "%s health: %v\n", name, err)
		return exitError
	}
	if *ready {
		target += readyPath
	} else {
		target += healthPath
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := probe(ctx, target); err != nil {
		fmt.Fprintf(stderr, "%s health: %s: %v\n", name, target, err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s: healthy\n", target)
	return exitOK
}

// healthURL is the gateway's own base URL on the loopback interface: its
// plain-HTTP listener, else its HTTPS one. A port of 0 is read from
// server.ready_file.
func healthURL(cfg Config) (string, error) {
	scheme, host, port := "http", cfg.HTTP.Host, cfg.HTTP.Port
	if !cfg.HTTP.Enabled {
		if cfg.HTTPS.CertFile == "" {
			return "", errors.New("the configuration enables no listener")
		}
		scheme, host, port = "https", cfg.HTTPS.Host, cfg.HTTPS.Port
	}
	if port == 0 {
		addr, err := readyAddr(cfg.Server.ReadyFile, scheme)
		if err != nil {
			return "", err
		}
		return scheme + "://" + addr, nil
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// readyAddr reads a listener's address from the ready file.
func readyAddr(file, scheme string) (string, error) {
	if file == "" {
		return "", fmt.Errorf("%s.port is 0 and server.ready_file is not set: cannot tell which port the gateway took", scheme)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("the gateway has not written its ready file yet: %w", err)
	}
	var addrs map[string]string
	if err := json.Unmarshal(data, &addrs); err != nil || addrs[scheme] == "" {
		return "", fmt.Errorf("ready file %s has no %s address", file, scheme)
	}
	return addrs[scheme], nil
}

// probe GETs url and wants 200. Over HTTPS the certificate is not checked:
// the gateway is asking itself on the loopback interface.
func probe(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{
		TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // a self-check on loopback
		Proxy:           nil,
	}}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}
