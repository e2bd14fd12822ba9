package cli

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/apidef"
	"github.com/mgwio/mgw/pkg/policy"
)

// defaultPolicies are MGW 3.x's default policies.yaml, used for imported
// labels that bring no policies of their own.
//
//go:embed defaults/mgw3-policies.yaml
var defaultPolicies []byte

type importOptions struct {
	policies string
	force    bool
}

func newImportCmd(g *globals) *cobra.Command {
	o := &importOptions{}
	cmd := &cobra.Command{
		Use:   "import <label> <openapi file>...",
		Short: "Add APIs to a label from OpenAPI 3 or Swagger 2 files with x-wso2-* extensions",
		Long: `Import reads OpenAPI 3 or Swagger 2 files (YAML or JSON) that carry the MGW 3.x
x-wso2-* extensions (x-wso2-basePath, x-wso2-production-endpoints, ...),
validates them and adds them to the label, creating the workspace and the
label if needed. An API already in the label (same name and version) is
replaced.

Throttling policies come from --policies (an mgw policies.yaml or an MGW 3.x
policies.yaml); a new label without --policies gets MGW 3.x's defaults.`,
		Example: `  mgw import petstore petstore.yaml
  mgw import shop orders.yaml payments.json --policies policies.yaml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) < 2 {
				return usagef("expected a label and at least one OpenAPI file, got %d argument(s)", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runImport(g, o, args[0], args[1:])
		},
	}
	cmd.Flags().StringVar(&o.policies, "policies", "", "throttling policies `file` (mgw or MGW 3.x policies.yaml)")
	cmd.Flags().BoolVarP(&o.force, "force", "f", false, "import into a label pulled by 'mgw setup', or overwrite files edited by hand")
	return cmd
}

func runImport(g *globals, o *importOptions, label string, paths []string) error {
	if err := workspace.ValidateLabelName(label); err != nil {
		return usageError{err}
	}
	dir, err := g.workdir()
	if err != nil {
		return err
	}
	ws, err := workspace.OpenOrNew(dir)
	if err != nil {
		return err
	}
	existing := ws.Config.Label(label)
	if existing != nil && existing.Source == workspace.SourceAPIM && !o.force {
		return fmt.Errorf("label %q comes from the API Manager ('mgw setup'); the next setup would drop imported APIs: pass -f/--force to import anyway, or use another label", label)
	}
	files := workspace.LabelFiles{}
	if existing != nil {
		if files, err = ws.ReadLabel(label); err != nil {
			return err
		}
	}

	// Validate every file first; write nothing if any is wrong.
	var problems workspace.Problems
	added := map[string]string{}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, fmt.Errorf("read %s: %w", path, err))
			continue
		}
		doc, err := apidef.Load(path, data)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		api, probs := apidef.ToAPI(path, doc)
		probs = apidef.AddLines(path, data, probs)
		if len(probs) > 0 {
			for _, p := range probs {
				problems = append(problems, p)
			}
			continue
		}
		out, err := apidef.Encode(doc, "Imported by mgw import from "+filepath.Base(path)+"; mgw import overwrites this file.")
		if err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", path, err))
			continue
		}
		name := workspace.APIsDir + "/" + workspace.APIFileName(api.Name, api.Version)
		if prev, dup := added[name]; dup {
			problems = append(problems, fmt.Errorf("%s: API %s %s is also in %s", path, api.Name, api.Version, prev))
			continue
		}
		added[name] = path
		files[name] = out
	}
	switch {
	case o.policies != "":
		data, err := os.ReadFile(o.policies)
		if err != nil {
			problems = append(problems, fmt.Errorf("read --policies file: %w", err))
			break
		}
		pf, err := readPolicies(o.policies, data)
		if err != nil {
			problems = append(problems, err)
			break
		}
		out, err := policy.Marshal(pf)
		if err != nil {
			problems = append(problems, err)
			break
		}
		files[workspace.PoliciesFile] = out
	case files[workspace.PoliciesFile] == nil:
		pf, err := policy.ParseMGW3(defaultPolicies)
		if err != nil {
			return fmt.Errorf("built-in default policies: %w", err)
		}
		out, err := policy.Marshal(pf)
		if err != nil {
			return err
		}
		files[workspace.PoliciesFile] = out
	}
	if len(problems) > 0 {
		return problems
	}
	// The label as a whole must build: policies referenced, base paths.
	if _, probs := workspace.SpecFromFiles(label, files, ""); len(probs) > 0 {
		return probs
	}
	ws.Config.SetLabel(workspace.Label{Name: label, Source: workspace.SourceImport})
	if _, err := ws.CommitLabel(label, files, o.force); err != nil {
		return err
	}
	names := make([]string, 0, len(added))
	for name := range added {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		g.ui().Printf("imported %s as labels/%s/%s", added[name], label, name)
	}
	return nil
}

// readPolicies accepts mgw's policies.yaml or MGW 3.x's.
func readPolicies(path string, data []byte) (policy.File, error) {
	pf, err := policy.Parse(path, data)
	if err == nil {
		return pf, nil
	}
	if pf3, err3 := policy.ParseMGW3(data); err3 == nil {
		return pf3, nil
	}
	return policy.File{}, err
}
