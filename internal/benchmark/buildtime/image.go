package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mgwio/mgw/internal/build"
	"github.com/mgwio/mgw/internal/image"
)

// measureImage times what mgw build --image adds to a build of art: the
// image and its archive (the CA bundle of this machine included, as mgw
// build does by default), and compares the archive's size with the binary.
func measureImage(art build.Artifact, dir string) error {
	ref, err := image.DefaultRef(art.Label)
	if err != nil {
		return err
	}
	ca, _ := os.ReadFile("/etc/ssl/certs/ca-certificates.crt")
	start := time.Now()
	imgs, err := image.Build(image.Options{Ref: ref, Label: art.Label, Ports: []int{9090, 9095}, CABundle: ca},
		[]image.Binary{{OS: "linux", Arch: "amd64", Path: art.Path}})
	if err != nil {
		return err
	}
	idx, err := image.Index(ref, imgs)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, art.Label+".oci.tar")
	if err := image.WriteArchive(out, idx); err != nil {
		return err
	}
	took := time.Since(start)
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	ratio := float64(st.Size()) / float64(art.Size)
	verdict := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "FALL SHORT"
	}
	fmt.Printf("image (--image, %d APIs): +%.2f s to the build [target < 1 s: %s]; archive %.1f MB (compressed) for a %.1f MB binary = %.2fx [target <= 1.05x: %s]\n",
		art.APIs, took.Seconds(), verdict(took < time.Second), float64(st.Size())/(1<<20), float64(art.Size)/(1<<20), ratio, verdict(ratio <= 1.05))
	return nil
}
