package redistest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Sentinel is a master, one replica and one Sentinel watching them as
// MasterName, all on 127.0.0.1.
type Sentinel struct {
	t          testing.TB
	Master     *Server
	Replica    *Server
	Port       int // the Sentinel's port
	MasterName string
}

// StartSentinel starts the master and its replica (both with password
// when not empty) and a Sentinel without one, and waits until the
// Sentinel knows the replica, so a failover can pick it.
func StartSentinel(t testing.TB, password string) *Sentinel {
	t.Helper()
	m := StartWith(t, password)
	var auth []string
	if password != "" {
		auth = []string{"--masterauth", password}
	}
	r := StartWith(t, password, append(auth, "--replicaof", "127.0.0.1", strconv.Itoa(m.Port))...)
	s := &Sentinel{t: t, Master: m, Replica: r, Port: FreePort(t), MasterName: "mymaster"}
	conf := fmt.Sprintf("port %d\nbind 127.0.0.1\nsentinel monitor %s 127.0.0.1 %d 1\n"+
		"sentinel down-after-milliseconds %[2]s 1000\nsentinel failover-timeout %[2]s 5000\n", s.Port, s.MasterName, m.Port)
	if password != "" {
		conf += fmt.Sprintf("sentinel auth-pass %s %s\n", s.MasterName, password)
	}
	file := filepath.Join(t.TempDir(), "sentinel.conf")
	if err := os.WriteFile(file, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("redis-server", file, "--sentinel")
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting redis-server --sentinel: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	s.waitFor("the Sentinel to see the replica", func() bool {
		out, err := s.cli("SENTINEL", "REPLICAS", s.MasterName)
		return err == nil && strings.Contains(out, strconv.Itoa(r.Port)) && !strings.Contains(out, "disconnected")
	})
	return s
}

// URL is the redis+sentinel:// URL, with the password.
func (s *Sentinel) URL() string {
	u := "redis+sentinel://"
	if s.Master.Password != "" {
		u += ":" + s.Master.Password + "@"
	}
	return u + "127.0.0.1:" + strconv.Itoa(s.Port) + "/" + s.MasterName
}

// Failover makes the Sentinel promote the replica and waits until it
// names the replica as master.
func (s *Sentinel) Failover() {
	s.t.Helper()
	s.waitFor("SENTINEL FAILOVER to be accepted", func() bool {
		out, err := s.cli("SENTINEL", "FAILOVER", s.MasterName)
		return err == nil && strings.TrimSpace(out) == "OK"
	})
	s.waitFor("the replica to become master", func() bool { return s.MasterPort() == s.Replica.Port })
}

// MasterPort is the port of the master the Sentinel names now.
func (s *Sentinel) MasterPort() int {
	out, err := s.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", s.MasterName)
	if err != nil {
		return 0
	}
	f := strings.Fields(out)
	if len(f) != 2 {
		return 0
	}
	p, _ := strconv.Atoi(f[1])
	return p
}

func (s *Sentinel) cli(args ...string) (string, error) {
	out, err := exec.Command("redis-cli", append([]string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.Port)}, args...)...).CombinedOutput()
	return string(out), err
}

func (s *Sentinel) waitFor(what string, ok func() bool) {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			s.t.Fatalf("redistest: timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
