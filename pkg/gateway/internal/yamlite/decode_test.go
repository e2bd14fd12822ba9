package yamlite

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

type size int64

func (s *size) UnmarshalScalar(t string) error {
	v, ok := strings.CutSuffix(t, "KiB")
	if !ok {
		return errors.New(`expected a size such as "4KiB"`)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return errors.New(`expected a size such as "4KiB"`)
	}
	*s = size(n * 1024)
	return nil
}

type endpoint struct {
	URLs    []string `yaml:"urls"`
	Type    string   `yaml:"type"`
	Secret  string   `yaml:"password" restricted:"secrets are not accepted here; use password_file"`
	Timeout time.Duration
}

type testConfig struct {
	Name   string        `yaml:"name"`
	Port   int           `yaml:"port"`
	Small  int8          `yaml:"small"`
	On     bool          `yaml:"on"`
	Wait   time.Duration `yaml:"wait"`
	Size   size          `yaml:"size"`
	Tags   []string      `yaml:"tags"`
	Nested struct {
		A int `yaml:"a"`
	} `yaml:"nested"`
	APIs    map[string]endpoint `yaml:"apis"`
	Ptr     *endpoint           `yaml:"ptr"`
	private int
}

func decodeString(t *testing.T, d *Decoder, src string, v any) []Problem {
	t.Helper()
	n, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d.Decode(n, v)
}

func TestDecodeValues(t *testing.T) {
	var c testConfig
	c.Port = 1
	c.Name = "keep"
	set := map[string]int{}
	d := &Decoder{OnSet: func(p string, l int) { set[p] = l }}
	src := `port: 9090
on: true
wait: 1m30s
size: 4KiB
tags: [a, "b"]
apis:
  "Pets/1.0":
    urls:
      - http://x
    type: failover
ptr:
  type: http
`
	if probs := decodeString(t, d, src, &c); probs != nil {
		t.Fatalf("problems: %v", probs)
	}
	want := testConfig{
		Name: "keep", Port: 9090, On: true, Wait: 90 * time.Second, Size: 4096,
		Tags: []string{"a", "b"},
		APIs: map[string]endpoint{"Pets/1.0": {URLs: []string{"http://x"}, Type: "failover"}},
		Ptr:  &endpoint{Type: "http"},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	if set["port"] != 1 || set[`apis."Pets/1.0".urls`] != 9 || set["ptr.type"] != 12 {
		t.Errorf("OnSet lines = %v", set)
	}
	if _, ok := set["name"]; ok {
		t.Error("OnSet reported a key that was not in the input")
	}
}

func TestDecodeLayersMaps(t *testing.T) {
	var c testConfig
	d := &Decoder{}
	decodeString(t, d, "apis:\n  a:\n    type: http\n    urls: [x]\n", &c)
	decodeString(t, d, "apis:\n  a:\n    urls: [y]\n  b:\n    type: failover\n", &c)
	want := map[string]endpoint{"a": {Type: "http", URLs: []string{"y"}}, "b": {Type: "failover"}}
	if !reflect.DeepEqual(c.APIs, want) {
		t.Errorf("layered APIs = %+v, want %+v", c.APIs, want)
	}
}

func TestDecodeProblems(t *testing.T) {
	src := `name: [a]
port: ninety
small: 300
on: yes
wait: 30
size: 4MB
tags: x
nested:
  B: 1
apis:
  a:
    password: hunter2
    typo: 1
    urls: [ok, ~]
prot: 1
`
	var c testConfig
	probs := decodeString(t, &Decoder{}, src, &c)
	want := []string{
		`line 1: name: expected a string, got a sequence`,
		`line 2: port: expected an integer, got "ninety"`,
		`line 3: small: 300 is out of range`,
		`line 4: on: expected true or false, got "yes"`,
		`line 5: wait: expected a duration such as 500ms, 30s or 1m30s, got "30"`,
		`line 6: size: expected a size such as "4KiB"`,
		`line 7: tags: expected a list such as [a, b] or lines starting with "- ", got a scalar`,
		`line 9: nested.B: unknown key (did you mean "a"?)`,
		`line 12: apis.a.password: secrets are not accepted here; use password_file`,
		`line 13: apis.a.typo: unknown key (did you mean "type"?)`,
		`line 14: apis.a.urls[1]: empty list item`,
		`line 15: prot: unknown key (did you mean "port"?)`,
	}
	var got []string
	for _, p := range probs {
		got = append(got, p.String())
		if strings.Contains(p.String(), "hunter2") {
			t.Errorf("problem leaks the secret: %s", p)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestDecodeRestrictedAllowed(t *testing.T) {
	var e endpoint
	n := Nest([]string{"password"}, &Node{Kind: Scalar, Value: "s3cret"})
	if probs := (&Decoder{AllowRestricted: true}).Decode(n, &e); probs != nil {
		t.Fatal(probs)
	}
	if e.Secret != "s3cret" {
		t.Errorf("secret = %q", e.Secret)
	}
}

func TestDecodeUnknownListsKeys(t *testing.T) {
	var e endpoint
	probs := decodeString(t, &Decoder{}, "zzzzzzzz: 1\n", &e)
	if len(probs) != 1 || !strings.Contains(probs[0].Msg, "valid keys are password, type, urls") {
		t.Errorf("problems = %v", probs)
	}
}

func TestDecodeNeedsPointer(t *testing.T) {
	var e endpoint
	if probs := (&Decoder{}).Decode(&Node{Kind: Mapping}, e); len(probs) != 1 {
		t.Errorf("decoding into a non-pointer gave %v", probs)
	}
}
