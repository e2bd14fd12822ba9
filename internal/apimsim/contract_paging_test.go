package apimsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/apim"
)

// Checks of the 3.x/4.x Publisher answers beyond one body: paging along
// the links, the definition text.

// listIDs returns the ids of the items of an API list body.
func listIDs(t *testing.T, body []byte) []string {
	t.Helper()
	var l struct {
		List []struct{ ID string } `json:"list"`
	}
	decode(t, body, &l)
	ids := make([]string, 0, len(l.List))
	for _, item := range l.List {
		ids = append(ids, item.ID)
	}
	return ids
}

// checkPaging walks the API list of query page by page along the next
// links: each page must match the definition, the links may only use query
// parameters GET /apis declares, the previous link must lead back, and the
// pages together must be the whole list, once each.
func checkPaging(t *testing.T, s *sim, pub *spec, pubBase, tok, query string, limit int) {
	t.Helper()
	whole := "/apis?limit=5000&query=" + escapeSearchQuery(query)
	_, body := s.get(pubBase+whole, tok)
	want := listIDs(t, body)
	declared := pub.queryParams("/apis")
	var got []string
	target := "/apis?limit=" + strconv.Itoa(limit) + "&offset=0&query=" + escapeSearchQuery(query)
	prev := ""
	for page := 1; target != ""; page++ {
		if page > len(want)/limit+2 {
			t.Fatalf("paging %s does not end: at %s", query, target)
		}
		resp, body := s.get(pubBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		pub.answer("page "+strconv.Itoa(page)+" of "+query, target, http.StatusOK, body)
		var l struct {
			Pagination apim.ModernPagination `json:"pagination"`
		}
		decode(t, body, &l)
		if l.Pagination.Total != len(want) || l.Pagination.Limit != limit {
			t.Errorf("page %d of %s: pagination %+v, want total %d and limit %d", page, query, l.Pagination, len(want), limit)
		}
		if l.Pagination.Previous != prev {
			t.Errorf("page %d of %s: previous link %q, want %q", page, query, l.Pagination.Previous, prev)
		}
		for _, link := range []string{l.Pagination.Next, l.Pagination.Previous} {
			if link == "" {
				continue
			}
			if tmpl := pub.template(strings.SplitN(link, "?", 2)[0]); tmpl != "/apis" {
				t.Errorf("paging link %q does not lead to GET /apis", link)
			}
			for _, name := range linkQuery(t, link) {
				if !slices.Contains(declared, name) {
					t.Errorf("paging link %q uses query parameter %s, which GET /apis does not declare (%v)", link, name, declared)
				}
			}
		}
		got = append(got, listIDs(t, body)...)
		prev, target = target, l.Pagination.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("the pages of %s hold %d APIs, the whole list %d (or in another order)", query, len(got), len(want))
	}
}

// checkDefinitionText checks that the answer to GET /apis/{apiId}/swagger
// is the text of an OpenAPI 3 or Swagger 2 definition.
func checkDefinitionText(t *testing.T, id string, body []byte) {
	t.Helper()
	var head struct {
		Swagger string `json:"swagger"`
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		t.Errorf("definition of %s is not JSON: %v", id, err)
		return
	}
	if head.OpenAPI != "" {
		if _, err := openapi3.NewLoader().LoadFromData(body); err != nil {
			t.Errorf("definition of %s is not OpenAPI 3: %v", id, err)
		}
		return
	}
	var def openapi2.T
	if err := json.Unmarshal(body, &def); err != nil || head.Swagger != "2.0" {
		t.Errorf("definition of %s is neither OpenAPI 3 nor Swagger 2 (%v): %.200s", id, err, body)
	}
}
