package cli

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/workspace"
)

type initOptions struct {
	force bool
}

func newInitCmd(g *globals) *cobra.Command {
	o := &initOptions{}
	cmd := &cobra.Command{
		Use:   "init [dir]",
		Short: "Create an empty workspace, for APIs imported from OpenAPI files",
		Long: `Init creates mgw.yaml in the current directory (or DIR), so that
'mgw import' can add labels from OpenAPI 3 or Swagger 2 files with MGW 3.x
x-wso2-* extensions, without an API Manager.`,
		Example: `  mgw init petshop && cd petshop
  mgw import petstore petstore.yaml
  mgw build`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := g.workdir()
			if err != nil {
				return err
			}
			if len(args) == 1 {
				dir = filepath.Join(dir, args[0])
			}
			return runInit(g, o, dir)
		},
	}
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "reset mgw.yaml if the workspace exists (label folders are kept)")
	return cmd
}

func runInit(g *globals, o *initOptions, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, workspace.ConfigFile)); err == nil && !o.force {
		return fmt.Errorf("%s already has %s: it is a workspace already (use -f to reset mgw.yaml)", dir, workspace.ConfigFile)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create workspace: %w", err)
	}
	ws := &workspace.Workspace{Dir: dir, Config: &workspace.Config{Version: 1}}
	if err := ws.SaveConfig(); err != nil {
		return err
	}
	g.ui().Printf("Created an empty workspace in %s. Next: mgw import <label> <openapi file>", dir)
	return nil
}
