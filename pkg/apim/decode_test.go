package apim

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeFixtures(t *testing.T) {
	list, err := DecodeAPIList(readFixture(t, "mgw260-test-publisher-api-list-envelope.json"))
	if err != nil {
		t.Fatal(err)
	}
	if list.Count != 1 || list.Pagination == nil || list.Pagination.Limit != 25 || list.Pagination.Total != 1 || len(list.List) != 0 {
		t.Errorf("envelope = %+v", list)
	}

	// The DTO template has placeholders for name and version.
	tmpl := readFixture(t, "mgw260-test-publisher-api-dto-template.json")
	if _, err := DecodeAPI(tmpl); !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "name and version are required") {
		t.Errorf("template without name: err = %v", err)
	}
	filled := strings.Replace(string(tmpl), `"name": ""`, `"name": "PizzaShackAPI"`, 1)
	filled = strings.Replace(filled, `"version": ""`, `"version": "1.0.0"`, 1)
	api, err := DecodeAPI([]byte(filled))
	if err != nil {
		t.Fatal(err)
	}
	if api.Name != "PizzaShackAPI" || api.ResponseCaching != "Disabled" || !slicesEqual(api.Transport, []string{"http", "https"}) ||
		api.CORSConfiguration == nil || api.CORSConfiguration.AccessControlAllowOrigins[0] != "*" || api.BusinessInformation.BusinessOwner != "Jane Roe" {
		t.Errorf("API = %+v", api)
	}

	for _, name := range []string{"mgw260-test-admin-application-policies.json", "mgw260-test-admin-subscription-policies.json"} {
		pl, err := DecodePolicyList(readFixture(t, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pl.Count != len(pl.List) {
			t.Errorf("%s: count %d, %d policies", name, pl.Count, len(pl.List))
		}
	}
}

func slicesEqual(a, b []string) bool {
	return strings.Join(a, "\x00") == strings.Join(b, "\x00")
}

func TestDecodeErrorsSayWhatAndWhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		decode func([]byte) error
		input  string
		want   []string
	}{
		{"empty", decList, "", []string{"malformed API list", "empty"}},
		{"array", decList, `[{"name":"a"}]`, []string{"expected a JSON object, got an array"}},
		{"html", decList, "<html>login</html>", []string{"HTML"}},
		{"null", decAPI, "null", []string{"got null"}},
		{"truncated", decList, `{"count": 1, "list": [`, []string{"ends too early"}},
		{"syntax", decList, "{\n\"count\": 1,\n\"list\": [}\n", []string{"invalid JSON", "line 3"}},
		{"trailing", decAPI, `{"name":"a","version":"1"} {}`, []string{"unexpected data after the JSON object", "column 28"}},
		{"wrong type", decList, "{\"count\": \"two\"}", []string{`field "count" holds a JSON string where an integer is expected`}},
		{"negative count", decList, `{"count": -1}`, []string{"negative"}},
		{"negative total", decList, `{"count": 0, "pagination": {"offset": 0, "limit": 10, "total": -5}}`, []string{"negative"}},
		{"item null", decList, `{"count":1,"list":[null]}`, []string{"item 1 of the API list", "got null"}},
		{"item type", decList, "{\"count\":2,\"list\":[\n{\"name\":\"A\",\"version\":\"1\"},\n{\"name\":\"B\",\"version\":\"2\",\"isDefaultVersion\":\"yes\"}]}",
			[]string{`API "B" 2 (item 2 of the API list)`, `"isDefaultVersion"`, "true or false", "line 3"}},
		{"item no version", decList, `{"count":1,"list":[{"name":"A"}]}`, []string{`API "A" (item 1 of the API list)`, "name and version are required"}},
		{"api nested type", decAPI, `{"name":"A","version":"1","corsConfiguration":{"accessControlAllowOrigins":"*"}}`,
			[]string{`API "A" 1`, `"corsConfiguration.accessControlAllowOrigins"`, "an array"}},
		{"policy list type", decPolicies, `{"count":1,"list":{"policyName":"x"}}`, []string{"policy list", `"list"`, "an array"}},
		{"policy no name", decPolicies, `{"count":1,"list":[{"displayName":"x"}]}`, []string{"item 1 of the policy list", "policyName is missing"}},
		{"policy limit type", decPolicies, "{\"list\":[\n{\"policyName\":\"Gold\",\"defaultLimit\":{\"requestCount\":\"5000\"}}]}",
			[]string{`policy "Gold"`, `"defaultLimit.requestCount"`, "an integer", "line 2"}},
	} {
		err := tc.decode([]byte(tc.input))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", tc.name, err)
			continue
		}
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: not a *DecodeError: %T", tc.name, err)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: message lacks %q:\n%v", tc.name, w, err)
			}
		}
	}
}

func decList(b []byte) error     { _, err := DecodeAPIList(b); return err }
func decAPI(b []byte) error      { _, err := DecodeAPI(b); return err }
func decPolicies(b []byte) error { _, err := DecodePolicyList(b); return err }

func TestDecodeIgnoresUnknownFields(t *testing.T) {
	api, err := DecodeAPI([]byte(`{"name":"A","version":"1","context":"/a","newField":{"x":[1,2]},"apiSecurity":"oauth2"}`))
	if err != nil || api.Context != "/a" {
		t.Fatalf("api = %+v, err = %v", api, err)
	}
	pl, err := DecodePolicyList([]byte(`{"count":1,"list":[{"policyName":"P","defaultLimit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":5},"conditionalGroups":[{"limit":{}}],"type":"AdvancedThrottlePolicy"}]}`))
	if err != nil || pl.List[0].DefaultLimit.RequestCount != 5 {
		t.Fatalf("policies = %+v, err = %v", pl, err)
	}
}
