// Package redistest runs a throwaway redis-server on 127.0.0.1 for tests.
package redistest

import (
	"bufio"
	"crypto/tls"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Server is a redis-server process started for one test.
type Server struct {
	t        testing.TB
	Port     int
	Password string
	// TLS, when set by StartTLS, is the client configuration that trusts
	// the server's certificate.
	TLS      *tls.Config
	certFile string
	keyFile  string
	extra    []string // more redis-server arguments
	dir      string   // the server's working directory (a replica's sync files land there)
	cmd      *exec.Cmd
}

// Start launches redis-server on a free port (with requirepass when
// password is not empty) and stops it when the test ends. Without
// redis-server on PATH the test is skipped, unless CI is set: then it
// fails.
func Start(t testing.TB, password string) *Server {
	t.Helper()
	return start(t, password, "", "", nil)
}

// StartWith is Start with more redis-server arguments, such as
// --replicaof.
func StartWith(t testing.TB, password string, args ...string) *Server {
	t.Helper()
	requireServer(t)
	s := &Server{t: t, Port: FreePort(t), Password: password, extra: args}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// StartTLS is Start with TLS only, serving certFile and keyFile (PEM);
// clientTLS is what a client needs to trust them.
func StartTLS(t testing.TB, password, certFile, keyFile string, clientTLS *tls.Config) *Server {
	t.Helper()
	return start(t, password, certFile, keyFile, clientTLS)
}

// requireServer skips the test without redis-server on PATH, or fails
// it when CI is set.
func requireServer(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is not on PATH; CI must install it (apt-get install -y redis-server)")
		}
		t.Skip("redis-server is not on PATH; install it (apt-get install -y redis-server) to run the Redis tests")
	}
}

// FreePort returns a 127.0.0.1 TCP port that was free a moment ago and
// whose Redis Cluster bus port (+10000) is free too.
func FreePort(t testing.TB) int {
	t.Helper()
	for i := 0; i < 50; i++ {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port > 55535 {
			continue
		}
		bus, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port+10000))
		if err != nil {
			continue
		}
		bus.Close()
		return port
	}
	t.Fatal("no free port pair for redis-server")
	return 0
}

func start(t testing.TB, password, certFile, keyFile string, clientTLS *tls.Config) *Server {
	t.Helper()
	requireServer(t)
	certFile, keyFile = absPath(t, certFile), absPath(t, keyFile)
	s := &Server{t: t, Port: FreePort(t), Password: password, TLS: clientTLS, certFile: certFile, keyFile: keyFile}
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// Addr is the server's host:port.
func (s *Server) Addr() string { return "127.0.0.1:" + strconv.Itoa(s.Port) }

// URL is the redis:// URL of the server, with its password.
func (s *Server) URL() string {
	scheme := "redis://"
	if s.TLS != nil {
		scheme = "rediss://"
	}
	if s.Password != "" {
		return scheme + ":" + s.Password + "@" + s.Addr()
	}
	return scheme + s.Addr()
}

// Stop kills the server and waits for it to exit. It may be called
// more than once.
func (s *Server) Stop() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

// Restart starts the server again on the same port (empty: it keeps no
// data) and waits until it answers.
func (s *Server) Restart() {
	s.t.Helper()
	args := []string{"--port", strconv.Itoa(s.Port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}
	if s.TLS != nil {
		args = []string{"--port", "0", "--tls-port", strconv.Itoa(s.Port), "--tls-cert-file", s.certFile, "--tls-key-file", s.keyFile,
			"--tls-auth-clients", "no", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"}
	}
	if s.Password != "" {
		args = append(args, "--requirepass", s.Password)
	}
	args = append(args, s.extra...)
	cmd := exec.Command("redis-server", args...)
	// A replica's full resync writes temp-*.rdb into the working
	// directory: keep it out of the package under test.
	if s.dir == "" {
		s.dir = s.t.TempDir()
	}
	cmd.Dir = s.dir
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting redis-server: %v", err)
	}
	s.cmd = cmd
	deadline := time.Now().Add(10 * time.Second)
	for {
		if s.answers() {
			return
		}
		if time.Now().After(deadline) {
			s.Stop()
			s.t.Fatalf("redis-server on port %d did not answer within 10s", s.Port)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) answers() bool {
	var c net.Conn
	var err error
	d := &net.Dialer{Timeout: 200 * time.Millisecond}
	if s.TLS != nil {
		c, err = tls.DialWithDialer(d, "tcp", s.Addr(), s.TLS)
	} else {
		c, err = d.Dial("tcp", s.Addr())
	}
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && (strings.HasPrefix(line, "+PONG") || strings.HasPrefix(line, "-NOAUTH"))
}

// Cli runs redis-cli against the server and returns its output (the
// error text when redis-cli fails).
func (s *Server) Cli(args ...string) string {
	base := []string{"-h", "127.0.0.1", "-p", strconv.Itoa(s.Port), "--no-auth-warning"}
	if s.Password != "" {
		base = append(base, "-a", s.Password)
	}
	out, err := exec.Command("redis-cli", append(base, args...)...).CombinedOutput()
	if err != nil {
		return err.Error() + ": " + string(out)
	}
	return string(out)
}

// absPath makes a file argument independent of the server's working
// directory ("" stays "").
func absPath(t testing.TB, file string) string {
	t.Helper()
	if file == "" {
		return ""
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatalf("redis-server file argument %q: %v", file, err)
	}
	return abs
}
