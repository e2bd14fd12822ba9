package apimsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

func TestListDemoLabelAsOriginalCLIAsks(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	// The exact request of the original CLI.
	resp, body := s.get(publisherBase+"/apis?query=label:demo%20status:PUBLISHED&expand=true&limit=500", tok)
	wantStatus(t, resp, body, http.StatusOK)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var l apiListAny
	decode(t, body, &l)
	got := names(l.List)
	want := []string{"InventoryAPI 1.0.0", "InventoryAPI 2.0.0", "PetstoreAPI 1.0.5", "PizzaShackAPI 1.0.0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("APIs = %v, want %v (DraftAPI is CREATED, EmployeeAPI is on another label)", got, want)
	}
	if l.Count != 4 || l.Pagination != (apim.Pagination{Offset: 0, Limit: 500, Total: 4}) || l.Next != "" || l.Previous != "" {
		t.Errorf("envelope = count %d next %q previous %q pagination %+v", l.Count, l.Next, l.Previous, l.Pagination)
	}
	kinds := map[string]bool{}
	for _, a := range l.List {
		if a.APIDefinition == "" || a.EndpointConfig == "" || len(a.Labels) == 0 {
			t.Errorf("%s: expand=true item lacks apiDefinition, endpointConfig or labels", a.Name)
		}
		var def map[string]any
		if err := json.Unmarshal([]byte(a.APIDefinition), &def); err != nil || def["swagger"] != "2.0" {
			t.Errorf("%s: apiDefinition is not a Swagger 2 JSON string: %v", a.Name, err)
		}
		var ep struct {
			Type string `json:"endpoint_type"`
		}
		if err := json.Unmarshal([]byte(a.EndpointConfig), &ep); err != nil {
			t.Errorf("%s: endpointConfig is not JSON: %v", a.Name, err)
		}
		kinds[ep.Type] = true
		if !strings.Contains(a.EndpointConfig, "http://127.0.0.1:") {
			t.Errorf("%s: demo backends must be on 127.0.0.1: %s", a.Name, a.EndpointConfig)
		}
	}
	for _, k := range []string{"http", "load_balance", "failover"} {
		if !kinds[k] {
			t.Errorf("demo set has no %s endpoint", k)
		}
	}
}

func TestListWithoutExpandReturnsAPIInfo(t *testing.T) {
	s := startSim(t, Options{})
	resp, body := s.get(publisherBase+"/apis?query=name:PizzaShackAPI", s.adminToken())
	wantStatus(t, resp, body, http.StatusOK)
	var l struct {
		List []map[string]any `json:"list"`
	}
	decode(t, body, &l)
	if len(l.List) != 1 {
		t.Fatalf("list = %s", body)
	}
	var keys []string
	for k := range l.List[0] {
		keys = append(keys, k)
	}
	want := []string{"context", "description", "id", "name", "provider", "status", "thumbnailUri", "version"}
	if !sameSet(keys, want) {
		t.Errorf("APIInfo keys = %v, want %v", keys, want)
	}
	if v, ok := l.List[0]["thumbnailUri"]; !ok || v != nil {
		t.Errorf("unset thumbnailUri = %v, want null", v)
	}
}

func TestSearchQuery(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"name:InventoryAPI version:2.0.0 status:PUBLISHED", []string{"InventoryAPI 2.0.0"}},
		{"name:inventory", []string{"InventoryAPI 1.0.0", "InventoryAPI 2.0.0"}}, // part of the name, any case
		{"name:Pizza", []string{"PizzaShackAPI 1.0.0"}},
		{"Shack", []string{"PizzaShackAPI 1.0.0"}}, // a bare word searches names
		{"label:internal", []string{"EmployeeAPI 1.0.0", "PetstoreAPI 1.0.5"}},
		{"label:DEMO status:created", []string{"DraftAPI 0.1.0"}},
		{"context:/inv* version:1.*", []string{"InventoryAPI 1.0.0"}},
		{"name:*Shack*API", []string{"PizzaShackAPI 1.0.0"}},
		{"label:nosuchlabel", nil},
		{"label:demo provider:someone", nil},
	} {
		l := s.list(tok, tc.query, nil)
		if got := names(l.List); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("query %q: got %v, want %v", tc.query, got, tc.want)
		}
		if l.Pagination.Total != len(tc.want) || l.Count != len(tc.want) {
			t.Errorf("query %q: count %d total %d", tc.query, l.Count, l.Pagination.Total)
		}
	}
}

