package gateway

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// smugCorpus is the h1 server fuzz target's seed corpus: every smuggling
// case's bytes are in it, so that `make fuzz` starts from them.
const smugCorpus = "internal/h1/testdata/fuzz/FuzzServerRequest"

// smugSeedFile is a case's file in the corpus, in the format of
// `go test -fuzz` (FuzzServerRequest takes one []byte).
func smugSeedFile(c smugCase) (name, content string) {
	slug := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, c.name)
	raw := smugExpand(c.raw, "c000", "token")
	return "smuggle-" + slug, fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", raw)
}

// TestSmugglingSeedsInCorpus checks that the corpus holds every case;
// MGW_UPDATE_SEEDS=1 writes them.
func TestSmugglingSeedsInCorpus(t *testing.T) {
	update := os.Getenv("MGW_UPDATE_SEEDS") == "1"
	names := map[string]bool{}
	for _, c := range smuggleCases() {
		name, want := smugSeedFile(c)
		if names[name] {
			t.Errorf("two cases have the seed name %s", name)
		}
		names[name] = true
		p := filepath.Join(smugCorpus, name)
		if update {
			if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(p)
		if err != nil || string(got) != want {
			t.Errorf("seed %s is missing or stale (%v): run MGW_UPDATE_SEEDS=1 go test -run SeedsInCorpus ./pkg/gateway/", p, err)
		}
	}
}
