package workspace

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/mgwio/mgw/pkg/apidef"
	"github.com/mgwio/mgw/pkg/gateway"
	"github.com/mgwio/mgw/pkg/policy"
)

// Problems are every problem found in a workspace, reported together.
type Problems []error

func (p Problems) Error() string {
	noun := "problems"
	if len(p) == 1 {
		noun = "problem"
	}
	return fmt.Sprintf("the workspace has %d %s:\n%v", len(p), noun, p.Lines())
}

// Lines is the problems, one per line, without the heading.
func (p Problems) Lines() error {
	lines := make([]string, len(p))
	for i, e := range p {
		lines[i] = "  " + e.Error()
	}
	return errors.New(strings.Join(lines, "\n"))
}

// LoadSpec reads and validates one label into the gateway model. Every API
// is parsed and validated, every policy an API references must exist, and
// all problems are returned at once, each with its file and location.
func (w *Workspace) LoadSpec(label, mgwVersion string) (*gateway.Spec, Problems) {
	files, err := w.ReadLabel(label)
	if err != nil {
		return nil, Problems{err}
	}
	return SpecFromFiles(label, files, mgwVersion)
}

// SpecFromFiles is LoadSpec for files not yet on disk; problems name files
// by their path in the workspace (labels/<label>/...).
func SpecFromFiles(label string, files LabelFiles, mgwVersion string) (*gateway.Spec, Problems) {
	rel := func(p string) string { return path.Join(LabelsDir, label, p) }
	var err error
	var problems Problems
	spec := &gateway.Spec{Label: label, MgwVersion: mgwVersion}

	var pols policy.File
	if data, ok := files[PoliciesFile]; ok {
		pols, err = policy.Parse(rel(PoliciesFile), data)
		if err != nil {
			problems = append(problems, err)
		}
	}
	spec.Policies = pols.ToGateway()
	spec.Blocking = pols.BlockingToGateway()
	if data, ok := files[GatewayFile]; ok {
		spec.DefaultConfig = string(data)
	}

	apiFiles := files.APIFiles()
	if len(apiFiles) == 0 {
		problems = append(problems, fmt.Errorf("%s: label %q has no APIs", rel(APIsDir), label))
	}
	where := map[string]string{}
	for _, p := range apiFiles {
		file := rel(p)
		doc, err := apidef.Load(file, files[p])
		if err != nil {
			problems = append(problems, err)
			continue
		}
		api, probs := apidef.ToAPI(file, doc)
		probs = apidef.AddLines(file, files[p], probs)
		for _, pr := range probs {
			problems = append(problems, pr)
		}
		if len(probs) > 0 {
			continue
		}
		key := api.Name + ":" + api.Version
		if other, dup := where[key]; dup {
			problems = append(problems, fmt.Errorf("%s: API %s is also defined in %s; keep one", file, key, other))
			continue
		}
		where[key] = file
		problems = append(problems, checkPolicies(file, rel(PoliciesFile), &api, pols)...)
		spec.APIs = append(spec.APIs, api)
	}
	problems = append(problems, checkBasePaths(spec.APIs, where)...)
	sort.Slice(spec.APIs, func(i, j int) bool {
		if spec.APIs[i].Name != spec.APIs[j].Name {
			return spec.APIs[i].Name < spec.APIs[j].Name
		}
		return spec.APIs[i].Version < spec.APIs[j].Version
	})
	if len(problems) == 0 {
		// What the runtime would refuse at start is a build error too.
		var se *gateway.SpecError
		if err := spec.Validate(); errors.As(err, &se) {
			for _, p := range se.Problems {
				problems = append(problems, fmt.Errorf("labels/%s: %s", label, p))
			}
		} else if err != nil {
			problems = append(problems, fmt.Errorf("labels/%s: %w", label, err))
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return spec, nil
}

// checkPolicies reports API- and resource-level tiers missing from the
// label's advanced policies and subscription tiers missing from its
// subscription policies (the original failed at run time with 900809).
func checkPolicies(path, policiesPath string, api *gateway.API, pols policy.File) Problems {
	var out Problems
	check := func(where, tier string) {
		if tier == "" || strings.EqualFold(tier, "Unlimited") || pols.Has("advanced", tier) {
			return
		}
		out = append(out, fmt.Errorf("%s: %s: throttling policy %q is not among the advanced policies of %s; add it there, or use a policy that is", path, where, tier, policiesPath))
	}
	check("x-wso2-throttling-tier", api.ThrottlingTier)
	for _, r := range api.Resources {
		check(fmt.Sprintf("paths.%s.%s x-wso2-throttling-tier", r.Path, strings.ToLower(r.Method)), r.ThrottlingTier)
	}
	for _, tier := range api.SubscriptionTiers {
		if strings.EqualFold(tier, "Unlimited") || pols.Has("subscription", tier) {
			continue
		}
		out = append(out, fmt.Errorf("%s: x-wso2-subscription-tiers: API %s %s offers the subscription tier %q, which is not among the subscription policies of %s; add the policy in the API Manager (or remove the tier from the API) and run mgw setup again",
			path, api.Name, api.Version, tier, policiesPath))
	}
	return out
}

// checkBasePaths reports two APIs served at the same path.
func checkBasePaths(apis []gateway.API, where map[string]string) Problems {
	var out Problems
	seen := map[string]string{}
	claim := func(path string, api *gateway.API) {
		key := api.Name + ":" + api.Version
		if other, ok := seen[path]; ok && other != key {
			out = append(out, fmt.Errorf("%s: API %s is served at %s, like API %s (%s); give one another context or version", where[key], key, path, other, where[other]))
			return
		}
		seen[path] = key
	}
	for i := range apis {
		claim(apis[i].BasePath, &apis[i])
		if apis[i].IsDefaultVersion {
			claim(apis[i].Context, &apis[i])
		}
	}
	return out
}