func TestUnknownLabelIsEmptyNotError(t *testing.T) {
	s := startSim(t, Options{})
	resp, body := s.get(publisherBase+"/apis?query=label:nothing%20status:PUBLISHED&expand=true&limit=500", s.adminToken())
	wantStatus(t, resp, body, http.StatusOK)
	const want = `{"count":0,"next":"","previous":"","list":[],"pagination":{"offset":0,"limit":500,"total":0}}`
	if string(body) != want {
		t.Errorf("body = %s, want %s", body, want)
	}
}

func TestListRejectsBadParameters(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	for _, tc := range []struct{ rawQuery, want string }{
		{"limit=abc", `limit=\"abc\" is not valid`},
		{"limit=0", "at least 1"},
		{"offset=-1", "offset"},
		{"query=tag:x", `search attribute \"tag\" is not supported`},
		{"query=label:", "has no value"},
		{"query=%zz", "not valid URL encoding"},
	} {
		resp, body := s.get(publisherBase+"/apis?"+tc.rawQuery, tok)
		wantStatus(t, resp, body, http.StatusBadRequest)
		var e restError
		decode(t, body, &e)
		if e.Code != 400 || e.Message != "Bad Request" || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: body %s, want code 400 and %q", tc.rawQuery, body, tc.want)
		}
	}
}

// TestPagingWalksBigLabelByNextLinks walks 1,200 APIs 500 at a time (the
// original CLI stopped at 500) by following next links.
func TestPagingWalksBigLabelByNextLinks(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	seen := map[string]bool{}
	var counts []int
	link := "/apis?limit=500&offset=0&query=" + url.QueryEscape("label:big status:PUBLISHED")
	for page := 0; link != ""; page++ {
		if page > 10 {
			t.Fatalf("next links do not end")
		}
		resp, body := s.get(publisherBase+link, tok)
		wantStatus(t, resp, body, http.StatusOK)
		var l apiListAny
		decode(t, body, &l)
		if l.Pagination.Total != BigLabelSize || l.Count != len(l.List) || l.Pagination.Limit != 500 {
			t.Fatalf("page %d: count %d, %d items, pagination %+v", page, l.Count, len(l.List), l.Pagination)
		}
		if page > 0 && l.Previous != "/apis?limit=500&offset="+strconv.Itoa((page-1)*500)+"&query=label:big%20status:PUBLISHED" {
			t.Errorf("page %d: previous = %q", page, l.Previous)
		}
		for _, a := range l.List {
			if seen[a.ID] {
				t.Errorf("API %s returned twice", a.ID)
			}
			seen[a.ID] = true
		}
		counts = append(counts, l.Count)
		link = l.Next
	}
	if len(seen) != BigLabelSize || !reflect.DeepEqual(counts, []int{500, 500, 200}) {
		t.Errorf("walked %d distinct APIs in pages %v, want %d in [500 500 200]", len(seen), counts, BigLabelSize)
	}
}

func TestPageLinksLikeRealServer(t *testing.T) {
	for _, tc := range []struct {
		offset, limit, total int
		next, prev           string
	}{
		{0, 25, 10, "", ""},
		{0, 25, 25, "", ""},
		{0, 25, 26, "/apis?limit=25&offset=25&query=label:x%20status:PUBLISHED", ""},
		{25, 25, 60, "/apis?limit=25&offset=50&query=label:x%20status:PUBLISHED", "/apis?limit=25&offset=0&query=label:x%20status:PUBLISHED"},
		{10, 25, 60, "/apis?limit=25&offset=35&query=label:x%20status:PUBLISHED", "/apis?limit=25&offset=0&query=label:x%20status:PUBLISHED"},
		{60, 25, 60, "", ""}, // past the end: no links at all
	} {
		next, prev := pageLinks(tc.offset, tc.limit, tc.total, "label:x status:PUBLISHED")
		if next != tc.next || prev != tc.prev {
			t.Errorf("offset %d limit %d total %d: next %q prev %q, want %q %q", tc.offset, tc.limit, tc.total, next, prev, tc.next, tc.prev)
		}
	}
	if got := escapeSearchQuery("name:a&b c+d %"); got != "name:a%26b%20c%2Bd%20%25" {
		t.Errorf("escapeSearchQuery = %q", got)
	}
}

func TestDefaultLimitIs25(t *testing.T) {
	s := startSim(t, Options{})
	l := s.list(s.adminToken(), "label:big", nil)
	if l.Count != 25 || l.Pagination.Limit != 25 || l.Next != "/apis?limit=25&offset=25&query=label:big" {
		t.Errorf("count %d, pagination %+v, next %q", l.Count, l.Pagination, l.Next)
	}
}

