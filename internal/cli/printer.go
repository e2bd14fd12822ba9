package cli

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/term"
)

// printer writes mgw's human output: results to stdout, progress, warnings
// and errors to stderr. Colors and in-place progress only on a terminal.
type printer struct {
	out, err io.Writer
	verbose  bool
	color    bool
	tty      bool
	progress bool // a progress line is on screen
}

func newPrinter(out, err io.Writer, verbose, noColor bool) *printer {
	tty := isTerminal(err)
	return &printer{out: out, err: err, verbose: verbose, color: tty && !noColor, tty: tty}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func (p *printer) paint(code, s string) string {
	if !p.color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}

// clearProgress ends an in-place progress line before other output.
func (p *printer) clearProgress() {
	if p.progress {
		fmt.Fprint(p.err, "\r\x1b[K")
		p.progress = false
	}
}

// Printf writes a result line to stdout.
func (p *printer) Printf(format string, args ...any) {
	p.clearProgress()
	fmt.Fprintf(p.out, format+"\n", args...)
}

// Infof writes a status line to stderr.
func (p *printer) Infof(format string, args ...any) {
	p.clearProgress()
	fmt.Fprintf(p.err, format+"\n", args...)
}

// Debugf writes a line to stderr with --verbose.
func (p *printer) Debugf(format string, args ...any) {
	if p.verbose {
		p.clearProgress()
		fmt.Fprintf(p.err, p.paint("2", "debug: ")+format+"\n", args...)
	}
}

// Warnf writes a warning to stderr.
func (p *printer) Warnf(format string, args ...any) {
	p.clearProgress()
	fmt.Fprintf(p.err, p.paint("33", "warning: ")+format+"\n", args...)
}

// Errorf writes an error to stderr.
func (p *printer) Errorf(format string, args ...any) {
	p.clearProgress()
	fmt.Fprintf(p.err, p.paint("31", "error: ")+format+"\n", args...)
}

// Progress shows "what n/total": in place on a terminal; otherwise a plain
// line at the end (and every 100 items so CI logs show life).
func (p *printer) Progress(what string, n, total int) {
	if p.tty {
		fmt.Fprintf(p.err, "\r\x1b[K%s %d/%d", what, n, total)
		p.progress = true
		if n == total {
			p.clearProgress()
		}
		return
	}
	if n == total || n%100 == 0 {
		fmt.Fprintf(p.err, "%s %d/%d\n", what, n, total)
	}
}
