package image

import (
	"archive/tar"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// Index wraps imgs for an OCI image layout: one image is listed directly,
// several become a multi-platform image index. The top entry carries the
// reference annotations that docker, podman and skopeo read on load.
func Index(ref Ref, imgs []v1.Image) (v1.ImageIndex, error) {
	names := map[string]string{annRefName: ref.Name(), annCtrName: ref.Name()}
	if len(imgs) == 1 {
		return mutate.AppendManifests(empty.Index, mutate.IndexAddendum{
			Add: imgs[0], Descriptor: v1.Descriptor{Annotations: names},
		}), nil
	}
	return mutate.AppendManifests(empty.Index, mutate.IndexAddendum{
		Add: MultiPlatform(imgs), Descriptor: v1.Descriptor{Annotations: names},
	}), nil
}

// MultiPlatform is the image index of several single-platform images, the
// form a registry serves for a multi-arch tag.
func MultiPlatform(imgs []v1.Image) v1.ImageIndex {
	adds := make([]mutate.IndexAddendum, 0, len(imgs))
	for _, img := range imgs {
		adds = append(adds, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: platformOf(img)}})
	}
	return mutate.AppendManifests(empty.Index, adds...)
}

func platformOf(img v1.Image) *v1.Platform {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil
	}
	return cf.Platform()
}

// WriteArchive writes idx as an OCI image layout packed in one tar file at
// path (docker load, podman load, skopeo copy oci-archive:PATH). The file
// appears complete or not at all; the bytes depend only on idx.
func WriteArchive(path string, idx v1.ImageIndex) error {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".oci-layout-")
	if err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	defer os.RemoveAll(dir)
	if _, err := layout.Write(dir, idx); err != nil {
		return fmt.Errorf("write image layout: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".")
	if err != nil {
		return fmt.Errorf("write image: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tarDir(tmp, dir); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("move %s into place: %w", path, err)
	}
	return nil
}

// tarDir packs dir with sorted names, the epoch as time, root ownership
// and fixed modes, so the same layout always gives the same tar.
func tarDir(w io.Writer, dir string) error {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(paths)
	tw := tar.NewWriter(w)
	epoch := time.Unix(0, 0)
	for _, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		h := &tar.Header{Name: filepath.ToSlash(rel), ModTime: epoch, Format: tar.FormatUSTAR}
		if st.IsDir() {
			h.Typeflag, h.Name, h.Mode = tar.TypeDir, h.Name+"/", 0o755
			if err := tw.WriteHeader(h); err != nil {
				return err
			}
			continue
		}
		h.Typeflag, h.Mode, h.Size = tar.TypeReg, 0o644, st.Size()
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return tw.Close()
}

// Digest is what a registry names the pushed image by: the manifest's
// digest for one image, the multi-platform index's for several.
func Digest(imgs []v1.Image) (string, error) {
	var (
		h   v1.Hash
		err error
	)
	if len(imgs) == 1 {
		h, err = imgs[0].Digest()
	} else {
		h, err = MultiPlatform(imgs).Digest()
	}
	if err != nil {
		return "", fmt.Errorf("image digest: %w", err)
	}
	return h.String(), nil
}