func TestGetAPIAndSwagger(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	l := s.list(tok, "name:PetstoreAPI", url.Values{"expand": {"true"}})
	if len(l.List) != 1 {
		t.Fatalf("list = %v", names(l.List))
	}
	pet := l.List[0]

	resp, body := s.get(publisherBase+"/apis/"+pet.ID, tok)
	wantStatus(t, resp, body, http.StatusOK)
	var got apim.API
	decode(t, body, &got)
	if !reflect.DeepEqual(got, pet) {
		t.Errorf("GET /apis/{id} differs from the expanded list item")
	}
	if got.CORSConfiguration == nil || !got.CORSConfiguration.CORSConfigurationEnabled {
		t.Errorf("PetstoreAPI must have CORS enabled")
	}

	resp, body = s.get(publisherBase+"/apis/admin-PetstoreAPI-1.0.5", tok)
	wantStatus(t, resp, body, http.StatusOK)

	resp, body = s.get(publisherBase+"/apis/"+pet.ID+"/swagger", tok)
	wantStatus(t, resp, body, http.StatusOK)
	if string(body) != pet.APIDefinition {
		t.Errorf("swagger = %s, want the apiDefinition", body)
	}

	const missing = "11111111-2222-4333-8444-555555555555"
	for _, p := range []string{"/apis/" + missing, "/apis/" + missing + "/swagger", "/apis/admin-Nope-1.0"} {
		resp, body = s.get(publisherBase+p, tok)
		wantStatus(t, resp, body, http.StatusNotFound)
		var e restError
		decode(t, body, &e)
		if e.Code != 404 || e.Message != "Not Found" || !strings.Contains(e.Description, "not found") {
			t.Errorf("%s: body %s", p, body)
		}
	}
	resp, body = s.get(publisherBase+"/apis/not-a-uuid", tok)
	wantStatus(t, resp, body, http.StatusNotFound)
	resp, body = s.get(publisherBase+"/apis/bad", tok)
	wantStatus(t, resp, body, http.StatusBadRequest)
}

func TestPolicies(t *testing.T) {
	s := startSim(t, Options{})
	tok := s.adminToken()
	lists := map[string]apim.ThrottlePolicyList{}
	for _, level := range policyLevels {
		resp, body := s.get(adminBase+"/throttling/policies/"+level, tok)
		wantStatus(t, resp, body, http.StatusOK)
		var l apim.ThrottlePolicyList
		decode(t, body, &l)
		if l.Count != len(l.List) || !hasPolicy(l, "Unlimited") {
			t.Errorf("%s: count %d for %d policies; must include Unlimited", level, l.Count, len(l.List))
		}
		lists[level] = l
	}
	var trial, bandwidth bool
	for _, p := range lists[levelSubscription].List {
		if p.PolicyName == "Trial" {
			trial = p.RateLimitCount > 0 && p.StopOnQuotaReach != nil && !*p.StopOnQuotaReach
		}
	}
	for _, p := range lists[levelAdvanced].List {
		bandwidth = bandwidth || (p.DefaultLimit.Type == "BandwidthLimit" && p.DefaultLimit.DataAmount > 0 && p.DefaultLimit.DataUnit != "")
	}
	if !trial || !bandwidth {
		t.Errorf("want a subscription policy with burst control and stopOnQuotaReach false (%v) and an advanced bandwidth policy (%v)", trial, bandwidth)
	}
	if resp, body := s.get(adminBase+"/throttling/policies/global", tok); resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown level: %d %s", resp.StatusCode, body)
	}
}

func TestHostilePoliciesOption(t *testing.T) {
	plain := startSim(t, Options{})
	hostile := startSim(t, Options{HostilePolicies: true})
	for _, level := range policyLevels {
		_, body := plain.get(adminBase+"/throttling/policies/"+level, plain.adminToken())
		var before apim.ThrottlePolicyList
		decode(t, body, &before)
		_, body = hostile.get(adminBase+"/throttling/policies/"+level, hostile.adminToken())
		var after apim.ThrottlePolicyList
		decode(t, body, &after)
		added := after.List[len(before.List):]
		if len(added) == 0 || after.Count != len(after.List) {
			t.Fatalf("%s: no hostile policies added (count %d)", level, after.Count)
		}
		for _, p := range added {
			if !strings.ContainsAny(p.PolicyName, "\"`{*\n") {
				t.Errorf("%s: policy %q is not hostile", level, p.PolicyName)
			}
		}
	}
}

func hasPolicy(l apim.ThrottlePolicyList, name string) bool {
	for _, p := range l.List {
		if p.PolicyName == name {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
