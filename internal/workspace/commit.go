package workspace

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Changes says how a label's files changed.
type Changes struct {
	Added, Changed, Removed []string
	// PoliciesChanged reports a change of policies.yaml.
	PoliciesChanged bool
}

// Empty reports whether nothing changed.
func (c Changes) Empty() bool {
	return len(c.Added)+len(c.Changed)+len(c.Removed) == 0 && !c.PoliciesChanged
}

// Diff compares the API files and policies of two versions of a label.
func Diff(old, new LabelFiles) Changes {
	var c Changes
	for _, p := range new.APIFiles() {
		o, ok := old[p]
		switch {
		case !ok:
			c.Added = append(c.Added, p)
		case !bytes.Equal(o, new[p]):
			c.Changed = append(c.Changed, p)
		}
	}
	for _, p := range old.APIFiles() {
		if _, ok := new[p]; !ok {
			c.Removed = append(c.Removed, p)
		}
	}
	c.PoliciesChanged = !bytes.Equal(old[PoliciesFile], new[PoliciesFile])
	return c
}

// EditedError lists files edited by hand since mgw last wrote them.
type EditedError struct {
	Label string
	Files []string
}

func (e *EditedError) Error() string {
	return fmt.Sprintf("label %q has files edited since mgw wrote them: %s; commit or copy your edits, then run again with -f/--force to overwrite them",
		e.Label, strings.Join(e.Files, ", "))
}

// CommitLabel replaces a label's files and saves mgw.yaml as one step: on
// any failure the previous label folder and mgw.yaml are left as they were.
// The user's own files (gateway.yaml, deploy.yaml, interceptors/) are kept
// unless files brings them. Files edited by hand
// since mgw wrote them stop the commit with an *EditedError unless force.
func (w *Workspace) CommitLabel(label string, files LabelFiles, force bool) (Changes, error) {
	if err := ValidateLabelName(label); err != nil {
		return Changes{}, err
	}
	dir := w.LabelDir(label)
	old := LabelFiles{}
	if _, err := os.Stat(dir); err == nil {
		if old, err = readTree(dir); err != nil {
			return Changes{}, err
		}
	}
	st, err := w.loadState()
	if err != nil {
		return Changes{}, err
	}
	if !force {
		if edited := st.edited(label, old); len(edited) > 0 {
			return Changes{}, &EditedError{Label: label, Files: edited}
		}
	}
	for f, data := range old {
		if _, ok := files[f]; !ok && isUserFile(f) {
			files[f] = data
		}
	}
	changes := Diff(old, files)

	cfgData, err := MarshalConfig(w.Config)
	if err != nil {
		return Changes{}, err
	}
	if err := w.swapLabel(label, files, cfgData); err != nil {
		return Changes{}, err
	}
	st.record(label, files)
	if err := w.saveState(st); err != nil {
		return changes, err
	}
	if err := w.ensureGitignore(); err != nil {
		return changes, err
	}
	return changes, nil
}

// swapLabel stages the new label folder and mgw.yaml, then renames them in;
// a failure after the first rename puts the old ones back.
func (w *Workspace) swapLabel(label string, files LabelFiles, cfgData []byte) (err error) {
	tmpRoot := filepath.Join(w.Dir, StateDir, "tmp")
	if err := os.MkdirAll(tmpRoot, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", tmpRoot, err)
	}
	stage, err := os.MkdirTemp(tmpRoot, label+"-")
	if err != nil {
		return fmt.Errorf("stage label %s: %w", label, err)
	}
	defer os.RemoveAll(stage)
	newDir := filepath.Join(stage, "new")
	if err := writeTree(newDir, files); err != nil {
		return err
	}
	cfgTmp := filepath.Join(stage, ConfigFile)
	if err := os.WriteFile(cfgTmp, cfgData, 0o644); err != nil {
		return fmt.Errorf("stage %s: %w", ConfigFile, err)
	}
	dir := w.LabelDir(label)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(dir), err)
	}
	backup := filepath.Join(stage, "old")
	hadOld := false
	if _, err := os.Stat(dir); err == nil {
		if err := os.Rename(dir, backup); err != nil {
			return fmt.Errorf("replace label %s: %w", label, err)
		}
		hadOld = true
	}
	if err := os.Rename(newDir, dir); err != nil {
		if hadOld {
			_ = os.Rename(backup, dir)
		}
		return fmt.Errorf("replace label %s: %w", label, err)
	}
	cfgPath := filepath.Join(w.Dir, ConfigFile)
	if err := os.Rename(cfgTmp, cfgPath); err != nil {
		_ = os.RemoveAll(dir)
		if hadOld {
			_ = os.Rename(backup, dir)
		}
		return fmt.Errorf("write %s: %w", cfgPath, err)
	}
	syncDir(filepath.Dir(dir))
	syncDir(w.Dir)
	return nil
}

// SaveConfig writes mgw.yaml atomically.
func (w *Workspace) SaveConfig() error {
	data, err := MarshalConfig(w.Config)
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(w.Dir, ConfigFile), data, 0o644); err != nil {
		return err
	}
	return w.ensureGitignore()
}

// ensureGitignore keeps mgw's private state and build output out of git.
func (w *Workspace) ensureGitignore() error {
	path := filepath.Join(w.Dir, ".gitignore")
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	return WriteFileAtomic(path, []byte("# written by mgw\n/.mgw/\n/dist/\n"), 0o644)
}

// state records the hash of every file mgw wrote, to notice hand edits.
type state struct {
	Labels map[string]map[string]string `json:"labels"`
}

func (w *Workspace) statePath() string { return filepath.Join(w.Dir, StateDir, "state.json") }

func (w *Workspace) loadState() (*state, error) {
	st := &state{Labels: map[string]map[string]string{}}
	data, err := os.ReadFile(w.statePath())
	if errors.Is(err, fs.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read workspace state: %w", err)
	}
	if err := json.Unmarshal(data, st); err != nil || st.Labels == nil {
		// A damaged state file only disables hand-edit detection.
		return &state{Labels: map[string]map[string]string{}}, nil
	}
	return st, nil
}

func (w *Workspace) saveState(st *state) error {
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("encode workspace state: %w", err)
	}
	return WriteFileAtomic(w.statePath(), data, 0o600)
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// edited lists files whose content differs from what mgw last wrote.
func (s *state) edited(label string, current LabelFiles) []string {
	var out []string
	for rel, h := range s.Labels[label] {
		if isUserFile(rel) {
			continue
		}
		data, ok := current[rel]
		if ok && hashOf(data) != h {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out
}

func (s *state) record(label string, files LabelFiles) {
	m := map[string]string{}
	for rel, data := range files {
		m[rel] = hashOf(data)
	}
	s.Labels[label] = m
}
