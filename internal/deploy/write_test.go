package deploy

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// readDir returns a folder's files by name.
func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// onlyEntry fails unless parent holds exactly name (no temp leftovers).
func onlyEntry(t *testing.T, parent, name string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{name}) {
		t.Errorf("%s holds %v, want only %s", parent, names, name)
	}
}

func TestWriteReplacesTheFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "demo-k8s")
	if err := Write(dir, map[string][]byte{"a.yaml": []byte("a: 1\n"), "hpa.yaml": []byte("old\n")}); err != nil {
		t.Fatal(err)
	}
	if err := Write(dir, map[string][]byte{"a.yaml": []byte("a: 2\n"), "b.yaml": []byte("b: 1\n")}); err != nil {
		t.Fatal(err)
	}
	got := readDir(t, dir)
	want := map[string]string{"a.yaml": "a: 2\n", "b.yaml": "b: 1\n"}
	if len(got) != len(want) || got["a.yaml"] != want["a.yaml"] || got["b.yaml"] != want["b.yaml"] {
		t.Errorf("got %v, want %v (a stale hpa.yaml must go)", got, want)
	}
	onlyEntry(t, parent, "demo-k8s")
}

func TestWriteFailureKeepsTheOldFolder(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "demo-k8s")
	old := map[string][]byte{"deployment.yaml": []byte("old: true\n")}
	if err := Write(dir, old); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"../escape.yaml", "sub/x.yaml", "", ".."} {
		err := Write(dir, map[string][]byte{"a.yaml": []byte("new\n"), bad: []byte("x")})
		if err == nil {
			t.Fatalf("%q accepted", bad)
		}
		if got := readDir(t, dir); len(got) != 1 || got["deployment.yaml"] != "old: true\n" {
			t.Errorf("after a failed write (%q) the folder holds %v", bad, got)
		}
		onlyEntry(t, parent, "demo-k8s")
	}
}

func TestWriteRefusesAFile(t *testing.T) {
	parent := t.TempDir()
	path := filepath.Join(parent, "demo-k8s")
	if err := os.WriteFile(path, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, map[string][]byte{"a.yaml": []byte("x")}); err == nil {
		t.Fatal("replaced a file")
	}
	if b, _ := os.ReadFile(path); string(b) != "keep" {
		t.Errorf("the file now holds %q", b)
	}
	onlyEntry(t, parent, "demo-k8s")
}
