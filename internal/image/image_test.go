package image

import (
	"archive/tar"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/registry"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// fakeBinary writes a stand-in for a gateway binary.
func fakeBinary(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "gw")
	if err := os.WriteFile(p, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func testOptions(t *testing.T) Options {
	t.Helper()
	ref, err := ParseRef("registry.example.com/team/demo:1.0")
	if err != nil {
		t.Fatal(err)
	}
	return Options{
		Ref: ref, Label: "demo", APIs: []string{"Pets/1.0.0", "Pizza/2.0"},
		MgwVersion: "v0.3.0", Revision: "0123abc", Ports: []int{9090, 9095},
		CABundle: []byte("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
	}
}

// writeAndRead builds, writes and reads back the archive: the image as
// docker load would see it.
func writeAndRead(t *testing.T, opts Options, bins []Binary) (string, v1.ImageIndex) {
	t.Helper()
	imgs, err := Build(opts, bins)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := Index(opts.Ref, imgs)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "demo.oci.tar")
	if err := WriteArchive(out, idx); err != nil {
		t.Fatal(err)
	}
	return out, readArchive(t, out)
}

// readArchive unpacks an OCI archive and opens it as a layout.
func readArchive(t *testing.T, path string) v1.ImageIndex {
	t.Helper()
	dir := t.TempDir()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(h.Name))
		if h.Typeflag == tar.TypeDir {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatalf("the archive is not an OCI layout: %v", err)
	}
	return idx
}

// layerFiles lists the single layer's entries.
func layerFiles(t *testing.T, img v1.Image) map[string]*tar.Header {
	t.Helper()
	layers, err := img.Layers()
	if err != nil || len(layers) != 1 {
		t.Fatalf("layers: %d, %v; want one", len(layers), err)
	}
	mt, _ := layers[0].MediaType()
	if mt != types.OCILayer {
		t.Errorf("layer media type %s, want %s", mt, types.OCILayer)
	}
	rc, err := layers[0].Uncompressed()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	files := map[string]*tar.Header{}
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = h
		if h.Name == "gateway" {
			data, _ := io.ReadAll(tr)
			if string(data) != "gateway-bytes" {
				t.Errorf("binary in the layer is %q", data)
			}
		}
	}
}

func TestImageReadsBack(t *testing.T) {
	opts := testOptions(t)
	_, idx := writeAndRead(t, opts, []Binary{{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "gateway-bytes")}})
	im, err := idx.IndexManifest()
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Manifests) != 1 || im.Manifests[0].MediaType != types.OCIManifestSchema1 {
		t.Fatalf("index.json lists %+v, want one OCI manifest", im.Manifests)
	}
	if got := im.Manifests[0].Annotations[annRefName]; got != "registry.example.com/team/demo:1.0" {
		t.Errorf("ref.name annotation %q", got)
	}
	img, err := idx.Image(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	cf, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	c := cf.Config
	if c.User != "65532:65532" || len(c.Entrypoint) != 1 || c.Entrypoint[0] != "/gateway" || c.WorkingDir != HomeDir {
		t.Errorf("run config: user %q entrypoint %q workdir %q", c.User, c.Entrypoint, c.WorkingDir)
	}
	for _, p := range []string{"9090/tcp", "9095/tcp"} {
		if _, ok := c.ExposedPorts[p]; !ok {
			t.Errorf("port %s not exposed: %v", p, c.ExposedPorts)
		}
	}
	if c.Cmd != nil || len(cf.RootFS.DiffIDs) != 1 {
		t.Errorf("cmd %q, %d layers", c.Cmd, len(cf.RootFS.DiffIDs))
	}
	if cf.OS != "linux" || cf.Architecture != "amd64" || !cf.Created.Equal(time.Unix(0, 0)) {
		t.Errorf("platform %s/%s created %v", cf.OS, cf.Architecture, cf.Created)
	}
	if c.Healthcheck == nil || strings.Join(c.Healthcheck.Test, " ") != "CMD /gateway health" {
		t.Errorf("health check %+v", c.Healthcheck)
	}
	want := map[string]string{
		"org.opencontainers.image.title": "demo", "org.opencontainers.image.revision": "0123abc",
		"io.mgw.label": "demo", "io.mgw.apis": "Pets/1.0.0,Pizza/2.0", "io.mgw.version": "v0.3.0",
	}
	for k, v := range want {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}

	files := layerFiles(t, img)
	bin := files["gateway"]
	if bin == nil || bin.Mode != 0o755 || bin.Uid != 0 {
		t.Fatalf("gateway binary entry %+v", bin)
	}
	home := files["home/nonroot/"]
	if home == nil || home.Uid != UID || home.Gid != GID {
		t.Errorf("home %+v: want owned by the non-root user", home)
	}
	if files["etc/ssl/certs/ca-certificates.crt"] == nil || files["etc/passwd"] == nil || files["tmp/"].Mode != 0o1777 {
		t.Errorf("layer lacks the CA bundle, passwd or a sticky /tmp: %v", files)
	}
	for name := range files {
		if strings.HasPrefix(name, "bin/") || strings.HasSuffix(name, "/sh") {
			t.Errorf("image has a shell or bin folder: %s", name)
		}
	}
}

