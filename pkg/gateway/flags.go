package gateway

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// parseNoArgs parses args into fs for a command that takes flags only.
// -h/--help prints usage to stdout; a bad flag or a stray argument prints
// the problem and usage to stderr. done reports that the command must
// stop and return code.
func parseNoArgs(fs *flag.FlagSet, name string, args []string, usage func(io.Writer), stdout, stderr io.Writer) (code int, done bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout)
			return exitOK, true
		}
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		usage(stderr)
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "%s: unexpected argument %q\n", name, fs.Arg(0))
		usage(stderr)
		return exitUsage, true
	}
	return exitOK, false
}
