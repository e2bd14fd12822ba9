package policy

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/gateway"
)

// adminGroups decodes one advanced policy (as Client.AdvancedPolicy
// returns it) with the given conditionalGroups JSON.
func adminGroups(t *testing.T, groups string) []apim.ThrottlePolicy {
	t.Helper()
	p, err := apim.DecodePolicy([]byte(`{"policyId":"x","policyName":"Cond","isDeployed":true,
	 "defaultLimit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":100},
	 "conditionalGroups":` + groups + `}`))
	if err != nil {
		t.Fatal(err)
	}
	return []apim.ThrottlePolicy{p}
}

const perMin5 = `{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":5}`

func TestFromAdminKeepsEveryConditionType(t *testing.T) {
	f, err := FromAdmin(nil, nil, adminGroups(t, `[
	 {"description":"office","conditions":[
	   {"type":"IPCondition","invertCondition":true,"ipConditionType":"IPRange","specificIP":null,"startingIP":"10.0.0.0","endingIP":"10.0.255.255"},
	   {"type":"IPCondition","invertCondition":false,"ipConditionType":"IPSpecific","specificIP":"2001:db8::1","startingIP":null,"endingIP":null},
	   {"type":"HeaderCondition","headerName":"X-Client","headerValue":"mobile"},
	   {"type":"QueryParameterCondition","parameterName":"region","parameterValue":"eu"},
	   {"type":"JWTClaimsCondition","invertCondition":true,"claimUrl":"http://wso2.org/claims/role","attribute":"admin"}],
	  "limit":{"type":"BandwidthLimit","timeUnit":"hours","unitTime":1,"dataAmount":2,"dataUnit":"mb"}}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []ConditionalGroup{{
		Description: "office",
		Conditions: []Condition{
			{Type: ConditionIPRange, Invert: true, StartingIP: "10.0.0.0", EndingIP: "10.0.255.255"},
			{Type: ConditionIP, IP: "2001:db8::1"},
			{Type: ConditionHeader, Name: "X-Client", Value: "mobile"},
			{Type: ConditionQueryParameter, Name: "region", Value: "eu"},
			{Type: ConditionJWTClaim, Invert: true, Name: "http://wso2.org/claims/role", Value: "admin"},
		},
		Limit: Limit{Type: LimitBandwidth, DataAmount: 2, DataUnit: "MB", UnitTime: 1, TimeUnit: "hour"},
	}}
	if got := f.Advanced[0].ConditionalGroups; !reflect.DeepEqual(got, want) {
		t.Fatalf("groups = %+v\nwant %+v", got, want)
	}
	data, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("policies.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !equalFiles(f, back) {
		t.Errorf("round trip changed the groups:\n%s", data)
	}
	for _, s := range []string{"conditionalGroups:", "type: ipRange", "invert: true", "startingIP: 10.0.0.0", "type: jwtClaim"} {
		if !strings.Contains(string(data), s) {
			t.Errorf("policies.yaml lacks %q:\n%s", s, data)
		}
	}
}

func TestFromAdminRejectsBadConditions(t *testing.T) {
	for _, tc := range []struct {
		name, groups string
		want         []string
	}{
		{"unknown type", `[{"conditions":[{"type":"CookieCondition"}],"limit":` + perMin5 + `}]`,
			[]string{`"Cond"`, `"CookieCondition"`, "not supported"}},
		{"unknown ip kind", `[{"conditions":[{"type":"IPCondition","ipConditionType":"IPMask","specificIP":"1.2.3.4"}],"limit":` + perMin5 + `}]`,
			[]string{`"Cond"`, `"IPMask"`}},
		{"bad ip", `[{"conditions":[{"type":"IPCondition","ipConditionType":"IPSpecific","specificIP":"10.0.0.300"}],"limit":` + perMin5 + `}]`,
			[]string{`"Cond"`, `"10.0.0.300"`, "not an IP address"}},
		{"reversed range", `[{"conditions":[{"type":"IPCondition","ipConditionType":"IPRange","startingIP":"10.0.0.9","endingIP":"10.0.0.1"}],"limit":` + perMin5 + `}]`,
			[]string{`"Cond"`, "before startingIP"}},
		{"mixed range", `[{"conditions":[{"type":"IPCondition","ipConditionType":"IPRange","startingIP":"10.0.0.1","endingIP":"::1"}],"limit":` + perMin5 + `}]`,
			[]string{"both be IPv4 or both IPv6"}},
		{"empty header name", `[{"conditions":[{"type":"HeaderCondition","headerName":"","headerValue":"v"}],"limit":` + perMin5 + `}]`,
			[]string{`"Cond"`, `"header"`, "name is missing"}},
		{"bad header name", `[{"conditions":[{"type":"HeaderCondition","headerName":"X Client","headerValue":"v"}],"limit":` + perMin5 + `}]`,
			[]string{"not a valid HTTP header name"}},
		{"no conditions", `[{"conditions":[],"limit":` + perMin5 + `}]`, []string{"conditions is empty"}},
		{"no limit", `[{"conditions":[{"type":"QueryParameterCondition","parameterName":"a","parameterValue":"b"}]}]`, []string{"has no limit"}},
		{"bad limit type", `[{"conditions":[{"type":"QueryParameterCondition","parameterName":"a","parameterValue":"b"}],"limit":{"type":"EventCountLimit","timeUnit":"min","unitTime":1}}]`,
			[]string{`"EventCountLimit"`}},
		{"zero count", `[{"conditions":[{"type":"JWTClaimsCondition","claimUrl":"c","attribute":"a"}],"limit":{"type":"RequestCountLimit","timeUnit":"sec","unitTime":60,"requestCount":0}}]`,
			[]string{"conditional group 1", "requestCount is missing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := FromAdmin(nil, nil, adminGroups(t, tc.groups))
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

func TestParseLocatesConditionProblems(t *testing.T) {
	in := `advanced:
  - name: Cond
    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min}
    conditionalGroups:
      - conditions:
          - type: header
            name: X-A
            value: b
          - type: ip
            ip: 999.1.1.1
        limit: {type: requestCount, requestCount: 1, unitTime: 1, timeUnit: min}
application:
  - name: App
    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min}
    conditionalGroups:
      - conditions: [{type: cookie, name: a}]
        limit: {type: requestCount, requestCount: 1, unitTime: 1, timeUnit: min}
`
	_, err := Parse("policies.yaml", []byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("err = %v, want 2 problems", err)
	}
	if p := ve.Problems[0]; p.Line != 10 || p.Policy != "Cond" || !strings.Contains(p.Message, `"999.1.1.1"`) {
		t.Errorf("problem 1 = %+v, want line 10 of Cond naming the IP", p)
	}
	if p := ve.Problems[1]; p.Line != 15 || !strings.Contains(p.Message, "only to advanced policies") {
		t.Errorf("problem 2 = %+v, want line 15 saying groups are advanced-only", p)
	}
}

func TestToGatewayCarriesConditionalGroups(t *testing.T) {
	f := File{Advanced: []Policy{{Name: "Cond",
		Limit: Limit{Type: LimitRequestCount, RequestCount: 9, UnitTime: 1, TimeUnit: "min"},
		ConditionalGroups: []ConditionalGroup{{
			Conditions: []Condition{{Type: ConditionIPRange, StartingIP: "10.0.0.0", EndingIP: "10.0.0.9", Invert: true}, {Type: ConditionJWTClaim, Name: "sub", Value: "a"}},
			Limit:      Limit{Type: LimitBandwidth, DataAmount: 3, DataUnit: "KB", UnitTime: 2, TimeUnit: "sec"},
		}}}}}
	g := f.ToGateway().Advanced[0]
	want := []gateway.ConditionalGroup{{
		Conditions: []gateway.Condition{{Type: gateway.ConditionIPRange, StartingIP: "10.0.0.0", EndingIP: "10.0.0.9", Invert: true}, {Type: gateway.ConditionJWTClaim, Name: "sub", Value: "a"}},
		LimitType:  gateway.LimitBandwidth, DataAmount: 3, DataUnit: "KB", UnitTime: 2, TimeUnit: "sec",
	}}
	if g.Name != "Cond" || !reflect.DeepEqual(g.ConditionalGroups, want) {
		t.Errorf("gateway policy = %+v\nwant groups %+v", g, want)
	}
}