func TestImageIsReproducible(t *testing.T) {
	opts := testOptions(t)
	bin := fakeBinary(t, "gateway-bytes")
	first, _ := writeAndRead(t, opts, []Binary{{OS: "linux", Arch: "amd64", Path: bin}})
	// A later mtime on the binary must not change a byte.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(bin, later, later); err != nil {
		t.Fatal(err)
	}
	second, _ := writeAndRead(t, opts, []Binary{{OS: "linux", Arch: "amd64", Path: bin}})
	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	if !bytes.Equal(a, b) {
		t.Fatal("two builds of the same image differ")
	}
	// Another binary gives another image.
	third, _ := writeAndRead(t, opts, []Binary{{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "other-bytes")}})
	c, _ := os.ReadFile(third)
	if bytes.Equal(a, c) {
		t.Fatal("a different binary gave the same image")
	}
}

func TestImageMultiPlatform(t *testing.T) {
	opts := testOptions(t)
	bins := []Binary{
		{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "gateway-bytes")},
		{OS: "linux", Arch: "arm", Variant: "v7", Path: fakeBinary(t, "gateway-bytes")},
	}
	_, idx := writeAndRead(t, opts, bins)
	im, _ := idx.IndexManifest()
	if len(im.Manifests) != 1 || !im.Manifests[0].MediaType.IsIndex() {
		t.Fatalf("index.json lists %+v, want one image index", im.Manifests)
	}
	inner, err := idx.ImageIndex(im.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	in, _ := inner.IndexManifest()
	var got []string
	for _, d := range in.Manifests {
		if d.Platform == nil {
			t.Fatalf("manifest %s has no platform", d.Digest)
		}
		got = append(got, d.Platform.String())
	}
	if strings.Join(got, " ") != "linux/amd64 linux/arm/v7" {
		t.Errorf("platforms %v", got)
	}
}

func TestImageRefusesNonLinux(t *testing.T) {
	_, err := Build(testOptions(t), []Binary{{OS: "darwin", Arch: "arm64", Path: fakeBinary(t, "x")}})
	if err == nil || !strings.Contains(err.Error(), "darwin/arm64 is not linux") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseRef(t *testing.T) {
	for _, s := range []string{"mgw/demo", "mgw/demo:1.0", "127.0.0.1:5000/team/gw:v2", "registry.example.com/a/b/c:latest", "r.example.com/" + strings.Repeat("a", 255)} {
		if _, err := ParseRef(s); err != nil {
			t.Errorf("ParseRef(%q): %v", s, err)
		}
	}
	for s, want := range map[string]string{
		"":                       "empty",
		"Mgw/Demo":               "lower-case",
		"mgw/demo::1":            "invalid image reference",
		"mgw/demo@sha256:abcdef": "has a digest",
		"http://x/y":             "invalid image reference",
		"mgw/demo:$(reboot)":     "invalid image reference",
		`."/00`:                  "is not a host name",
		"mgw/.a:1":               "invalid image reference",
		strings.Repeat("a", 250): "at most 255",
	} {
		if _, err := ParseRef(s); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseRef(%q) = %v, want an error with %q", s, err, want)
		}
	}
	r, err := DefaultRef("Pizza_Shack.v2")
	if err != nil || r.String() != "mgw/pizza_shack.v2:latest" {
		t.Errorf("DefaultRef = %v, %v", r, err)
	}
}

