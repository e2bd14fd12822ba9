package apimsim

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The 3.x/4.x contract checks can fail: wrong shapes, undeclared members
// and unknown paths are caught.

func TestContractCatchesWrongShapesModern(t *testing.T) {
	adm := loadWhole(t, "apim-3.2-admin-api-v1.yaml", "schema")
	for _, bad := range []string{
		`{"policyName":"x","defaultLimit":{"type":"RequestCountLimit","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":5}}}`,
		`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1}}}`,
		`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":5}},"conditionalGroups":[{"limit":{"type":"BANDWIDTHLIMIT","bandwidth":{"timeUnit":"min","unitTime":1,"dataAmount":1,"dataUnit":"KB"}},"conditions":[{"type":"IPCondition"}]}]}`,
	} {
		if err := adm.validate(adm.component("AdvancedThrottlePolicy"), []byte(bad)); err == nil {
			t.Errorf("%s validated against AdvancedThrottlePolicy", bad)
		}
	}
	pub := loadWhole(t, "apim-3.2-publisher-api-v1.yaml")
	if err := pub.validate(pub.component("API"), []byte(`{"name":"x","context":"/x","version":"1","endpointConfig":"{}"}`)); err == nil {
		t.Error("a 3.x API with endpointConfig as a string validated")
	}
	if err := pub.validate(pub.component("APIList"), []byte(`{"count":1,"list":[],"pagination":{"next":7}}`)); err == nil {
		t.Error("a numeric next link validated")
	}
	pub4 := loadWhole(t, "apim-4.x-publisher-api-v4.yaml")
	if err := pub4.validate(pub4.component("API"), []byte(`{"name":"a/b","context":"/x","version":"1"}`)); err == nil {
		t.Error("a 4.x API name with a slash validated")
	}
	deployments := pub4.response("/apis/{apiId}/deployments", http.MethodGet, 200)
	if err := pub4.validate(deployments, []byte(`{"list":[{"revisionUuid":"r","name":"Default","vhost":"not a host"}]}`)); err == nil {
		t.Error("a deployment with a vhost that is no host name validated")
	}
	adm4 := loadWhole(t, "apim-4.x-admin-api-v4.yaml")
	for _, bad := range []string{
		`{"policyName":"x","defaultLimit":{"type":"FOO"}}`,
		`{"policyName":"x","defaultLimit":{"type":"EVENTCOUNTLIMIT","eventCount":{"timeUnit":"min","unitTime":1}}}`,
		`{"policyName":"","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":1}}}`,
	} {
		if err := adm4.validate(adm4.component("SubscriptionThrottlePolicy"), []byte(bad)); err == nil {
			t.Errorf("%s validated against the v4 SubscriptionThrottlePolicy", bad)
		}
	}
	dcr := loadWhole(t, "dcr-v0.17.yaml")
	if err := dcr.validate(dcr.component("DCRResult"), []byte(`{"clientId":1}`)); err == nil {
		t.Error("a numeric clientId validated")
	}

	// The strict check finds members the definition does not declare, at
	// any depth and through allOf, and leaves free-form objects alone.
	undeclaredIn := func(s *spec, schema *openapi3.Schema, body string) []string {
		var v any
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		return undeclared(schema, v, "$")
	}
	for _, c := range []struct {
		s      *spec
		schema *openapi3.Schema
		body   string
		want   []string
	}{
		{pub4, deployments, `{"count":1,"list":[{"revisionUuid":"r","name":"Default","vhost":"localhost","label":"x"}]}`, []string{"$.count", "$.list[0].label"}},
		{pub, pub.component("API"), `{"name":"x","endpointConfig":{"anything":1},"maxTps":{"production":1,"perSecond":2}}`, []string{"$.maxTps.perSecond"}},
		{adm4, adm4.component("AdvancedThrottlePolicy"), `{"policyName":"x","isDeployed":true,"conditionalGroups":[{"conditions":[{"type":"IPCONDITION","ipCondition":{"ipConditionType":"IPRANGE","startingIP":"a","bogus":1}}]}]}`, []string{"$.conditionalGroups[0].conditions[0].ipCondition.bogus"}},
		{adm4, adm4.component("BlockingConditionList"), `{"count":1,"list":[{"conditionType":"IPRANGE","conditionValue":{"startingIp":"a","endingIp":"b","invert":false}}]}`, nil},
	} {
		if got := undeclaredIn(c.s, c.schema, c.body); !slices.Equal(got, c.want) {
			t.Errorf("undeclared members of %s: got %v, want %v", c.body, got, c.want)
		}
	}
	// A request path finds its definition path, literal segments first.
	for path, want := range map[string]string{
		"/apis":                       "/apis",
		"/apis/abc":                   "/apis/{apiId}",
		"/apis/validate-openapi":      "/apis/validate-openapi",
		"/apis/abc/deployments":       "/apis/{apiId}/deployments",
		"/apis/abc/no-such-resource":  "",
		"/throttling/policies/nope/x": "",
	} {
		if got := pub4.template(path); got != want {
			t.Errorf("template(%s) = %q, want %q", path, got, want)
		}
	}
}
