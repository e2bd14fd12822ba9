package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mgwio/mgw/internal/interceptors"
)

// Interceptors reads a label's Go interceptors: interceptors/ at the
// workspace root, shared by every label, and labels/<label>/interceptors/,
// whose files replace shared files of the same name.
func (w *Workspace) Interceptors(label string) (interceptors.Source, error) {
	shared, err := readGoFiles(filepath.Join(w.Dir, interceptors.Dir))
	if err != nil {
		return interceptors.Source{}, err
	}
	own, err := readGoFiles(filepath.Join(w.LabelDir(label), interceptors.Dir))
	if err != nil {
		return interceptors.Source{}, err
	}
	return interceptors.Collect(label, shared, own), nil
}

// readGoFiles reads the *.go files directly in dir; a missing dir has none.
func readGoFiles(dir string) (map[string][]byte, error) {
	entries, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, e.Name()), err)
		}
		files[e.Name()] = data
	}
	return files, nil
}

// isInterceptorFile reports whether a label file belongs to the label's
// interceptors, which the user writes and setup keeps.
func isInterceptorFile(rel string) bool {
	return strings.HasPrefix(rel, interceptors.Dir+"/")
}
