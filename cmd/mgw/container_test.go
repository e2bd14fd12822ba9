package main

import (
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

// hasContainerRuntime reports whether podman can run the images mgw
// builds: podman and runc on PATH, as root (the CI machine installs them).
func hasContainerRuntime() bool {
	if os.Getuid() != 0 {
		return false
	}
	for _, tool := range []string{"podman", "runc"} {
		if _, err := exec.LookPath(tool); err != nil {
			return false
		}
	}
	return true
}

// podman runs podman with its storage under the script's work folder, so
// tests never touch the machine's images, and with settings that work in
// a sandbox without systemd or cgroup v2 delegation.
func podman(ts *testscript.TestScript, args ...string) (string, error) {
	// podman wants a run root of at most 50 characters, which $WORK is not.
	runroot := ts.Getenv("PODMAN_RUNROOT")
	if runroot == "" {
		dir, err := os.MkdirTemp("", "pm")
		ts.Check(err)
		runroot = dir
		ts.Setenv("PODMAN_RUNROOT", dir)
		ts.Defer(func() { _ = os.RemoveAll(dir) })
	}
	base := []string{
		"--root", ts.MkAbs("$WORK/.podman/root"), "--runroot", runroot,
		"--storage-driver", "vfs", "--runtime", "runc", "--cgroup-manager", "cgroupfs", "--events-backend", "file",
	}
	out, err := exec.Command("podman", append(base, args...)...).CombinedOutput()
	return string(out), err
}

// container load ARCHIVE: load an OCI archive as podman load does.
// container run NAME IMAGE PORTVAR [VAR=value...]: run IMAGE detached on
// the host network with MGW_HTTP_PORT set to a free port, which is stored
// in PORTVAR; the container is removed when the script ends.
// container exec NAME ARGS...: run a command inside; its output goes to
// stdout.
// container inspect NAME FORMAT: podman inspect --format FORMAT.
func cmdContainer(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: container load|run|exec|inspect ...")
	}
	run := func(args ...string) {
		out, err := podman(ts, args...)
		ts.Logf("podman %s", strings.Join(args, " "))
		_, _ = ts.Stdout().Write([]byte(out))
		if err != nil && !neg {
			ts.Fatalf("podman %s: %v\n%s", args[0], err, out)
		}
		if err == nil && neg {
			ts.Fatalf("podman %s succeeded unexpectedly", args[0])
		}
	}
	switch args[0] {
	case "load":
		run("load", "-i", ts.MkAbs(args[1]))
	case "run":
		if len(args) < 4 {
			ts.Fatalf("usage: container run NAME IMAGE PORTVAR [VAR=value...]")
		}
		name, img, portVar := args[1], args[2], args[3]
		l, err := net.Listen("tcp", "127.0.0.1:0")
		ts.Check(err)
		port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		ts.Check(l.Close())
		ts.Setenv(portVar, port)
		flags := []string{"run", "-d", "--name", name, "--network", "host",
			"--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024",
			"-e", "MGW_HTTP_PORT=" + port}
		for _, kv := range args[4:] {
			flags = append(flags, "-e", kv)
		}
		ts.Defer(func() { _, _ = podman(ts, "rm", "-f", "-t", "0", name) })
		run(append(flags, img)...)
	case "exec":
		run(append([]string{"exec", args[1]}, args[2:]...)...)
	case "inspect":
		run("inspect", "--format", args[2], args[1])
	default:
		ts.Fatalf("container: unknown command %q", args[0])
	}
}
