package deploy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Write makes dir hold exactly files (name → content), atomically: the
// files are written and synced into a temporary folder beside dir, then
// an existing dir is renamed away, the new one renamed into place and the
// old one removed. A failure before the swap leaves dir as it was; a
// failure of the second rename puts the old dir back. File names must be
// plain names (no folders).
func Write(dir string, files map[string][]byte) (err error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("writing manifests: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("writing manifests: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("writing manifests: %w", err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if n == "" || n == "." || n == ".." || strings.ContainsAny(n, `/\`) {
			return fmt.Errorf("writing manifests: %q is not a plain file name", n)
		}
		if err := writeSynced(filepath.Join(tmp, n), files[n]); err != nil {
			return fmt.Errorf("writing manifests: %w", err)
		}
	}
	return swapDir(tmp, dir)
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// swapDir renames tmp to dir, moving an existing dir out of the way first.
func swapDir(tmp, dir string) error {
	fi, err := os.Lstat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := os.Rename(tmp, dir); err != nil {
			return fmt.Errorf("writing manifests: %w", err)
		}
		return nil
	case err != nil:
		return fmt.Errorf("writing manifests: %w", err)
	case !fi.IsDir():
		return fmt.Errorf("writing manifests: %s exists and is not a folder", dir)
	}
	old := tmp + ".old"
	if err := os.Rename(dir, old); err != nil {
		return fmt.Errorf("writing manifests: moving the old %s aside: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("writing manifests: %w (and restoring the old folder from %s failed: %v)", err, old, rerr)
		}
		return fmt.Errorf("writing manifests: %w", err)
	}
	if err := os.RemoveAll(old); err != nil {
		return fmt.Errorf("writing manifests: removing the old folder %s: %w", old, err)
	}
	return nil
}
