package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/buildinfo"
	"github.com/mgwio/mgw/internal/interceptors"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/gateway"
)

type buildOptions struct {
	targets     []string
	outDir      string
	asJSON      bool
	keepWorkdir bool
	jobs        int
	tracing     bool
	deploy      deployOptions
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

With --image it also packs the linux binaries into an OCI image,
dist/<label>.oci.tar (docker load, podman load, skopeo copy), built without
a container daemon: one layer, user 65532, no shell; several linux targets
make one multi-platform image. --push REF uploads it to a registry with the
credentials of 'docker login'. --k8s writes Kubernetes manifests and a
kustomization to dist/<label>-k8s/. labels/<label>/deploy.yaml sets the
image name, replicas, resources and more (docs/DEPLOY.md).

With --tracing the gateways can export OpenTelemetry traces (switched on at
deploy time by MGW_OTEL_EXPORTER_OTLP_ENDPOINT or the standard OTEL_*
variables); without it the SDK and the OTLP exporter, about 13 MB, are left
out of the binary.

A Go toolchain (go1.26 or newer) is required: mgw uses 'go' from PATH, or
the go command named by MGW_GO.`,
		Example: `  # every label, for this machine
  mgw build

  # one label for a Raspberry Pi and an arm64 server, report as JSON
  mgw build demo --target linux/arm/v7 --target linux/arm64 --json

  # a container image and Kubernetes manifests for label demo
  mgw build demo --image=registry.example.com/team/demo:1.0 --k8s

  # a multi-arch image pushed to a registry
  mgw build demo --target linux/amd64 --target linux/arm64 --push registry.example.com/team/demo:1.0`,
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
	f.BoolVar(&o.tracing, "tracing", false, "compile OpenTelemetry tracing into the gateways (adds about 13 MB)")
	f.StringVar(&o.deploy.image, "image", "", "also write the OCI image dist/<label>.oci.tar, named `REF` (write --image=REF; --image alone takes deploy.yaml's image or mgw/<label>:latest)")
	f.Lookup("image").NoOptDefVal = autoImage
	f.StringVar(&o.deploy.push, "push", "", "build the image and push it to `REF` (credentials from 'docker login')")
	f.BoolVar(&o.deploy.k8s, "k8s", false, "also write Kubernetes manifests and a kustomization to dist/<label>-k8s/")
	f.StringVar(&o.deploy.caBundle, "image-ca-bundle", "", "put the CA certificates in PEM `FILE` into the image (default: this machine's bundle; none: leave out)")
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
	checked := map[string]*interceptors.Checked{}
	for _, l := range labels {
		if ws.Config.Label(l) == nil {
			if o.deploy.image == autoImage && strings.ContainsAny(l, "/:") {
				problems = append(problems, fmt.Errorf("label %q is not in %s; to name the image, write --image=%s (with '=')", l, workspace.ConfigFile, l))
				continue
			}
			problems = append(problems, fmt.Errorf("label %q is not in %s: run 'mgw setup %s' or 'mgw import %s <file>'", l, workspace.ConfigFile, l, l))
			continue
		}
		spec, probs := ws.LoadSpec(l, version)
		problems = append(problems, probs...)
		if spec != nil {
			specs = append(specs, spec)
			ic, probs := loadInterceptors(ws, spec)
			problems = append(problems, probs...)
			checked[l] = ic
		}
	}
	if len(problems) > 0 {
		return problems
	}
	plans, caBundle, err := planDeploy(ws, specs, o.deploy, targets)
	if err != nil {
		return err
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
				Interceptors: checked[j.spec.Label], Tracing: o.tracing,
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	reports := make([]artifactReport, len(results))
	for i, a := range results {
		reports[i].Artifact = a
	}
	// Images and manifests, label by label: jobs hold each label's
	// targets in order.
	for i, p := range plans {
		first := i * len(targets)
		res, err := makeDeployArtifacts(ctx, ws, p, o.deploy, caBundle, results[first:first+len(targets)], targets, outDir)
		if err != nil {
			return err
		}
		for j := first; j < first+len(targets); j++ {
			reports[j].Image, reports[j].K8s = res.image, res.k8s
		}
	}
	if o.asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(reports)
	}
	rel := func(p string) string {
		if r, err := filepath.Rel(dir, p); err == nil {
			return r
		}
		return p
	}
	for i, r := range reports {
		a := r.Artifact
		ui.Printf("%s  %s, %d APIs, %d resources, %.1f MB, %.1fs", rel(a.Path), a.Target, a.APIs, a.Resources, float64(a.Size)/(1<<20), a.Seconds)
		if a.Workdir != "" {
			ui.Printf("  generated module kept in %s", a.Workdir)
		}
		last := i == len(reports)-1 || reports[i+1].Label != a.Label
		if !last {
			continue
		}
		if im := r.Image; im != nil {
			ui.Printf("%s  image %s, %s, %.1f MB, %s", rel(im.Path), im.Ref, strings.Join(im.Platforms, " "), float64(im.Size)/(1<<20), im.Digest)
			if im.Pushed != "" {
				ui.Printf("  pushed %s", im.Pushed)
			}
		}
		if r.K8s != "" {
			ui.Printf("%s/  Kubernetes manifests (kubectl apply -k %s)", rel(r.K8s), rel(r.K8s))
		}
	}
	return nil
}

// artifactReport is one built binary in --json output, with the image and
// manifests of its label when they were asked for.
type artifactReport struct {
	build.Artifact
	Image *imageReport `json:"image,omitempty"`
	K8s   string       `json:"k8s,omitempty"`
}
