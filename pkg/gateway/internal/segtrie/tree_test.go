package segtrie

import (
	"fmt"
	"strings"
	"testing"
)

func build(t testing.TB, templates ...string) *Tree[string] {
	t.Helper()
	var tr Tree[string]
	for _, tpl := range templates {
		segs, err := ParseTemplate(tpl)
		if err != nil {
			t.Fatal(err)
		}
		v, created := tr.Slot(segs)
		if !created {
			t.Fatalf("template %q collides with %q", tpl, *v)
		}
		*v = tpl
	}
	return &tr
}

func split(p string) []string {
	var segs []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			segs = append(segs, s)
		}
	}
	return segs
}

func TestLookup(t *testing.T) {
	tr := build(t,
		"/", "/pet", "/pet/{petId}", "/pet/findByStatus", "/pet/{petId}/uploadImage",
		"/store/order/{orderId}", "/a/{x}/c", "/{y}/b/d", "/files/*", "/files/special", "/admin", "/{name}",
	)
	cases := []struct{ path, want string }{
		{"/", "/"},
		{"/pet", "/pet"},
		{"/pet/findByStatus", "/pet/findByStatus"},
		{"/pet/42", "/pet/{petId}"},
		{"/pet/42/uploadImage", "/pet/{petId}/uploadImage"},
		{"/pet/42/other", ""},
		{"/store/order/7", "/store/order/{orderId}"},
		{"/a/b/c", "/a/{x}/c"},
		{"/a/b/d", "/{y}/b/d"}, // literal "a" dead-ends, backtrack to {y}
		{"/files", "/files/*"},
		{"/files/x/y/z", "/files/*"},
		{"/files/special", "/files/special"},
		{"/files/special/more", "/files/*"},
		{"/admin", "/admin"},
		{"/anything", "/{name}"},
		{"/ADMIN", ""},   // case-confusable with /admin: no fall-through
		{"/Admin", ""},   // same
		{"/PET", ""},     // same for a literal with children
		{"/Files/x", ""}, // and for the wildcard
		{"/pet/FINDBYSTATUS", ""},
		{"/x/y/z/w", ""},
	}
	for _, c := range cases {
		got := ""
		if v := tr.Lookup(split(c.path)); v != nil {
			got = *v
		}
		if got != c.want {
			t.Errorf("Lookup(%q) = %q, want %q", c.path, got, c.want)
		}
	}
}

func TestSlotMergesEquivalentTemplates(t *testing.T) {
	var tr Tree[int]
	a, _ := ParseTemplate("/pet/{id}/")
	b, _ := ParseTemplate("//pet/{petId}")
	v1, c1 := tr.Slot(a)
	v2, c2 := tr.Slot(b)
	if !c1 || c2 || v1 != v2 {
		t.Errorf("equivalent templates got different slots (created %v, %v)", c1, c2)
	}
	if Key(a) != "/pet/{}" || Key(b) != Key(a) {
		t.Errorf("keys %q, %q", Key(a), Key(b))
	}
}

func TestParseTemplateErrors(t *testing.T) {
	for _, tpl := range []string{"pet", "/pet/{id}.json", "/pet/{}", "/a/*/b", "/a/../b", "/a/./b", "/q?x=1", "/dot.", "/x/{a}{b}"} {
		if _, err := ParseTemplate(tpl); err == nil {
			t.Errorf("ParseTemplate(%q) succeeded, want error", tpl)
		}
	}
	segs, err := ParseTemplate("/a b/~x/*/")
	if err != nil || Key(segs) != "/a%20b/~x/*" {
		t.Errorf("ParseTemplate = %v %v", Key(segs), err)
	}
}

func TestLongestPrefix(t *testing.T) {
	tr := build(t, "/petstore", "/petstore/v1", "/shop/v2")
	cases := []struct {
		path  string
		want  string
		depth int
	}{
		{"/petstore/v1/pet", "/petstore/v1", 2},
		{"/petstore/v2/pet", "/petstore", 1},
		{"/petstore", "/petstore", 1},
		{"/shop/v2", "/shop/v2", 2},
		{"/shop/v3", "", 0},
		{"/shop", "", 0},
		{"/PetStore/v1", "", 0},
		{"/petstore/V1/pet", "", 0},
	}
	for _, c := range cases {
		v, d := tr.LongestPrefix(split(c.path))
		got := ""
		if v != nil {
			got = *v
		}
		if got != c.want || d != c.depth {
			t.Errorf("LongestPrefix(%q) = %q, %d; want %q, %d", c.path, got, d, c.want, c.depth)
		}
	}
}

