package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopWait is how long a process gets to exit after SIGTERM before it is
// killed.
const stopWait = 5 * time.Second

// Proc is one process the benchmark started, in its own process group so
// that stopping it also stops its children (nginx's workers).
type Proc struct {
	Name    string
	LogPath string // its stdout and stderr
	cmd     *exec.Cmd
	done    chan struct{}
	err     error // valid once done is closed
}

// PID is the process id.
func (p *Proc) PID() int { return p.cmd.Process.Pid }

// Exited reports whether the process has ended, and how.
func (p *Proc) Exited() (bool, error) {
	select {
	case <-p.done:
		return true, p.err
	default:
		return false, nil
	}
}

// Stop ends the process group with SIGTERM, then SIGKILL after stopWait.
func (p *Proc) Stop() {
	if done, _ := p.Exited(); done {
		return
	}
	_ = syscall.Kill(-p.PID(), syscall.SIGTERM)
	select {
	case <-p.done:
		return
	case <-time.After(stopWait):
	}
	_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
	<-p.done
}

// LogTail is the end of the process's output, for error messages.
func (p *Proc) LogTail() string {
	data, err := os.ReadFile(p.LogPath)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return strings.Join(lines, "\n")
}

// Procs is every process the benchmark started, stopped in reverse order.
type Procs struct {
	mu   sync.Mutex
	list []*Proc
}

// Start runs path with args and env (nil means this process's
// environment), writing its output to logPath.
func (ps *Procs) Start(name, logPath, path string, args, env []string) (*Proc, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	defer logFile.Close()
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &Proc{Name: name, LogPath: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	ps.mu.Lock()
	ps.list = append(ps.list, p)
	ps.mu.Unlock()
	return p, nil
}

// Mark is the number of processes started so far, for StopSince.
func (ps *Procs) Mark() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.list)
}

// StopSince stops, newest first, every process started after mark.
func (ps *Procs) StopSince(mark int) {
	ps.mu.Lock()
	todo := append([]*Proc(nil), ps.list[mark:]...)
	ps.list = ps.list[:mark]
	ps.mu.Unlock()
	for i := len(todo) - 1; i >= 0; i-- {
		todo[i].Stop()
	}
}

// StopAll stops every process.
func (ps *Procs) StopAll() { ps.StopSince(0) }

// errExited describes a process that ended before it should have.
func errExited(p *Proc) error {
	_, err := p.Exited()
	if err == nil {
		err = errors.New("exit status 0")
	}
	if tail := p.LogTail(); tail != "" {
		return fmt.Errorf("%s exited early (%w); its last output:\n%s", p.Name, err, indent(tail))
	}
	return fmt.Errorf("%s exited early (%w) without output", p.Name, err)
}

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
