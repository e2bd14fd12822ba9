package yamlerr

import (
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestProblems(t *testing.T) {
	var v struct {
		Port int `yaml:"port"`
	}
	dec := yaml.NewDecoder(strings.NewReader("port: x\ncolour: red\n"))
	dec.KnownFields(true)
	got := Problems("gw.yaml", dec.Decode(&v))
	want := []string{
		"gw.yaml:1: cannot unmarshal !!str `x` into int",
		`gw.yaml:2: unknown key "colour"`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := Problems("gw.yaml", yaml.Unmarshal([]byte("a: [\n"), &v)); len(got) != 1 || got[0][:8] != "gw.yaml:" {
		t.Errorf("syntax error: %q", got)
	}
}
