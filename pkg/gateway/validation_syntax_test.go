package gateway

import (
	"strings"
	"testing"
)

// TestJSONSyntaxErrors: a body that is not JSON is refused with where and
// what went wrong, by the validating scan and by the canonical scan that
// enum and uniqueItems use alike.
func TestJSONSyntaxErrors(t *testing.T) {
	v, err := NewSchemaValidator([]Schema{
		{Types: []string{"array"}},                    // 1: any array
		{Enum: []string{`[1]`, `{"a":[1,2]}`}},        // 2: an enum: canonical forms
		{Types: []string{"array"}, UniqueItems: true}, // 3: canonical forms of the items
		{Types: []string{"object"}},                   // 4: any object
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema int
		body   string
		want   string
	}{
		{1, `[1, 2`, "unterminated array at byte 5"},
		{1, `[1 2]`, "expected , or ] in array at byte 3"},
		{4, `{"a":1`, "unterminated object at byte 6"},
		{4, `{"a":1 "b":2}`, "expected , or } in object at byte 7"},
		{2, `[1 2]`, "expected , or ] in array at byte 3"},
		{2, `[1, 2`, "unterminated array at byte 5"},
		{2, `{"a":[1,2] "b":2}`, "expected , or } in object at byte 11"},
		{2, `{"a":[1,2]`, "unterminated object at byte 10"},
		{3, `[[1,2]`, "unterminated array at byte 6"},
	} {
		err := v.ValidateJSON(c.schema, []byte(c.body))
		if err == nil || !strings.Contains(err.Error(), "not valid JSON: "+c.want) {
			t.Errorf("schema %d, %s: %v; want %q", c.schema, c.body, err, c.want)
		}
	}
	for schema, body := range map[int]string{2: ` { "a" : [ 1 , 2 ] } `, 3: `[{"a":[1,2]},{"b":{"c":1}}]`} {
		if err := v.ValidateJSON(schema, []byte(body)); err != nil {
			t.Errorf("schema %d: valid body %s refused: %v", schema, body, err)
		}
	}
}
