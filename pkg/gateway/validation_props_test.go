package gateway

import (
	"fmt"
	"strings"
	"testing"
)

// TestPropTableFinds checks the property table against the map it
// replaces: every declared name at its index, and near misses (same
// length and end bytes, prefixes, case) not found.
func TestPropTableFinds(t *testing.T) {
	sets := [][]string{
		{"id"},
		{""},
		{"", "a", "aa"},
		strings.Fields("address code comment country created currency customer discount email gift id note paid price quantity ref shipped status tags total"),
		strings.Fields("a b c d e f g h i j k l m n o p q r s t u v w x y z"),
	}
	var many []string
	for i := range 300 {
		many = append(many, fmt.Sprintf("field_%03d", i))
	}
	sets = append(sets, many)
	for _, names := range sets {
		tab := newPropTable(names)
		if tab == nil {
			t.Fatalf("no table for %d names %.40q", len(names), names)
		}
		index := map[string]int{}
		for i, name := range names {
			index[name] = i
		}
		for i, name := range names {
			if got := tab.find([]byte(name)); got != i {
				t.Errorf("find(%q) = %d, want %d", name, got, i)
			}
			for _, miss := range []string{name + "x", "x" + name, strings.ToUpper(name), name[:len(name)/2], name + name} {
				want, ok := index[miss]
				if !ok {
					want = -1
				}
				if got := tab.find([]byte(miss)); got != want {
					t.Errorf("find(%q) = %d, want %d", miss, got, want)
				}
			}
		}
	}
}

// TestPropTableFallsBack: names that cannot get slots of their own (the
// same length and first and last eight bytes) leave the map in charge,
// and the validator still tells them apart.
func TestPropTableFallsBack(t *testing.T) {
	if tab := newPropTable([]string{"customer_x_address", "customer_y_address"}); tab != nil {
		t.Fatal("a table for two names with the same key bytes")
	}
	if tab := newPropTable(make([]string, maxTableProps+1)); tab != nil {
		t.Fatal("a table beyond maxTableProps")
	}
	set, problems := compileSchemas([]Schema{
		{Types: []string{"object"}, NoAdditional: true, Properties: []Property{{Name: "customer_x_address", Schema: 2}, {Name: "customer_y_address", Schema: 3}}},
		{Types: []string{"integer"}},
		{Types: []string{"string"}},
	})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if set.nodes[0].propTab != nil {
		t.Fatal("the object uses a table")
	}
	var v jsonValidator
	if r := v.validate(set, 0, []byte(`{"customer_x_address":1,"customer_y_address":"s"}`)); r != "" {
		t.Errorf("valid body refused: %s at %s", r, v.where)
	}
	if r := v.validate(set, 0, []byte(`{"customer_y_address":1}`)); r == "" {
		t.Error("customer_y_address took customer_x_address's schema")
	}
	if r := v.validate(set, 0, []byte(`{"customer_z_address":1}`)); r == "" {
		t.Error("an undeclared name was accepted with additionalProperties false")
	}
}

// FuzzPropTable: for any names, find agrees with a map.
func FuzzPropTable(f *testing.F) {
	f.Add("id,code,quantity", "code")
	f.Add("a,,b", "")
	f.Add("customer_x_address,customer_y_address", "customer_z_address")
	f.Add("ab,ba,abc", "ac")
	f.Fuzz(func(t *testing.T, list, key string) {
		names := strings.Split(list, ",")
		index := map[string]int{}
		var uniq []string
		for _, n := range names {
			if _, dup := index[n]; !dup {
				index[n] = len(uniq)
				uniq = append(uniq, n)
			}
		}
		tab := newPropTable(uniq)
		if tab == nil {
			return
		}
		want, ok := index[key]
		if !ok {
			want = -1
		}
		if got := tab.find([]byte(key)); got != want {
			t.Fatalf("find(%q) in %q = %d, want %d", key, uniq, got, want)
		}
		for i, n := range uniq {
			if got := tab.find([]byte(n)); got != i {
				t.Fatalf("find(%q) in %q = %d, want %d", n, uniq, got, i)
			}
		}
	})
}
