package apimsim

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

func TestParseSearchQuery(t *testing.T) {
	got, err := parseSearchQuery("  label:Demo  STATUS:PUBLISHED name:a:b Pizza ")
	if err != nil {
		t.Fatal(err)
	}
	want := []searchTerm{{"label", "Demo"}, {"status", "PUBLISHED"}, {"name", "a:b"}, {"", "Pizza"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{":x", "label:", "doc:readme", "tags:a"} {
		if _, err := parseSearchQuery(bad); err == nil || !strings.Contains(err.Error(), "label:demo") && !strings.Contains(err.Error(), "use one of") {
			t.Errorf("%q: error %v does not say how to fix it", bad, err)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"abc", "ABC", true}, {"abc", "abcd", false}, {"a*", "abc", true}, {"*c", "abc", true},
		{"a*c", "ac", true}, {"a*a", "a", false}, {"*b*", "abc", true}, {"*", "", true}, {"a*b*c", "axbyc", true}, {"a*b*c", "acb", false},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func FuzzParseSearchQuery(f *testing.F) {
	for _, seed := range []string{
		"label:demo status:PUBLISHED", "name:PizzaShackAPI version:1.0.0 status:PUBLISHED", "label:", ":x",
		"name:a:b  c", "label:x%20y", "LABEL:Ünï *:*", "context:/t/tenant/api* description:\"x\"", "\t\n",
	} {
		f.Add(seed)
	}
	api := &apim.API{Name: "PizzaShackAPI", Version: "1.0.0", Context: "/pizzashack", Status: "PUBLISHED", Labels: []apim.Label{{Name: "demo"}}}
	f.Fuzz(func(t *testing.T, q string) {
		terms, err := parseSearchQuery(q)
		if err != nil {
			return
		}
		var rendered []string
		for _, term := range terms {
			if term.Value == "" || strings.ContainsAny(term.Value, " \t\n") {
				t.Fatalf("term %+v of %q has an empty or spaced value", term, q)
			}
			if term.Key != "" && !isSearchAttribute(term.Key) {
				t.Fatalf("term %+v has an unsupported key", term)
			}
			rendered = append(rendered, term.String())
		}
		again, err := parseSearchQuery(strings.Join(rendered, " "))
		if err != nil || !reflect.DeepEqual(again, terms) {
			t.Fatalf("%q: rendered %q parses to %v, %v; want %v", q, rendered, again, err, terms)
		}
		_ = matchesAll(terms, api) // must not panic
	})
}
