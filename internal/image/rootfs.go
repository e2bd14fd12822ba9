package image

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"os"
	"time"
)

// Paths inside the image.
const (
	// BinaryPath is where the gateway binary lives; it is the entrypoint.
	BinaryPath = "/gateway"
	// HomeDir is the non-root user's home and the working directory, so
	// relative paths in the gateway's config (the analytics folder,
	// api-usage-data by default) are writable.
	HomeDir = "/home/nonroot"
	// CABundlePath is where the CA bundle goes; Go's crypto/x509 reads it
	// there on Linux.
	CABundlePath = "/etc/ssl/certs/ca-certificates.crt"
	// UID and GID of the user the gateway runs as (distroless "nonroot").
	UID = 65532
	GID = 65532
)

const (
	passwd = "root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"
	group  = "root:x:0:\nnonroot:x:65532:\n"
)

// entry is one file or folder of the layer.
type entry struct {
	name     string // without a leading slash
	dir      bool
	mode     int64
	uid, gid int
	data     []byte
	file     string // read from this file instead of data
}

// rootfs lists the layer's entries, parents before children, in a fixed
// order so the tar is the same every time.
func rootfs(binary string, caBundle []byte) []entry {
	es := []entry{
		{name: "etc/", dir: true, mode: 0o755},
		{name: "etc/group", mode: 0o644, data: []byte(group)},
		{name: "etc/passwd", mode: 0o644, data: []byte(passwd)},
	}
	if len(caBundle) > 0 {
		es = append(es,
			entry{name: "etc/ssl/", dir: true, mode: 0o755},
			entry{name: "etc/ssl/certs/", dir: true, mode: 0o755},
			entry{name: CABundlePath[1:], mode: 0o644, data: caBundle},
		)
	}
	return append(es,
		entry{name: BinaryPath[1:], mode: 0o755, file: binary},
		entry{name: "home/", dir: true, mode: 0o755},
		entry{name: HomeDir[1:] + "/", dir: true, mode: 0o700, uid: UID, gid: GID},
		entry{name: "tmp/", dir: true, mode: 0o1777},
	)
}

// writeLayer writes the uncompressed layer tar: every entry owned as
// listed, stamped with mtime, with no user or group names and no PAX
// records that vary between machines.
func writeLayer(w io.Writer, es []entry, mtime time.Time) error {
	tw := tar.NewWriter(w)
	for _, e := range es {
		h := &tar.Header{
			Name:    e.name,
			Mode:    e.mode,
			Uid:     e.uid,
			Gid:     e.gid,
			ModTime: mtime,
			Format:  tar.FormatUSTAR,
		}
		if e.dir {
			h.Typeflag = tar.TypeDir
			if err := tw.WriteHeader(h); err != nil {
				return fmt.Errorf("write layer: %w", err)
			}
			continue
		}
		h.Typeflag = tar.TypeReg
		var body io.Reader = bytes.NewReader(e.data)
		h.Size = int64(len(e.data))
		if e.file != "" {
			f, err := os.Open(e.file)
			if err != nil {
				return fmt.Errorf("read the gateway binary: %w", err)
			}
			defer f.Close()
			st, err := f.Stat()
			if err != nil {
				return fmt.Errorf("read the gateway binary: %w", err)
			}
			h.Size = st.Size()
			body = f
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("write layer: %w", err)
		}
		if n, err := io.Copy(tw, body); err != nil {
			return fmt.Errorf("write layer: %w", err)
		} else if n != h.Size {
			return fmt.Errorf("write layer: %s changed while it was read", e.file)
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write layer: %w", err)
	}
	return nil
}
