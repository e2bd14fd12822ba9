package codegen

import (
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

func TestGenerateInterceptorRegistry(t *testing.T) {
	spec := &gateway.Spec{Label: "demo", MgwVersion: "v1"}
	files, err := GenerateWith(spec, Options{Interceptors: &Interceptors{Request: []string{"validateRequest"}, Response: []string{"stamp", "validateResponse"}}})
	if err != nil {
		t.Fatal(err)
	}
	reg := string(files[RegistryFile])
	for _, want := range []string{"package interceptors", `"validateRequest": validateRequest,`, `"stamp":            stamp,`, "func MGWRegistry() mgwintercept.Set"} {
		if !strings.Contains(reg, want) {
			t.Errorf("registry lacks %q:\n%s", want, reg)
		}
	}
	main := string(files["main.go"])
	if !strings.Contains(main, `"github.com/mgwio/mgw/cmd/gateway/interceptors"`) || !strings.Contains(main, "spec.Interceptors = interceptors.MGWRegistry\n") {
		t.Errorf("main does not register the interceptors:\n%s", main)
	}
	plain, err := Generate(spec)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := plain[RegistryFile]; ok || strings.Contains(string(plain["main.go"]), "interceptors") {
		t.Error("a label without interceptors got interceptor code")
	}
}

func TestGenerateRefusesHostileInterceptorNames(t *testing.T) {
	for _, name := range []string{"", "_", "func", "a}; func init() { panic(1) }; var _ = struct{", "a.b", "é"} {
		_, err := GenerateWith(&gateway.Spec{Label: "x"}, Options{Interceptors: &Interceptors{Response: []string{name}}})
		if err == nil || !strings.Contains(err.Error(), "is not a Go identifier") {
			t.Errorf("%q: err = %v", name, err)
		}
	}
}
