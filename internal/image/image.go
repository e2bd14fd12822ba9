package image

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Binary is one built gateway and the platform it runs on.
type Binary struct {
	OS, Arch, Variant string
	// Path is the static gateway binary on disk.
	Path string
}

// Platform is "os/arch[/variant]".
func (b Binary) Platform() string {
	p := b.OS + "/" + b.Arch
	if b.Variant != "" {
		p += "/" + b.Variant
	}
	return p
}

// Options describe the image to build.
type Options struct {
	// Ref is the image's name, recorded in the layout's annotations so
	// docker load, podman load and skopeo know what to call it.
	Ref Ref
	// Label is the mgw label the gateway serves.
	Label string
	// APIs lists the label's APIs as "Name/Version".
	APIs []string
	// MgwVersion is the version of mgw that built the gateway.
	MgwVersion string
	// Revision is the workspace's source commit, "" when unknown.
	Revision string
	// Created stamps the config and every file; the zero time is the Unix
	// epoch, which keeps images reproducible.
	Created time.Time
	// Ports are the TCP ports the gateway listens on (EXPOSE).
	Ports []int
	// CABundle is PEM CA certificates placed at CABundlePath; nil leaves
	// the image without one.
	CABundle []byte
}

// Label keys set on the image config and the manifests.
const (
	annLabel   = "io.mgw.label"
	annAPIs    = "io.mgw.apis"
	annMgw     = "io.mgw.version"
	annRefName = "org.opencontainers.image.ref.name"
	annCtrName = "io.containerd.image.name"
)

// Build returns the image for each binary in order. Every binary must be a
// Linux one: images run Linux containers.
func Build(opts Options, bins []Binary) ([]v1.Image, error) {
	if len(bins) == 0 {
		return nil, fmt.Errorf("build image: no gateway binary")
	}
	seen := map[string]bool{}
	imgs := make([]v1.Image, 0, len(bins))
	for _, b := range bins {
		if b.OS != "linux" {
			return nil, fmt.Errorf("build image: target %s is not linux: container images run Linux binaries; drop it or build the image from the linux targets only", b.Platform())
		}
		if seen[b.Platform()] {
			return nil, fmt.Errorf("build image: target %s is given twice", b.Platform())
		}
		seen[b.Platform()] = true
		img, err := buildOne(opts, b)
		if err != nil {
			return nil, fmt.Errorf("build image for %s: %w", b.Platform(), err)
		}
		imgs = append(imgs, img)
	}
	return imgs, nil
}

func buildOne(opts Options, b Binary) (v1.Image, error) {
	created := opts.created()
	var layerTar bytes.Buffer
	if err := writeLayer(&layerTar, rootfs(b.Path, opts.CABundle), created); err != nil {
		return nil, err
	}
	raw := layerTar.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(raw)), nil
	}, tarball.WithMediaType(types.OCILayer), tarball.WithCompressedCaching)
	if err != nil {
		return nil, fmt.Errorf("compress layer: %w", err)
	}
	img := mutate.MediaType(empty.Image, types.OCIManifestSchema1)
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Append(img, mutate.Addendum{
		Layer: layer,
		History: v1.History{
			Created:   v1.Time{Time: created},
			CreatedBy: "mgw build --image",
			Comment:   "gateway for label " + opts.Label,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("add layer: %w", err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Variant = b.OS, b.Arch, b.Variant
	cf.Created = v1.Time{Time: created}
	cf.Config = opts.runConfig()
	img, err = mutate.ConfigFile(img, cf)
	if err != nil {
		return nil, fmt.Errorf("set config: %w", err)
	}
	return img, nil
}

// created is the time stamp, second precision, the epoch when unset.
func (o Options) created() time.Time {
	if o.Created.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return o.Created.UTC().Truncate(time.Second)
}

// runConfig is how a container runs the gateway.
func (o Options) runConfig() v1.Config {
	ports := map[string]struct{}{}
	for _, p := range o.Ports {
		ports[strconv.Itoa(p)+"/tcp"] = struct{}{}
	}
	return v1.Config{
		User:         strconv.Itoa(UID) + ":" + strconv.Itoa(GID),
		Entrypoint:   []string{BinaryPath},
		WorkingDir:   HomeDir,
		ExposedPorts: ports,
		Env:          []string{"HOME=" + HomeDir},
		Labels:       o.labels(),
		StopSignal:   "SIGTERM",
		// Docker's own health check: the gateway asks itself for /health.
		// Kubernetes ignores it and uses probes (docs/DEPLOY.md).
		Healthcheck: &v1.HealthConfig{
			Test:        []string{"CMD", BinaryPath, "health"},
			Interval:    30 * time.Second,
			Timeout:     5 * time.Second,
			StartPeriod: 5 * time.Second,
			Retries:     3,
		},
	}
}

// labels are the OCI annotations for the config and manifests.
func (o Options) labels() map[string]string {
	apis := append([]string(nil), o.APIs...)
	sort.Strings(apis)
	l := map[string]string{
		"org.opencontainers.image.title":       o.Label,
		"org.opencontainers.image.description": "API gateway for the mgw label " + o.Label,
		"org.opencontainers.image.version":     o.MgwVersion,
		"org.opencontainers.image.created":     o.created().Format(time.RFC3339),
		annLabel:                               o.Label,
		annAPIs:                                strings.Join(apis, ","),
		annMgw:                                 o.MgwVersion,
	}
	if o.Revision != "" {
		l["org.opencontainers.image.revision"] = o.Revision
	}
	return l
}
