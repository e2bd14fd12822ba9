package gateway

import (
	"strings"
	"testing"
	"time"
)

// TestValidationWorkBounded: anyOf over a recursive schema rescans
// values; a deeply nested body is refused after bounded work instead of
// taking exponential time.
func TestValidationWorkBounded(t *testing.T) {
	// 1: anyOf [2, 3]; 2: array of 1 with maxItems 0 ... ; 3: array of 1.
	schemas := []Schema{
		{AnyOf: []int{2, 3}},
		{Types: []string{"array"}, Items: 1, MinItems: 2},
		{Types: []string{"array"}, Items: 1},
	}
	v, err := NewSchemaValidator(schemas)
	if err != nil {
		t.Fatal(err)
	}
	body := strings.Repeat("[", 60) + strings.Repeat("]", 60)
	start := time.Now()
	err = v.ValidateJSON(1, []byte(body))
	if err == nil || !strings.Contains(err.Error(), "too complex") {
		t.Errorf("err = %v, want too complex", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v", d)
	}
	if err := v.ValidateJSON(1, []byte(`[[],[[]]]`)); err != nil {
		t.Errorf("small body: %v", err)
	}
}
