package apidef

import (
	"go/token"
	"testing"
)

func TestCheckInterceptorName(t *testing.T) {
	for _, ok := range []string{"validateRequest", "ValidateResponse", "_x", "a1", "x_y_Z"} {
		if err := CheckInterceptorName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "1a", "a-b", "a.b", "java:a.B", "func", "_", "init", "main", "é", "a b", "a\nb", "f()"} {
		if CheckInterceptorName(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzCheckInterceptorName: whatever is accepted is a plain ASCII Go
// identifier that can stand in generated code.
func FuzzCheckInterceptorName(f *testing.F) {
	for _, s := range []string{"validateRequest", "java:org.x.Y", "f(); os.Exit(1)", "func", "_", "a\x00", "ÿ", "init"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckInterceptorName(s) != nil {
			return
		}
		if !token.IsIdentifier(s) || s == "_" || s == "init" || s == "main" {
			t.Fatalf("%q accepted but is not a usable identifier", s)
		}
		for i := 0; i < len(s); i++ {
			if s[i] >= 0x80 {
				t.Fatalf("%q accepted with non-ASCII", s)
			}
		}
	})
}
