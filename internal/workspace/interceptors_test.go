package workspace

import (
	"os"
	"path/filepath"
	"testing"
)

func TestInterceptorsSurviveSetupAndMerge(t *testing.T) {
	ws := newWS(t)
	ws.Config.SetLabel(Label{Name: "demo", Source: SourceAPIM})
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("a")}, false); err != nil {
		t.Fatal(err)
	}
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(ws.Dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("labels/demo/interceptors/auth.go", "package interceptors // label\n")
	write("interceptors/auth.go", "package interceptors // shared, replaced\n")
	write("interceptors/log.go", "package interceptors // shared\n")
	write("interceptors/log_test.go", "package interceptors\n")
	// A second setup keeps the label's interceptors.
	if _, err := ws.CommitLabel("demo", LabelFiles{"apis/a-1.yaml": []byte("a2")}, false); err != nil {
		t.Fatal(err)
	}
	src, err := ws.Interceptors("demo")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range src.Files {
		got[f.Path] = string(f.Data)
	}
	want := map[string]string{
		"labels/demo/interceptors/auth.go": "package interceptors // label\n",
		"interceptors/log.go":              "package interceptors // shared\n",
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}
