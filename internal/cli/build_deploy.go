package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/deploy"
	"github.com/mgwio/mgw/internal/image"
	"github.com/mgwio/mgw/internal/workspace"
	"github.com/mgwio/mgw/pkg/gateway"
)

// autoImage is --image given without a value: the name comes from
// deploy.yaml, else mgw/<label>:latest.
const autoImage = "auto"

// deployOptions are the build flags for deployment artifacts.
type deployOptions struct {
	image    string // "" no image, autoImage, or a reference
	push     string // reference to push to, "" for none
	k8s      bool
	caBundle string // PEM file, "none", or "" to look for the system's
}

func (o deployOptions) wantImage() bool { return o.image != "" || o.push != "" }

// deployPlan is what one label gets besides its binaries, settled before
// anything is compiled so bad input writes nothing.
type deployPlan struct {
	spec   *gateway.Spec
	deploy *deploy.Config
	ref    image.Ref // the image's name; zero without an image
	push   image.Ref // zero unless pushing
}

// caBundlePaths are where Debian/Ubuntu, Fedora/RHEL and Alpine/macOS keep
// the system's CA certificates.
var caBundlePaths = []string{"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"}

// planDeploy reads every label's deploy.yaml and checks the image
// references and targets. It returns the plans and the CA bundle to put in
// images.
func planDeploy(ws *workspace.Workspace, specs []*gateway.Spec, o deployOptions, targets []build.Target) ([]deployPlan, []byte, error) {
	if !o.wantImage() && !o.k8s {
		return nil, nil, nil
	}
	if len(specs) > 1 && ((o.image != "" && o.image != autoImage) || o.push != "") {
		return nil, nil, usagef("an image reference names one label's image, but %d labels are being built: name one label, or set image: in each labels/<label>/%s", len(specs), workspace.DeployFile)
	}
	if o.wantImage() {
		linux := false
		for _, t := range targets {
			linux = linux || t.OS == "linux"
		}
		if !linux {
			return nil, nil, usagef("container images run Linux binaries, but no target is linux: add --target linux/amd64 (or linux/arm64)")
		}
	}
	// The flags first: a bad reference is a usage error.
	var flagRef, pushRef image.Ref
	if o.image != "" && o.image != autoImage {
		r, err := image.ParseRef(o.image)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("--image: %w", err)}
		}
		flagRef = r
	}
	if o.push != "" {
		r, err := image.ParseRef(o.push)
		if err != nil {
			return nil, nil, usageError{fmt.Errorf("--push: %w", err)}
		}
		pushRef = r
	}
	var problems workspace.Problems
	plans := make([]deployPlan, 0, len(specs))
	for _, spec := range specs {
		p := deployPlan{spec: spec}
		cfg, err := deploy.Load(ws.LabelDir(spec.Label))
		if err != nil {
			problems = append(problems, relErr(ws.Dir, err))
			continue
		}
		p.deploy, p.push = cfg, pushRef
		if o.wantImage() {
			if p.ref, err = imageRef(spec.Label, flagRef, pushRef, cfg); err != nil {
				problems = append(problems, err)
				continue
			}
		}
		plans = append(plans, p)
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	var ca []byte
	if o.wantImage() {
		var err error
		if ca, err = readCABundle(o.caBundle); err != nil {
			return nil, nil, err
		}
	}
	return plans, ca, nil
}

// imageRef names a label's image: --image REF, --push REF, deploy.yaml's
// image, or mgw/<label>:latest.
func imageRef(label string, flagRef, pushRef image.Ref, cfg *deploy.Config) (image.Ref, error) {
	switch {
	case !flagRef.IsZero():
		return flagRef, nil
	case !pushRef.IsZero():
		return pushRef, nil
	case cfg.Image != "":
		r, err := image.ParseRef(cfg.Image)
		if err != nil {
			return r, fmt.Errorf("labels/%s/%s: image: %w; or pass --image=REF", label, workspace.DeployFile, err)
		}
		return r, nil
	}
	return image.DefaultRef(label)
}

// readCABundle loads the CA certificates for images: the file given, the
// system's bundle, or none.
func readCABundle(file string) ([]byte, error) {
	if file == "none" {
		return nil, nil
	}
	candidates := caBundlePaths
	if file != "" {
		candidates = []string{file}
	}
	for _, p := range candidates {
		data, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) && file == "" {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("--image-ca-bundle: %w", err)
		}
		if !x509.NewCertPool().AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--image-ca-bundle: %s holds no PEM certificate", p)
		}
		return data, nil
	}
	return nil, fmt.Errorf("no CA bundle found at %s: backends and key managers over HTTPS need one in the image; pass --image-ca-bundle FILE, or --image-ca-bundle none to leave it out", strings.Join(caBundlePaths, ", "))
}

// relErr shortens absolute workspace paths in err to workspace-relative
// ones, as the other build problems are written.
func relErr(dir string, err error) error {
	msg := strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "")
	return errors.New(msg)
}

// imageReport describes an image mgw build wrote, in --json output.
type imageReport struct {
	Path      string   `json:"path"`
	Ref       string   `json:"ref"`
	Digest    string   `json:"digest"`
	Size      int64    `json:"size"`
	Platforms []string `json:"platforms"`
	Pushed    string   `json:"pushed,omitempty"`
	Seconds   float64  `json:"seconds"`
}

