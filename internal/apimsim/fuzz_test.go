package apimsim

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
)

// FuzzAPIFixture feeds arbitrary files to the apis/*.json loader: it must
// never panic, and what it accepts must be served as valid JSON with the
// checked fields present.
func FuzzAPIFixture(f *testing.F) {
	_ = fs.WalkDir(DefaultFixtures(), "apis", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := fs.ReadFile(DefaultFixtures(), p)
			f.Add(data)
		}
		return nil
	})
	f.Add([]byte(`{"id":"1","name":"x","version":"1","context":"/x","status":"PUBLISHED"} trailing`))
	f.Add([]byte("{\n\"id\": 1\n}"))
	f.Add([]byte(`{"id":"1","name":"x","version":"1","context":"/x","status":"PUBLISHED","labels":[{"name":"a"}],"maxTps":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c := &catalog{byID: map[string]*apiEntry{}}
		err := c.add("apis/fuzz.json", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "apis/fuzz.json: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		e := c.apis[0]
		if !json.Valid(e.raw) || c.byID[e.api.ID] != e {
			t.Fatalf("accepted %q but serves %q", data, e.raw)
		}
		for _, v := range []string{e.api.ID, e.api.Name, e.api.Version, e.api.Context, e.api.Status} {
			if strings.TrimSpace(v) == "" {
				t.Fatalf("accepted an API with an empty required field: %q", data)
			}
		}
	})
}

// FuzzZipLines feeds arbitrary uploads to the analytics zip reader.
func FuzzZipLines(f *testing.F) {
	f.Add(usageZip(f, "a", "b"))
	f.Add([]byte("PK\x03\x04 not really"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := zipLines(data)
		if err != nil {
			return
		}
		for _, l := range lines {
			if l == "" || strings.Contains(l, "\n") {
				t.Fatalf("line %q", l)
			}
		}
	})
}
