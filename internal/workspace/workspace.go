package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Folder and file names inside a workspace.
const (
	LabelsDir    = "labels"
	APIsDir      = "apis"
	PoliciesFile = "policies.yaml"
	GatewayFile  = "gateway.yaml"
	// DeployFile is the label's deployment settings (mgw build --image,
	// --k8s), written by the user.
	DeployFile = "deploy.yaml"
	// StateDir holds mgw's private state (token cache, hashes); it is
	// git-ignored.
	StateDir = ".mgw"
)

// userFiles are the label files the user writes and mgw never replaces:
// a setup keeps them unless it brings its own.
var userFiles = []string{GatewayFile, DeployFile}

func isUserFile(rel string) bool {
	if isInterceptorFile(rel) {
		return true
	}
	for _, f := range userFiles {
		if rel == f {
			return true
		}
	}
	return false
}

// ErrNoWorkspace is returned by Open when dir has no mgw.yaml.
var ErrNoWorkspace = errors.New("no workspace")

// Workspace is an mgw workspace folder.
type Workspace struct {
	// Dir is the absolute path of the workspace.
	Dir string
	// Config is the content of mgw.yaml.
	Config *Config
}

// Open reads the workspace in dir.
func Open(dir string) (*Workspace, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s has no %s; run 'mgw setup <label>' or 'mgw init' there first, or pass -C DIR", ErrNoWorkspace, dir, ConfigFile)
	}
	if err != nil {
		return nil, fmt.Errorf("read workspace: %w", err)
	}
	cfg, err := ParseConfig(path, data)
	if err != nil {
		return nil, err
	}
	return &Workspace{Dir: dir, Config: cfg}, nil
}

// OpenOrNew reads the workspace in dir, or returns a new, unsaved one.
func OpenOrNew(dir string) (*Workspace, error) {
	ws, err := Open(dir)
	if errors.Is(err, ErrNoWorkspace) {
		return &Workspace{Dir: dir, Config: &Config{Version: 1}}, nil
	}
	return ws, err
}

// LabelDir is the folder of a label.
func (w *Workspace) LabelDir(label string) string {
	return filepath.Join(w.Dir, LabelsDir, label)
}

// LabelFiles are the files of one label, by path relative to the label
// folder ("apis/x.yaml", "policies.yaml", "gateway.yaml").
type LabelFiles map[string][]byte

// APIFiles returns the API definition paths, sorted.
func (f LabelFiles) APIFiles() []string {
	var out []string
	for p := range f {
		if strings.HasPrefix(p, APIsDir+"/") {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// ReadLabel reads every file of a label. A missing label is an error that
// says how to create it.
func (w *Workspace) ReadLabel(label string) (LabelFiles, error) {
	dir := w.LabelDir(label)
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("label %q has no folder %s: run 'mgw setup %s' or 'mgw import %s <file>'", label, dir, label, label)
	}
	return readTree(dir)
}

// readTree reads the regular files below dir, keyed by slash path.
func readTree(dir string) (LabelFiles, error) {
	files := LabelFiles{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files[filepath.ToSlash(rel)] = data
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", dir, err)
	}
	return files, nil
}

// APIFileName is the file name of an API's definition: "<name>-<version>.yaml"
// with every character outside [A-Za-z0-9._-] replaced by '_'.
func APIFileName(name, version string) string {
	clean := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
				b.WriteRune(r)
			default:
				b.WriteByte('_')
			}
		}
		return strings.Trim(b.String(), ".")
	}
	n := clean(name)
	if n == "" {
		n = "api"
	}
	return n + "-" + clean(version) + ".yaml"
}

func sortLabels(ls []Label) {
	sort.Slice(ls, func(i, j int) bool { return ls[i].Name < ls[j].Name })
}