// deployResult is what makeDeployArtifacts wrote for one label.
type deployResult struct {
	image *imageReport
	k8s   string
}

// makeDeployArtifacts writes the image, pushes it and writes the
// Kubernetes manifests for one built label; arts are its binaries.
func makeDeployArtifacts(ctx context.Context, ws *workspace.Workspace, p deployPlan, o deployOptions, ca []byte, arts []build.Artifact, targets []build.Target, outDir string) (deployResult, error) {
	var res deployResult
	runRef := ""
	if o.wantImage() {
		rep, err := writeImage(ctx, ws, p, o, ca, arts, targets, outDir)
		if err != nil {
			return res, err
		}
		res.image = rep
		runRef = rep.Ref
		if rep.Pushed != "" {
			runRef = rep.Pushed
		}
	}
	if o.k8s {
		in, err := deploy.InputsFor(p.spec, runRef)
		if err != nil {
			return res, err
		}
		if in.AnalyticsDir != "" && !path.IsAbs(in.AnalyticsDir) {
			// Relative to the image's working directory.
			in.AnalyticsDir = path.Join(image.HomeDir, in.AnalyticsDir)
		}
		files, err := deploy.Render(p.deploy, in)
		if err != nil {
			return res, fmt.Errorf("label %s: Kubernetes manifests: %w", p.spec.Label, err)
		}
		dir := filepath.Join(outDir, p.spec.Label+"-k8s")
		if err := deploy.Write(dir, files); err != nil {
			return res, err
		}
		res.k8s = dir
	}
	return res, nil
}

// writeImage packs the label's linux binaries into dist/<label>.oci.tar and
// pushes the image when asked.
func writeImage(ctx context.Context, ws *workspace.Workspace, p deployPlan, o deployOptions, ca []byte, arts []build.Artifact, targets []build.Target, outDir string) (*imageReport, error) {
	start := time.Now()
	var bins []image.Binary
	rep := &imageReport{Ref: p.ref.String()}
	for i, a := range arts {
		t := targets[i]
		if t.OS != "linux" {
			continue
		}
		bins = append(bins, image.Binary{OS: t.OS, Arch: t.Arch, Variant: t.Variant, Path: a.Path})
		rep.Platforms = append(rep.Platforms, t.String())
	}
	created, err := sourceDateEpoch()
	if err != nil {
		return nil, err
	}
	cfg, err := gateway.LoadConfig(p.spec, "", nil)
	if err != nil {
		// The build has already checked the compiled-in config; fall back
		// to the default ports rather than fail on a deploy-time secret.
		cfg = gateway.DefaultConfig()
	}
	opts := image.Options{
		Ref: p.ref, Label: p.spec.Label, MgwVersion: p.spec.MgwVersion,
		Revision: sourceRevision(ctx, ws.Dir, p.spec.Label), Created: created,
		Ports: []int{cfg.HTTP.Port, cfg.HTTPS.Port}, CABundle: ca,
	}
	for _, a := range p.spec.APIs {
		opts.APIs = append(opts.APIs, a.Name+"/"+a.Version)
	}
	imgs, err := image.Build(opts, bins)
	if err != nil {
		return nil, fmt.Errorf("label %s: %w", p.spec.Label, err)
	}
	idx, err := image.Index(p.ref, imgs)
	if err != nil {
		return nil, fmt.Errorf("label %s: %w", p.spec.Label, err)
	}
	rep.Path = filepath.Join(outDir, p.spec.Label+".oci.tar")
	if err := image.WriteArchive(rep.Path, idx); err != nil {
		return nil, err
	}
	digest, err := image.Digest(imgs)
	if err != nil {
		return nil, err
	}
	rep.Digest = digest
	if st, err := os.Stat(rep.Path); err == nil {
		rep.Size = st.Size()
	}
	if !p.push.IsZero() {
		if err := image.Push(ctx, p.push, imgs); err != nil {
			return nil, fmt.Errorf("%w; the image is complete in %s: push it later with 'skopeo copy oci-archive:%s docker://%s'", err, rep.Path, rep.Path, p.push)
		}
		rep.Pushed = p.push.String() + "@" + digest
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// sourceDateEpoch is SOURCE_DATE_EPOCH as a time (reproducible-builds.org),
// or the zero time.
func sourceDateEpoch() (time.Time, error) {
	v := os.Getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return time.Time{}, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q: want seconds since 1970 as a whole number", v)
	}
	return time.Unix(n, 0).UTC(), nil
}

// sourceRevision is the workspace's git commit when the label's files are
// all committed, else "" (an image must not claim a commit it differs
// from).
func sourceRevision(ctx context.Context, dir, label string) string {
	git := func(args ...string) (string, bool) {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		return strings.TrimSpace(string(out)), err == nil
	}
	rev, ok := git("rev-parse", "--verify", "--quiet", "HEAD")
	if !ok || rev == "" {
		return ""
	}
	if dirty, ok := git("status", "--porcelain", "--", filepath.Join(workspace.LabelsDir, label)); !ok || dirty != "" {
		return ""
	}
	return rev
}
