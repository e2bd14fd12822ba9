package codegen

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/internal/runtimedeps"
	"github.com/mgwio/mgw/pkg/gateway"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// cases are the folders of testdata: spec.json in, *.golden out.
func cases(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("no golden cases in testdata")
	}
	return out
}

func loadSpec(t *testing.T, name string) *gateway.Spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name, "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var s gateway.Spec
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s/spec.json: %v", name, err)
	}
	return &s
}

func TestGolden(t *testing.T) {
	for _, name := range cases(t) {
		t.Run(name, func(t *testing.T) {
			files, err := Generate(loadSpec(t, name))
			if err != nil {
				t.Fatal(err)
			}
			for file, got := range files {
				golden := filepath.Join("testdata", name, file+".golden")
				if *update {
					if err := os.WriteFile(golden, got, 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test ./pkg/codegen -update)", err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s differs from %s; if the change is intended, run go test ./pkg/codegen -update", file, golden)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	spec := loadSpec(t, "full")
	a, err := Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, err := Generate(spec)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two generations of the same spec differ")
		}
	}
}

// TestGeneratedSpecRoundTrips compiles each golden case's generated source
// with the real runtime and checks, through a program that gob-encodes the
// compiled-in spec, that every value arrives in the binary exactly as it
// was, hostile strings included. It also builds the real main package.
func TestGeneratedSpecRoundTrips(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles Go programs")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go toolchain")
	}
	runtimeSrc, err := gateway.Source()
	if err != nil {
		t.Fatal(err)
	}
	imports, err := runtimedeps.ExternalImports(runtimeSrc, "github.com/mgwio/mgw")
	if err != nil {
		t.Fatal(err)
	}
	vendored, require, err := runtimedeps.Vendor(runtimedeps.Embedded(), imports)
	if err != nil {
		t.Fatal(err)
	}
	gomod := "module github.com/mgwio/mgw\n\ngo 1.26\n"
	for _, m := range require {
		gomod += "require " + m.Path + " " + m.Version + "\n"
	}
	// Invalid UTF-8 cannot travel through JSON: add it here.
	extra := loadSpec(t, "minimal")
	extra.Label = "bytes"
	extra.APIs[0].Name = "bad\xff\xfeutf8"
	extra.APIs[0].Resources[0].Path = "/\x80"
	// Conditional groups travel as literals too, hostile values included.
	extra.Policies.Advanced = append(extra.Policies.Advanced, gateway.Policy{
		Name: "Cond`\"}", LimitType: gateway.LimitRequestCount, RequestCount: 5, UnitTime: 1, TimeUnit: "min", StopOnQuotaReach: true,
		ConditionalGroups: []gateway.ConditionalGroup{{
			LimitType: gateway.LimitBandwidth, DataAmount: 1, DataUnit: "KB", UnitTime: 1, TimeUnit: "sec",
			Conditions: []gateway.Condition{
				{Type: gateway.ConditionHeader, Name: "X-A", Value: "\"}; panic(1) //\n"},
				{Type: gateway.ConditionIPRange, StartingIP: "10.0.0.0", EndingIP: "10.0.0.9", Invert: true},
			},
		}},
	})
	// Compiled schemas too: patterns, enum texts and property names are
	// outside input that must stay strings.
	extra.APIs[0].Schemas = []gateway.Schema{{
		Types: []string{"object"}, Pattern: "\"}; panic(1) //`\n", Enum: []string{"\"`\"}", "{\"k\":[1,null]}"},
		Properties: []gateway.Property{{Name: "*/ panic(2) /*", Schema: 1}}, Required: []string{"a\"b\xff"},
		Format: "date-time\x00", Minimum: 1e-300, HasMinimum: true, MultipleOf: 0.1, MaxLength: 1 << 62, HasMaxLength: true,
		AllOf: []int{1}, Not: 1,
	}}
	extra.APIs[0].Resources[0].Validation = &gateway.Validation{
		Request:   true,
		Params:    []gateway.ParamRule{{Name: "`x`\n", In: gateway.ParamQuery, Explode: true, Schema: 1}},
		Body:      &gateway.BodyRule{Required: true, JSON: 1, MediaTypes: []string{"application/\"json"}},
		Responses: []gateway.ResponseRule{{Status: "2XX\"", JSON: 1}},
	}
	specs := map[string]*gateway.Spec{"bytes": extra}
	for _, name := range cases(t) {
		specs[name] = loadSpec(t, name)
	}
	for name, spec := range specs {
		t.Run(name, func(t *testing.T) {
			files, err := Generate(spec)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			write := func(rel string, data []byte) {
				p := filepath.Join(dir, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("go.mod", []byte(gomod))
			for p, data := range vendored {
				write(p, data)
			}
			for p, data := range runtimeSrc {
				write("pkg/gateway/"+p, data)
			}
			for p, data := range files {
				write("cmd/gateway/"+p, data)
			}
			write("cmd/dump/spec.go", files["spec.go"])
			write("cmd/dump/main.go", []byte(`package main

import (
	"encoding/gob"
	"os"
)

func main() {
	if err := gob.NewEncoder(os.Stdout).Encode(&spec); err != nil {
		panic(err)
	}
}
`))
			env := append(os.Environ(), "GOFLAGS=-mod=vendor", "GOPROXY=off", "GOWORK=off", "CGO_ENABLED=0")
			build := exec.Command(goCmd, "build", "-o", os.DevNull, "./cmd/gateway")
			build.Dir, build.Env = dir, env
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("generated gateway does not compile: %v\n%s", err, out)
			}
			run := exec.Command(goCmd, "run", "./cmd/dump")
			run.Dir, run.Env = dir, env
			var stderr strings.Builder
			run.Stderr = &stderr
			out, err := run.Output()
			if err != nil {
				t.Fatalf("dump program: %v\n%s", err, stderr.String())
			}
			var got gateway.Spec
			if err := gob.NewDecoder(bytes.NewReader(out)).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(normalize(spec), normalize(&got)) {
				t.Fatalf("compiled-in spec differs from the input:\n got %#v\nwant %#v", got, *spec)
			}
		})
	}
}

// normalize maps empty slices to nil: gob does not tell them apart, and
// neither does the runtime.
func normalize(s *gateway.Spec) *gateway.Spec {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(s); err != nil {
		panic(err)
	}
	var out gateway.Spec
	if err := gob.NewDecoder(&b).Decode(&out); err != nil {
		panic(err)
	}
	return &out
}

func TestLiteralRejectsForeignTypes(t *testing.T) {
	type local struct{ A string }
	if _, err := literal(local{A: "x"}); err == nil {
		t.Fatal("a type outside pkg/gateway must not be rendered")
	}
}
