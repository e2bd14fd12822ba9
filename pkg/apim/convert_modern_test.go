package apim

import (
	"errors"
	"strings"
	"testing"
)

func TestToThrottlePolicyMapsEveryCondition(t *testing.T) {
	m, err := DecodeModernPolicy([]byte(modernAdvancedJSON))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ToThrottlePolicy(m)
	if err != nil {
		t.Fatal(err)
	}
	if l := p.DefaultLimit; l.Type != "RequestCountLimit" || l.RequestCount != 10000 || l.TimeUnit != "min" || l.UnitTime != 1 {
		t.Errorf("default limit %+v", *l)
	}
	g := p.ConditionalGroups[0]
	if l := g.Limit; l.Type != "BandwidthLimit" || l.DataAmount != 5 || l.DataUnit != "MB" {
		t.Errorf("group limit %+v", *l)
	}
	want := []ThrottleCondition{
		{Type: ConditionHeader, HeaderName: "Host", HeaderValue: "a"},
		{Type: ConditionIP, InvertCondition: true, IPConditionType: IPRange, StartingIP: "10.0.0.0", EndingIP: "10.0.0.9"},
		{Type: ConditionIP, IPConditionType: IPSpecific, SpecificIP: "10.1.1.1"},
		{Type: ConditionQueryParam, ParameterName: "n", ParameterValue: "v"},
		{Type: ConditionJWTClaims, InvertCondition: true, ClaimURL: "http://wso2.org/claims/x", Attribute: "y"},
	}
	if len(g.Conditions) != len(want) {
		t.Fatalf("%d conditions, want %d", len(g.Conditions), len(want))
	}
	for i := range want {
		if g.Conditions[i] != want[i] {
			t.Errorf("condition %d: %+v, want %+v", i, g.Conditions[i], want[i])
		}
	}
}

func TestToThrottlePolicyRejects(t *testing.T) {
	for _, tc := range []struct{ json, want string }{
		{`{"policyName":"x"}`, "defaultLimit is missing"},
		{`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT"}}`, "requestCount is missing"},
		{`{"policyName":"x","defaultLimit":{"type":"FOO"}}`, `limit type "FOO"`},
		{`{"policyName":"x","defaultLimit":{"type":"BANDWIDTHLIMIT","bandwidth":{}},"conditionalGroups":[{"limit":{"type":"BANDWIDTHLIMIT","bandwidth":{}},"conditions":[{"type":"IPCONDITION"}]}]}`, "ipCondition is missing"},
		{`{"policyName":"x","defaultLimit":{"type":"BANDWIDTHLIMIT","bandwidth":{}},"conditionalGroups":[{"limit":{"type":"BANDWIDTHLIMIT","bandwidth":{}},"conditions":[{"type":"IPCONDITION","ipCondition":{"ipConditionType":"CIDR"}}]}]}`, `ipConditionType "CIDR"`},
	} {
		m, err := DecodeModernPolicy([]byte(tc.json))
		if err != nil {
			t.Fatal(err)
		}
		_, err = ToThrottlePolicy(m)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want a malformed error with %q", tc.json, err, tc.want)
		}
	}
	m, _ := DecodeModernPolicy([]byte(`{"policyName":"AsyncGold","defaultLimit":{"type":"EVENTCOUNTLIMIT","eventCount":{"eventCount":1}}}`))
	if _, err := ToThrottlePolicy(m); !errors.Is(err, ErrEventLimit) {
		t.Errorf("event limit: %v", err)
	}
	m, _ = DecodeModernPolicy([]byte(`{"policyName":"AIGold","defaultLimit":{"type":"AIAPIQUOTALIMIT","aiApiQuota":{"timeUnit":"min","unitTime":1,"requestCount":5,"totalTokenCount":1000}}}`))
	if _, err := ToThrottlePolicy(m); !errors.Is(err, ErrEventLimit) {
		t.Errorf("AI API quota limit: %v", err)
	}
}

