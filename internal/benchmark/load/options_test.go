package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseOptions(t *testing.T) {
	o, err := parseOptions(nil, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range o.Targets {
		names = append(names, v.Name)
	}
	if got := strings.Join(names, ","); got != defaultTargets {
		t.Errorf("default targets %s, want %s", got, defaultTargets)
	}
	bad := map[string][]string{
		"whole seconds":           {"-duration", "1500ms"},
		"at least one connection": {"-connections", "1", "-threads", "2"},
		"unknown target":          {"-targets", "direct,haproxy"},
		"from 0 to":               {"-body", "-1"},
		"auto or a positive":      {"-nginx-workers", "0"},
		"unexpected argument":     {"extra"},
		"give 1 to 99":            {"-rounds", "0"},
	}
	for want, args := range bad {
		if _, err := parseOptions(args, io.Discard); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: err = %v, want it to mention %q", args, err, want)
		}
	}
}

// The generated configuration is one nginx accepts (nginx -t).
func TestNginxConfigAccepted(t *testing.T) {
	nginx, err := lookNginx()
	if err != nil {
		t.Skip("nginx is not installed (apt-get install nginx-light)")
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := nginxConfig(dir, 1, "127.0.0.1:2", "auto")
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(nginxArgs(dir), "-t")
	if out, err := exec.Command(nginx, args...).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s\n%s", err, out, conf)
	}
}
