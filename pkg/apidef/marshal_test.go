package apidef

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Marshal gives the same bytes for the same API, however Go iterates maps,
// and a workspace file read back and written again does not change.
func TestMarshalDeterministic(t *testing.T) {
	for _, fixture := range []string{"http", "cors", "failover", "endpoint_security"} {
		t.Run(fixture, func(t *testing.T) {
			dto := readDTO(t, fixture)
			var first []byte
			for i := 0; i < 10; i++ {
				doc, err := FromPublisher(dto) // decoded afresh: new maps each time
				if err != nil {
					t.Fatal(err)
				}
				out, err := Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = out
					continue
				}
				if !bytes.Equal(out, first) {
					t.Fatalf("run %d differs from run 0:\n%s\n---\n%s", i, out, first)
				}
			}
			loaded, err := Load("x.yaml", first)
			if err != nil {
				t.Fatal(err)
			}
			again, err := Marshal(loaded)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again, first) {
				t.Errorf("Load then Marshal changed the file:\n%s\n---\n%s", again, first)
			}
		})
	}
}

// Every imported MGW 3.x sample, written as a workspace file, is stable too.
func TestMarshalSamplesStable(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "mgw320", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Load(f, data)
		if err != nil {
			continue // covered by TestSamples
		}
		a, err := Encode(doc, "")
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		doc2, err := Load(f, a)
		if err != nil {
			t.Fatalf("%s: the encoded file does not load: %v\n%s", f, err, a)
		}
		b, err := Encode(doc2, "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s: encoding is not stable", f)
		}
	}
}

func TestMarshalLayout(t *testing.T) {
	doc, err := FromPublisher(readDTO(t, "cors"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Encode(doc, "imported by mgw import")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(out), "\n")
	if lines[0] != "# imported by mgw import" || lines[1] != "openapi: 3.0.3" || lines[2] != "info:" {
		t.Errorf("unexpected head:\n%s", strings.Join(lines[:3], "\n"))
	}
	// Top level: openapi, info, x-wso2-*, other extensions, then paths and components.
	var top []string
	for _, l := range lines[1:] {
		if l != "" && l[0] != ' ' && l[0] != '-' {
			top = append(top, strings.SplitN(l, ":", 2)[0])
		}
	}
	want := "openapi info x-wso2-api-id x-wso2-basePath x-wso2-context x-wso2-cors x-wso2-owner x-wso2-production-endpoints x-wso2-security x-wso2-subscription-tiers x-wso2-transports paths components"
	if got := strings.Join(top, " "); got != want {
		t.Errorf("top-level keys\n got: %s\nwant: %s", got, want)
	}
	for i, l := range lines {
		if trimmed := strings.TrimLeft(l, " "); (len(l)-len(trimmed))%2 != 0 {
			t.Errorf("line %d is not indented by a multiple of 2 spaces: %q", i+1, l)
		}
	}
	if _, err := Encode(doc, "two\nlines"); err == nil {
		t.Error("a multi-line header was accepted")
	}
	if _, err := Marshal(nil); err == nil {
		t.Error("Marshal(nil) succeeded")
	}
}
