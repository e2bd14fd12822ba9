package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/buildinfo"
)

func newVersionCmd(g *globals) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:     "version",
		Short:   "Print mgw's version, commit and Go version",
		Example: "  mgw version\n  mgw version --json",
		Args:    exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			info := buildinfo.Get()
			if asJSON {
				enc := json.NewEncoder(g.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			g.ui().Printf("mgw %s (commit %s, %s, %s)", info.Version, info.Commit, info.GoVersion, info.Platform)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}