func TestToAPIMovesEndpointSecurityOutWithoutThePassword(t *testing.T) {
	m, err := DecodeModernAPI([]byte(modernAPIJSON))
	if err != nil {
		t.Fatal(err)
	}
	a, err := ToAPI(m, `{"swagger":"2.0"}`, []string{"internal"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.EndpointConfig, "secret-pw") || strings.Contains(a.EndpointConfig, "endpoint_security") {
		t.Errorf("endpointConfig keeps the credentials: %s", a.EndpointConfig)
	}
	if a.EndpointSecurity == nil || a.EndpointSecurity.Type != "basic" || a.EndpointSecurity.Username != "u" || a.EndpointSecurity.Password != "" {
		t.Errorf("endpoint security %+v", a.EndpointSecurity)
	}
	ec, err := ParseEndpointConfig(a.EndpointConfig)
	if err != nil || ec.ProductionEndpoints[0].URL != "https://b:8443/p" {
		t.Errorf("endpointConfig %v %+v", err, ec)
	}
	if a.Status != "PUBLISHED" || a.Tiers[0] != "Gold" || a.MaxTPS.Production != 10 || a.Labels[0].Name != "internal" || !a.IsDefaultVersion || a.APIDefinition == "" {
		t.Errorf("mapped API %+v", a)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{"2.6": V26, "2.6.0": V26, "3.x": V3, "3.2.0": V3, "v3": V3, "4": V4, "4.2.0": V4, " 4.x ": V4} {
		if got, err := ParseVersion(in); err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "2.5", "5.0", "auto", "x"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) accepted", bad)
		}
	}
}

const modernBlockingJSON = `{"count":5,"list":[
{"conditionId":"a","conditionType":"IP","conditionValue":{"fixedIp":"198.51.100.7","invert":false},"conditionStatus":true},
{"conditionId":"b","conditionType":"IPRANGE","conditionValue":{"startingIp":"203.0.113.0","endingIp":"203.0.113.255","invert":true},"conditionStatus":true},
{"conditionId":"c","conditionType":"USER","conditionValue":"blocked@carbon.super","conditionStatus":true},
{"conditionId":"d","conditionType":"API","conditionValue":"/pizza/1.0.0","conditionStatus":false},
{"conditionId":"e","conditionType":"APPLICATION","conditionValue":"admin:App"}]}`

func TestDecodeModernBlockingConditionList(t *testing.T) {
	list, err := DecodeModernBlockingConditionList([]byte(modernBlockingJSON))
	if err != nil {
		t.Fatal(err)
	}
	want := []BlockingCondition{
		{ConditionID: "a", ConditionType: "IP", ConditionValue: `{"fixedIp":"198.51.100.7","invert":false}`},
		{ConditionID: "b", ConditionType: "IPRANGE", ConditionValue: `{"startingIp":"203.0.113.0","endingIp":"203.0.113.255","invert":true}`},
		{ConditionID: "c", ConditionType: "USER", ConditionValue: "blocked@carbon.super"},
		{ConditionID: "e", ConditionType: "APPLICATION", ConditionValue: "admin:App"},
	}
	if list.Count != len(want) || len(list.List) != len(want) {
		t.Fatalf("got %+v, want the 4 enabled conditions", list)
	}
	for i := range want {
		if list.List[i] != want[i] {
			t.Errorf("condition %d: %+v, want %+v", i, list.List[i], want[i])
		}
	}
	for _, bad := range []string{`{"count":1,"list":[{"conditionType":"IP","conditionValue":[1]}]}`, `{"count":1,"list":[{"conditionType":"IP"}]}`} {
		if _, err := DecodeModernBlockingConditionList([]byte(bad)); err == nil || !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

func TestDeploymentLive(t *testing.T) {
	deps, err := DecodeDeployments([]byte(`{"count":3,"list":[{"revisionUuid":"r1","name":"Default"},
{"revisionUuid":"r2","name":"EU","status":"APPROVED"},{"revisionUuid":"r3","name":"US","status":"CREATED"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, true, false} {
		if deps[i].Live() != want {
			t.Errorf("deployment %+v: live %v, want %v", deps[i], deps[i].Live(), want)
		}
	}
}
