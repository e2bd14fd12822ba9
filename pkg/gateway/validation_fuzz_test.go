package gateway

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzJSONSyntax: the validator's scanner accepts exactly the texts
// encoding/json accepts, and decodes strings as it does.
func FuzzJSONSyntax(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `true`, `1.5e-3`, `-0`, `"a\u00e9\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`,
		`{"a":[1,{"b":null}],"c":"\\\/\b\f\n\r\t"}`, ` [1 , 2 ] `, `{"a" : 1 ,}`, `[1,]`, `01`, `1.`, `.5`,
		`"\x"`, "\"\xff\xfe\"", "\"a\x01\"", `1e400`, `[` + `]`, `{"a":1}{`, `tru`, `nul`, `"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v jsonValidator
		got := v.validate(&schemaSet{}, -1, data) == ""
		var x any
		want := json.Unmarshal(data, &x) == nil
		if got != want {
			t.Fatalf("%q: scanner accepts %v (%s), encoding/json %v", data, got, v.problem, want)
		}
		var s string
		if lit := bytes.TrimSpace(data); len(lit) >= 2 && lit[0] == '"' && json.Unmarshal(lit, &s) == nil {
			dec, ok := decodeJSONString(nil, lit[1:len(lit)-1])
			if !ok || !bytes.Equal(dec, []byte(s)) {
				t.Fatalf("%q: decoded %q, encoding/json %q", data, dec, s)
			}
		}
	})
}
