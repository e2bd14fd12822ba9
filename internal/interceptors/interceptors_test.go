package interceptors

import (
	"errors"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

func spec(req, res string) *gateway.Spec {
	return &gateway.Spec{Label: "demo", APIs: []gateway.API{{
		Name: "Pets", Version: "1", ResponseInterceptor: res,
		Resources: []gateway.Resource{{Path: "/p", Method: "GET", RequestInterceptor: req}},
	}}}
}

func TestCollectPrecedence(t *testing.T) {
	src := Collect("demo",
		map[string][]byte{"a.go": []byte("shared a"), "b.go": []byte("shared b"), "b_test.go": nil, "_x.go": nil, "notes.txt": nil},
		map[string][]byte{"a.go": []byte("label a")})
	if len(src.Files) != 2 {
		t.Fatalf("files %+v", src.Files)
	}
	if f := src.Files[0]; f.Name != "a.go" || f.Path != "labels/demo/interceptors/a.go" || string(f.Data) != "label a" {
		t.Errorf("a.go = %+v", f)
	}
	if f := src.Files[1]; f.Path != "interceptors/b.go" {
		t.Errorf("b.go = %+v", f)
	}
}

func TestCheck(t *testing.T) {
	good := File{Name: "a.go", Path: "interceptors/a.go", Data: []byte(`package interceptors

import (
	"strings"
	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

func check(req *intercept.Request) *intercept.Response { _ = strings.ToUpper; return nil }

var stamp = func(res *intercept.Response) {}
`)}
	c, errs := Check(Source{Files: []File{good}}, spec("check", "stamp"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if strings.Join(c.Request, ",") != "check" || strings.Join(c.Response, ",") != "stamp" || c.Decls["check"] != (Decl{Path: "interceptors/a.go", Line: 8}) {
		t.Errorf("checked %+v", c)
	}

	tests := []struct {
		name, file, src string
		want            []string
	}{
		{"syntax", "a.go", "package interceptors\nfunc (", []string{"interceptors/a.go:2:"}},
		{"package", "a.go", "package main\nfunc check() {}\nfunc stamp() {}", []string{"interceptors/a.go:1:9: package main: interceptor files must be in package interceptors"}},
		{"imports", "a.go", "package interceptors\nimport (\n\t\"os/exec\"\n\t\"github.com/x/y\"\n\t\"C\"\n\t\"cmd/go/internal/x\"\n\t\"internal/abi\"\n)\nfunc check() {}\nfunc stamp() {}",
			[]string{`interceptors/a.go:4:2: import "github.com/x/y" is not allowed`, `a.go:5:2: import "C"`, `a.go:6:2: import "cmd/go/internal/x"`, `a.go:7:2: import "internal/abi"`}},
		{"reserved", "a.go", "package interceptors\nfunc MGWRegistry() {}\nvar mgwintercept int\nfunc check() {}\nfunc stamp() {}",
			[]string{"a.go:2:6: the name MGWRegistry is reserved", "a.go:3:5: the name mgwintercept is reserved"}},
		{"registry file name", RegistryFile, "package interceptors", []string{"zz_mgw_registry.go is reserved", `response interceptor "stamp", but no file`, `request interceptor "check", but no file`}},
		{"missing", "a.go", "package interceptors\nfunc (x T) check() {}\nfunc stamp() {}",
			[]string{`API Pets:1 resource GET /p names request interceptor "check", but no file in interceptors/ or labels/demo/interceptors/ declares it; add func check(req *intercept.Request) *intercept.Response`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := Check(Source{Files: []File{{Name: tt.file, Path: "interceptors/" + tt.file, Data: []byte(tt.src)}}}, spec("check", "stamp"))
			all := errors.Join(errs...)
			if len(errs) != len(tt.want) && tt.name != "syntax" {
				t.Errorf("%d problems, want %d:\n%v", len(errs), len(tt.want), all)
			}
			for _, w := range tt.want {
				if all == nil || !strings.Contains(all.Error(), w) {
					t.Errorf("problems lack %q:\n%v", w, all)
				}
			}
		})
	}
}

func TestMapBuildOutput(t *testing.T) {
	c := &Checked{
		Source: Source{Files: []File{{Name: "a.go", Path: "labels/demo/interceptors/a.go"}}},
		Decls:  map[string]Decl{"check": {Path: "labels/demo/interceptors/a.go", Line: 7}},
	}
	registry := []byte("package interceptors\n\nfunc MGWRegistry() mgwintercept.Set {\n\treturn mgwintercept.Set{\n\t\tRequest: map[string]mgwintercept.RequestFunc{\n\t\t\t\"check\": check,\n\t\t},\n\t\tResponse: map[string]mgwintercept.ResponseFunc{},\n\t}\n}\n")
	lines := RegistryLines(registry)
	if lines[6] != "request check" {
		t.Fatalf("registry lines %v", lines)
	}
	out := "# github.com/mgwio/mgw/cmd/gateway/interceptors\ncmd/gateway/interceptors/a.go:3:9: undefined: x\n./cmd/gateway/interceptors/zz_mgw_registry.go:6:13: cannot use check (value of type func()) as mgwintercept.RequestFunc value in map literal\npkg/gateway/x.go:1:1: other"
	got, found := c.MapBuildOutput(out, lines)
	want := "labels/demo/interceptors/a.go:3:9: undefined: x\nlabels/demo/interceptors/a.go:7: request interceptor check must be func check(req *intercept.Request) *intercept.Response: cannot use check (value of type func()) as mgwintercept.RequestFunc value in map literal\npkg/gateway/x.go:1:1: other"
	if !found || got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if _, found := c.MapBuildOutput("pkg/gateway/x.go:1:1: other", lines); found {
		t.Error("found interceptor lines in unrelated output")
	}
}

// FuzzCheck: any file content gives problems or a result, never a panic,
// and whatever passes names only declared functions.
func FuzzCheck(f *testing.F) {
	f.Add("package interceptors\nfunc check() {}\nfunc stamp() {}")
	f.Add("package interceptors\nimport \"C\"\n")
	f.Add("package main\nfunc (")
	f.Add("\xff\x00")
	f.Fuzz(func(t *testing.T, src string) {
		c, errs := Check(Source{Files: []File{{Name: "a.go", Path: "interceptors/a.go", Data: []byte(src)}}}, spec("check", "stamp"))
		if len(errs) == 0 {
			for _, n := range append(c.Request, c.Response...) {
				if _, ok := c.Decls[n]; !ok {
					t.Fatalf("%q passed undeclared", n)
				}
			}
		}
	})
}