func TestManyChildrenUseIndex(t *testing.T) {
	var tpls []string
	for i := range 50 {
		tpls = append(tpls, fmt.Sprintf("/r%d", i))
	}
	tr := build(t, tpls...)
	if tr.root.index == nil {
		t.Fatal("a node with 50 literal children should use a map")
	}
	for _, tpl := range tpls {
		if v := tr.Lookup(split(tpl)); v == nil || *v != tpl {
			t.Errorf("Lookup(%q) = %v", tpl, v)
		}
	}
	if tr.Lookup(split("/R7")) != nil {
		t.Error("case-confusable literal matched")
	}
}

func TestBacktrackingIsBounded(t *testing.T) {
	// Every node on the way offers a literal and a parameter, and only the
	// all-parameter template (explored last) ends in "end": a full search
	// would visit 2^13 nodes. The step budget gives up first.
	const depth = 13
	var tpls []string
	for mask := range 1 << depth {
		var b strings.Builder
		for i := range depth {
			if mask&(1<<i) != 0 {
				b.WriteString("/{p}")
			} else {
				b.WriteString("/a")
			}
		}
		if mask == 1<<depth-1 {
			b.WriteString("/end")
		} else {
			b.WriteString("/x")
		}
		tpls = append(tpls, b.String())
	}
	tr := build(t, tpls...)
	segs := append(split(strings.Repeat("/a", depth)), "end")
	if v := tr.Lookup(segs); v != nil {
		t.Errorf("lookup past the step budget matched %q", *v)
	}
	// Within budget the same shape matches.
	if v := tr.Lookup(append(split(strings.Repeat("/a", depth)), "x")); v == nil {
		t.Error("lookup within budget found nothing")
	}
}

// reference finds the most specific matching template by brute force.
func reference(templates []string, segs []string) string {
	best, bestRank := "", ""
	for _, tpl := range templates {
		ps, _ := ParseTemplate(tpl)
		rank, ok := match(ps, segs)
		if ok && (best == "" || rank < bestRank) {
			best, bestRank = tpl, rank
		}
	}
	return best
}

// match reports whether ps matches segs, with a rank string where smaller
// is more specific: per position, end < literal < param < wildcard.
func match(ps []Segment, segs []string) (string, bool) {
	var rank []byte
	for i, p := range ps {
		if p.Kind == Wildcard {
			return string(append(rank, '3')), true
		}
		if i >= len(segs) {
			return "", false
		}
		switch p.Kind {
		case Literal:
			if p.Text != segs[i] {
				return "", false
			}
			rank = append(rank, '1')
		case Param:
			rank = append(rank, '2')
		}
	}
	if len(ps) != len(segs) {
		return "", false
	}
	return string(append(rank, '0')), true
}

func FuzzLookup(f *testing.F) {
	templates := []string{
		"/", "/a", "/a/{x}", "/a/b", "/a/{x}/c", "/{y}/b/d", "/a/b/*", "/{p}/{q}", "/c/*", "/c/d/{e}/f", "/{z}/*",
	}
	for _, s := range []string{"/a", "/a/b/c", "/x/b/d", "/c", "/c/d/e/f", "/a/b", "/q/r/s", "/A/b"} {
		f.Add(s)
	}
	tr := build(f, templates...)
	literals := map[string]bool{}
	for _, tpl := range templates {
		for _, s := range split(tpl) {
			literals[strings.ToLower(s)] = true
		}
	}
	f.Fuzz(func(t *testing.T, p string) {
		segs := split(p)
		if len(segs) > 20 {
			return
		}
		for _, s := range segs {
			if literals[strings.ToLower(s)] && !literals[s] {
				return // case-confusable: covered by TestLookup
			}
		}
		got := ""
		if v := tr.Lookup(segs); v != nil {
			got = *v
		}
		if want := reference(templates, segs); got != want {
			t.Fatalf("Lookup(%q) = %q, reference says %q", p, got, want)
		}
	})
}
