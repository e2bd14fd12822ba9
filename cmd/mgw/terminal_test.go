//go:build linux

package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mgwio/mgw/internal/apimsim"
	"github.com/mgwio/mgw/internal/apimsim/apimsimtest"
)

// openPTY returns the controlling side and the terminal of a new
// pseudo-terminal.
func openPTY(t *testing.T) (ptmx, tty *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	tty, err = os.OpenFile(filepath.Join("/dev/pts", strings.TrimSpace(itoa(n))), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 120}); err != nil {
		t.Fatal(err)
	}
	// Raw from the start, as survey sets it anyway: in canonical mode our
	// answer to a cursor position query could wait for a newline.
	tio, err := unix.IoctlGetTermios(int(tty.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(int(tty.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	return ptmx, tty
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			return string(b[i:])
		}
	}
}

// screen collects what the program writes to the terminal and, like a
// terminal, answers cursor position queries (ESC [ 6 n).
type screen struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	term    io.Writer
	queries int
	last    time.Time
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, err := s.buf.Write(p)
	s.last = time.Now()
	for q := strings.Count(s.buf.String(), "\x1b[6n"); s.queries < q; s.queries++ {
		_, _ = io.WriteString(s.term, "\x1b[1;1R")
	}
	return n, err
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// quietFor reports whether nothing was written for d.
func (s *screen) quietFor(d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Since(s.last) >= d
}

// waitFor waits until the screen shows text after offset from and the
// program has stopped drawing. A prompt asks for the cursor position right
// after its text; typing before that reply is read would mix our keys into
// it, as a user typing that fast would on a real terminal.
func (s *screen) waitFor(t *testing.T, from int, text string) int {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if i := strings.Index(s.String()[from:], text); i >= 0 && s.quietFor(300*time.Millisecond) {
			return from + i + len(text)
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("the terminal never showed %q; it shows:\n%s", text, s.String())
	return 0
}

// TestSetupPromptsOnATerminal runs mgw setup on a pseudo-terminal with no
// URL, username or password given: it asks for each (the password without
// echo), then pulls the label and shows progress in place.
func TestSetupPromptsOnATerminal(t *testing.T) {
	srv := apimsimtest.Start(t, apimsim.Options{})
	ca := apimsimtest.CAFile(t, srv)
	mgw, err := exec.LookPath("mgw")
	if err != nil {
		t.Fatal(err)
	}
	ws := t.TempDir()
	ptmx, tty := openPTY(t)
	defer ptmx.Close()

	cmd := exec.Command(mgw, "setup", "demo", "-C", ws, "--ca-file", ca)
	cmd.Env = append(os.Environ(), "MGW_SERVER_URL=", "MGW_USERNAME=", "MGW_PASSWORD=", "NO_COLOR=1", "TERM=xterm")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	scr := &screen{term: ptmx}
	go func() { _, _ = io.Copy(scr, ptmx) }()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	at := scr.waitFor(t, 0, "API Manager URL")
	if _, err := io.WriteString(ptmx, srv.URL()+"\r"); err != nil {
		t.Fatal(err)
	}
	at = scr.waitFor(t, at, "API Manager username")
	if _, err := io.WriteString(ptmx, "admin\r"); err != nil {
		t.Fatal(err)
	}
	at = scr.waitFor(t, at, "Password for admin")
	if _, err := io.WriteString(ptmx, "admin\r"); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, at, "Label demo:")
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("mgw setup: %v\n%s", err, scr.String())
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("mgw setup did not finish:\n%s", scr.String())
	}
	out := scr.String()
	if strings.Contains(out[strings.Index(out, "Password for admin"):], "admin\r\n") {
		t.Errorf("the password was echoed:\n%s", out)
	}
	if !strings.Contains(out, "\rAPIs fetched") && !strings.Contains(out, "\r\x1b[KAPIs fetched") {
		t.Errorf("no in-place progress on the terminal:\n%q", out)
	}
	cfg, err := os.ReadFile(filepath.Join(ws, "mgw.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cfg), "username: admin") || !strings.Contains(string(cfg), srv.URL()) {
		t.Errorf("mgw.yaml does not remember the answers:\n%s", cfg)
	}
}
