package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/buildinfo"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/gateway"
)

type buildOptions struct {
	targets     []string
	outDir      string
	asJSON      bool
	keepWorkdir bool
	jobs        int
}

func newBuildCmd(g *globals) *cobra.Command {
	o := &buildOptions{}
	cmd := &cobra.Command{
		Use:   "build [label...]",
		Short: "Compile one self-contained gateway binary per label",
		Long: `Build validates every label of the workspace (or the labels named), renders
the gateway's Go source and compiles it, offline, into one statically linked
binary per label and target: dist/<label> for this machine, or
dist/<label>-<os>-<arch> for each --target.

A Go toolchain (go1.26 or newer) is required: mgw uses 'go' from PATH, or
the go command named by MGW_GO.`,
		Example: `  # every label, for this machine
  mgw build

  # one label for a Raspberry Pi and an arm64 server, report as JSON
  mgw build demo --target linux/arm/v7 --target linux/arm64 --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBuild(cmd.Context(), g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVar(&o.targets, "target", nil, "build for `os/arch` (repeatable), e.g. linux/arm64, linux/arm/v7, darwin/arm64, windows/amd64")
	f.StringVarP(&o.outDir, "output", "o", "dist", "write binaries to `DIR` (relative to the workspace)")
	f.BoolVar(&o.asJSON, "json", false, "print a JSON report of every artifact")
	f.BoolVar(&o.keepWorkdir, "keep-workdir", false, "keep the generated Go module for debugging and print where it is")
	f.IntVarP(&o.jobs, "jobs", "j", 2, "builds to run in parallel")
	return cmd
}

func runBuild(ctx context.Context, g *globals, o *buildOptions, labels []string) error {
	dir, err := g.workdir()
	if err != nil {
		return err
	}
	ws, err := workspace.Open(dir)
	if err != nil {
		return err
	}
	if len(labels) == 0 {
		for _, l := range ws.Config.Labels {
			labels = append(labels, l.Name)
		}
		if len(labels) == 0 {
			return fmt.Errorf("the workspace has no labels yet: run 'mgw setup <label>' or 'mgw import <label> <file>' first")
		}
	}
	targets := []build.Target{build.HostTarget()}
	suffixed := false
	if len(o.targets) > 0 {
		targets = targets[:0]
		suffixed = true
		for _, t := range o.targets {
			tt, err := build.ParseTarget(t)
			if err != nil {
				return usageError{err}
			}
			targets = append(targets, tt)
		}
	}
	if o.jobs < 1 {
		return usagef("--jobs must be at least 1")
	}
	ui := g.ui()
	version := buildinfo.Get().Version

	// Validate everything before compiling anything.
	var problems workspace.Problems
	specs := make([]*gateway.Spec, 0, len(labels))
	for _, l := range labels {
		if ws.Config.Label(l) == nil {
			problems = append(problems, fmt.Errorf("label %q is not in %s: run 'mgw setup %s' or 'mgw import %s <file>'", l, workspace.ConfigFile, l, l))
			continue
		}
		spec, probs := ws.LoadSpec(l, version)
		problems = append(problems, probs...)
		if spec != nil {
			specs = append(specs, spec)
		}
	}
	if len(problems) > 0 {
		return problems
	}
	tc, err := build.FindToolchain(ctx, g.getenv)
	if err != nil {
		return err
	}
	ui.Debugf("using %s (%s)", tc.Path, tc.Version)
	outDir := o.outDir
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(dir, outDir)
	}

	type job struct {
		spec   *gateway.Spec
		target build.Target
	}
	var jobs []job
	for _, s := range specs {
		for _, t := range targets {
			jobs = append(jobs, job{s, t})
		}
	}
	results := make([]build.Artifact, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, o.jobs)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if !o.asJSON {
				mu.Lock()
				ui.Infof("building %s for %s (%d APIs)...", j.spec.Label, j.target, len(j.spec.APIs))
				mu.Unlock()
			}
			results[i], errs[i] = build.Build(ctx, build.Request{
				Spec: j.spec, Target: j.target, Toolchain: tc, OutDir: outDir,
				Suffixed: suffixed, KeepWorkdir: o.keepWorkdir, Env: os.Environ(),
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	if o.asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	for _, a := range results {
		rel, err := filepath.Rel(dir, a.Path)
		if err != nil {
			rel = a.Path
		}
		ui.Printf("%s  %s, %d APIs, %d resources, %.1f MB, %.1fs", rel, a.Target, a.APIs, a.Resources, float64(a.Size)/(1<<20), a.Seconds)
		if a.Workdir != "" {
			ui.Printf("  generated module kept in %s", a.Workdir)
		}
	}
	return nil
}
