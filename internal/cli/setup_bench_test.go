package cli

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

// BenchmarkSetup1200 runs mgw setup of the simulator's "big" label (1,200
// APIs; 4.x: the gateway environment "big") against each simulated API
// Manager version, in-process over loopback HTTP, into a fresh workspace
// per iteration. The target is 10 s per setup on the 2-core machine.
func BenchmarkSetup1200(b *testing.B) {
	for _, v := range []apim.Version{apim.V26, apim.V3, apim.V4} {
		b.Run(string(v), func(b *testing.B) {
			url := simServer(b, v, nil)
			for b.Loop() {
				dir := b.TempDir()
				r := setup(b, dir, url, "big")
				if r.err != nil {
					b.Fatalf("setup: %v\n%s", r.err, r.stderr)
				}
				entries, err := os.ReadDir(filepath.Join(dir, "labels", "big", "apis"))
				if err != nil || len(entries) != 1200 {
					b.Fatalf("%d API files (%v), want 1200", len(entries), err)
				}
			}
		})
	}
}