func TestPushToRegistry(t *testing.T) {
	srv := httptest.NewServer(registry.New(registry.Logger(log.New(io.Discard, "", 0))))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref, err := ParseRef(host + "/team/demo:1.0")
	if err != nil {
		t.Fatal(err)
	}
	opts := testOptions(t)
	opts.Ref = ref
	bins := []Binary{
		{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "gateway-bytes")},
		{OS: "linux", Arch: "arm64", Path: fakeBinary(t, "gateway-bytes")},
	}
	imgs, err := Build(opts, bins)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	if err := Push(context.Background(), ref, imgs); err != nil {
		t.Fatal(err)
	}
	got, err := remote.Index(ref.Tag())
	if err != nil {
		t.Fatalf("pull back: %v", err)
	}
	gotDigest, _ := got.Digest()
	wantDigest, _ := MultiPlatform(imgs).Digest()
	if gotDigest != wantDigest {
		t.Errorf("registry has %s, built %s", gotDigest, wantDigest)
	}
}

func TestPushUnreachable(t *testing.T) {
	// A port nothing listens on.
	l := httptest.NewServer(nil)
	addr := strings.TrimPrefix(l.URL, "http://")
	l.Close()
	ref, _ := ParseRef(addr + "/team/demo:1.0")
	opts := testOptions(t)
	imgs, err := Build(opts, []Binary{{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "x")}})
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	err = Push(context.Background(), ref, imgs)
	if err == nil || !strings.Contains(err.Error(), "check that the registry "+addr+" is reachable") {
		t.Fatalf("err = %v", err)
	}
}

// TestPushWithDockerCredentials: the credentials come from the Docker
// config that docker login writes, as docker push finds them.
func TestPushWithDockerCredentials(t *testing.T) {
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != "ci-bot" || p != "s3cret" {
			w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		reg.ServeHTTP(w, r)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	ref, err := ParseRef(host + "/team/demo:1.0")
	if err != nil {
		t.Fatal(err)
	}
	imgs, err := Build(testOptions(t), []Binary{{OS: "linux", Arch: "amd64", Path: fakeBinary(t, "gateway-bytes")}})
	if err != nil {
		t.Fatal(err)
	}

	// Without credentials the registry refuses, and the error says how to log in.
	t.Setenv("DOCKER_CONFIG", t.TempDir())
	err = Push(context.Background(), ref, imgs)
	if err == nil || !strings.Contains(err.Error(), "docker login "+host) {
		t.Fatalf("push without credentials: %v", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Fatal("the error shows a password")
	}

	// With docker login's config.json it goes through.
	dir := t.TempDir()
	auth := base64.StdEncoding.EncodeToString([]byte("ci-bot:s3cret"))
	cfg := `{"auths":{"` + host + `":{"auth":"` + auth + `"}}}`
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DOCKER_CONFIG", dir)
	if err := Push(context.Background(), ref, imgs); err != nil {
		t.Fatal(err)
	}
	want, _ := imgs[0].Digest()
	desc, err := remote.Head(ref.Tag(), remote.WithAuth(&authn.Basic{Username: "ci-bot", Password: "s3cret"}))
	if err != nil || desc.Digest != want {
		t.Fatalf("registry has %v (%v), pushed %s", desc, err, want)
	}
}
