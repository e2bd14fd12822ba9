package gateway

import (
	"runtime/debug"
	"testing"
)

func TestTuneGCKeepsAnExplicitGOGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	defer debug.SetGCPercent(orig)

	tuneGC([]string{"PATH=/bin", "GOGC=50"})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set in the environment was overridden: GC percent %d", got)
	}
	tuneGC([]string{"PATH=/bin"})
	if got := debug.SetGCPercent(100); got != defaultGCPercent {
		t.Fatalf("GC percent %d without GOGC, want %d", got, defaultGCPercent)
	}
}
