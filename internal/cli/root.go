// Package cli implements the mgw command line: one file per command, each
// a newXCmd constructor whose RunE calls a plain function.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes of mgw.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// env is how commands read the environment; tests replace it.
type env func(string) string

// globals are the options shared by every command.
type globals struct {
	dir     string
	verbose bool
	noColor bool

	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv env
}

// workdir returns the workspace directory as an absolute path.
func (g *globals) workdir() (string, error) {
	dir := g.dir
	if dir == "" {
		dir = "."
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("resolve workspace directory %q: %w", dir, err)
	}
	return abs, nil
}

// ui returns the printer for this invocation.
func (g *globals) ui() *printer {
	return newPrinter(g.stdout, g.stderr, g.verbose, g.noColor || g.getenv("NO_COLOR") != "")
}

// debugLogger logs the REST calls mgw makes with --verbose (never secrets).
func debugLogger(g *globals) *slog.Logger {
	if !g.verbose {
		return nil
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// usageError marks an error caused by how mgw was invoked (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef returns a usage error.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// Run executes mgw with args and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := newRootCmd(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	p := g.ui()
	p.Errorf("%v", err)
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", commandPath(root, args))
		return exitUsage
	}
	return exitError
}

// commandPath names the (sub)command args select, for the usage hint.
func commandPath(root *cobra.Command, args []string) string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return root.Name()
	}
	return cmd.CommandPath()
}

func newRootCmd(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "mgw",
		Short: "Turn an API Manager label into a small, fast, self-contained API gateway",
		Long: `mgw pulls the APIs of one API Manager label and the throttling policies into a
local, git-friendly workspace, then compiles one statically linked gateway
binary per label that runs anywhere, with no link to the API Manager.`,
		Example: `  # Pull the APIs of label "retail" from the API Manager
  MGW_PASSWORD=... mgw setup retail -s https://apim.example.com:9443 -u admin

  # Compile dist/retail and run it
  mgw build
  ./dist/retail`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().StringVarP(&g.dir, "dir", "C", "", "run as if mgw was started in `DIR` (the workspace)")
	root.PersistentFlags().BoolVar(&g.verbose, "verbose", false, "print details of what mgw does (never secrets)")
	root.PersistentFlags().BoolVar(&g.noColor, "no-color", false, "disable colored output (also NO_COLOR)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(
		newSetupCmd(g),
		newBuildCmd(g),
		newInitCmd(g),
		newImportCmd(g),
		newVersionCmd(g),
		newCompletionCmd(g),
	)
	return root
}

// exactArgs is cobra.ExactArgs returning a usage error.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d argument(s)", what, len(args))
		}
		return nil
	}
}
