package policy

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/gateway"
)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func adminPolicies(t testing.TB, name string) []apim.ThrottlePolicy {
	t.Helper()
	list, err := apim.DecodePolicyList(readFixture(t, name))
	if err != nil {
		t.Fatal(err)
	}
	return list.List
}

// advancedPolicies are Admin API advanced policies, one with a bandwidth
// limit and a conditional group.
func advancedPolicies(t testing.TB) []apim.ThrottlePolicy {
	t.Helper()
	list, err := apim.DecodePolicyList([]byte(`{"count":3,"list":[
	 {"policyId":"a1","policyName":"10KPerMin","displayName":"10KPerMin","description":"Allows 10000 requests per minute","isDeployed":true,
	  "defaultLimit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":10000}},
	 {"policyId":"a2","policyName":"1MBPerMin","displayName":"1 MB per minute","isDeployed":true,
	  "defaultLimit":{"type":"BandwidthLimit","timeUnit":"min","unitTime":1,"dataAmount":1,"dataUnit":"MB"},
	  "conditionalGroups":[{"conditions":[{"type":"IPCondition","specificIP":"10.0.0.1"}],"limit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":1}}]},
	 {"policyId":"a3","policyName":"Unlimited","displayName":"Unlimited","isDeployed":true,
	  "defaultLimit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":2147483647}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	return list.List
}

func fixtureFile(t testing.TB) File {
	t.Helper()
	f, err := FromAdmin(
		adminPolicies(t, "mgw260-test-admin-application-policies.json"),
		adminPolicies(t, "mgw260-test-admin-subscription-policies.json"),
		advancedPolicies(t))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func names(ps []Policy) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

func TestFromAdminConvertsTheFixtures(t *testing.T) {
	f := fixtureFile(t)
	if got, want := names(f.Application), []string{"10PerMin", "20PerMin", "50PerMin", "Unlimited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("application = %v, want %v (sorted, Unlimited kept)", got, want)
	}
	if got, want := names(f.Subscription), []string{"5min", "Bronze", "Gold", "Silver", "Unauthenticated", "Unlimited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("subscription = %v, want %v", got, want)
	}
	if got, want := names(f.Advanced), []string{"10KPerMin", "1MBPerMin", "Unlimited"}; !reflect.DeepEqual(got, want) {
		t.Errorf("advanced = %v, want %v", got, want)
	}
	yes := true
	wantGold := Policy{Name: "Gold", DisplayName: "Gold", Description: "Allows 5000 requests per minute",
		Limit:            Limit{Type: LimitRequestCount, RequestCount: 5000, UnitTime: 1, TimeUnit: "min"},
		StopOnQuotaReach: &yes, BillingPlan: "FREE"}
	if !reflect.DeepEqual(f.Subscription[2], wantGold) {
		t.Errorf("Gold = %+v\nwant %+v", f.Subscription[2], wantGold)
	}
	// "5min" has rateLimitCount -1 and unit "NA": no burst control.
	if p := f.Subscription[0]; p.RateLimitCount != 0 || p.RateLimitTimeUnit != "" {
		t.Errorf("5min burst control = %d %q, want none", p.RateLimitCount, p.RateLimitTimeUnit)
	}
	if p := f.Application[3]; p.Limit.RequestCount != 2147483647 || p.StopOnQuotaReach != nil {
		t.Errorf("application Unlimited = %+v", p)
	}
	wantBW := Policy{Name: "1MBPerMin", DisplayName: "1 MB per minute",
		Limit: Limit{Type: LimitBandwidth, DataAmount: 1, DataUnit: "MB", UnitTime: 1, TimeUnit: "min"},
		ConditionalGroups: []ConditionalGroup{{
			Conditions: []Condition{{Type: ConditionIP, IP: "10.0.0.1"}},
			Limit:      Limit{Type: LimitRequestCount, RequestCount: 1, UnitTime: 1, TimeUnit: "min"},
		}}}
	if !reflect.DeepEqual(f.Advanced[1], wantBW) {
		t.Errorf("bandwidth policy = %+v\nwant %+v", f.Advanced[1], wantBW)
	}
}

func TestFromAdminNormalizesAndKeepsSubscriptionDetails(t *testing.T) {
	no := false
	unit := "SEC"
	sub := []apim.ThrottlePolicy{{
		PolicyName:        "Platinum",
		DefaultLimit:      &apim.ThrottleLimit{Type: "BandwidthLimit", TimeUnit: "Hours", UnitTime: 2, DataAmount: 5, DataUnit: "gb"},
		RateLimitCount:    10,
		RateLimitTimeUnit: &unit,
		StopOnQuotaReach:  &no,
		BillingPlan:       "commercial",
		CustomAttributes:  []apim.CustomAttribute{{Name: "tier", Value: "top"}, {Name: "region", Value: "eu"}},
	}}
	f, err := FromAdmin(nil, sub, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Policy{Name: "Platinum",
		Limit:          Limit{Type: LimitBandwidth, DataAmount: 5, DataUnit: "GB", UnitTime: 2, TimeUnit: "hour"},
		RateLimitCount: 10, RateLimitTimeUnit: "sec", StopOnQuotaReach: &no, BillingPlan: "COMMERCIAL",
		CustomAttributes: map[string]string{"tier": "top", "region": "eu"}}
	if !reflect.DeepEqual(f.Subscription[0], want) {
		t.Errorf("got  %+v\nwant %+v", f.Subscription[0], want)
	}
	// The converted policy is independent of the DTO.
	no = true
	if *f.Subscription[0].StopOnQuotaReach {
		t.Error("StopOnQuotaReach aliases the DTO")
	}
}

func TestFromAdminListsEveryProblem(t *testing.T) {
	app := []apim.ThrottlePolicy{
		{PolicyName: "NoLimit"},
		{PolicyName: "Weird", DefaultLimit: &apim.ThrottleLimit{Type: "EventCountLimit", TimeUnit: "min", UnitTime: 1}},
	}
	sub := []apim.ThrottlePolicy{
		{PolicyName: "Fortnightly", DefaultLimit: &apim.ThrottleLimit{Type: "RequestCountLimit", TimeUnit: "fortnight", UnitTime: 1, RequestCount: 5}},
		{PolicyName: "Fortnightly", DefaultLimit: &apim.ThrottleLimit{Type: "RequestCountLimit", TimeUnit: "min", UnitTime: 1, RequestCount: 5}},
	}
	_, err := FromAdmin(app, sub, nil)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("err = %v, want 2 conversion problems", err)
	}
	for _, want := range []string{`application policy "NoLimit": the API Manager sent no defaultLimit`, `application policy "Weird": defaultLimit.type "EventCountLimit" is not supported`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
	// Once convertible, validation names the remaining problems.
	_, err = FromAdmin(nil, sub, nil)
	if !errors.As(err, &ve) || len(ve.Problems) != 2 {
		t.Fatalf("err = %v, want 2 problems", err)
	}
	for _, want := range []string{`limit.timeUnit "fortnight" is not valid`, "already used"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q:\n%v", want, err)
		}
	}
}

func TestMarshalParseRoundTrip(t *testing.T) {
	f := fixtureFile(t)
	data, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("# ")) || !bytes.Contains(data[:bytes.IndexByte(data, '\n')], []byte("written by mgw setup")) {
		t.Errorf("no header comment:\n%s", data)
	}
	back, err := Parse("policies.yaml", data)
	if err != nil {
		t.Fatalf("Parse(Marshal(f)): %v\n%s", err, data)
	}
	if !reflect.DeepEqual(back, f) {
		t.Errorf("round trip changed the policies:\n got %+v\nwant %+v", back, f)
	}
	// Deterministic, whatever the input order.
	shuffled := File{Application: append([]Policy(nil), f.Application...), Subscription: f.Subscription, Advanced: f.Advanced}
	shuffled.Application[0], shuffled.Application[3] = shuffled.Application[3], shuffled.Application[0]
	again, err := Marshal(shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Errorf("Marshal depends on the input order:\n%s\n---\n%s", data, again)
	}
	// Readable: the keys are the documented ones.
	for _, want := range []string{"application:\n  - name: 10PerMin\n", "    limit:\n      type: requestCount\n      requestCount: 10\n      unitTime: 1\n      timeUnit: min\n", "dataUnit: MB", "billingPlan: FREE", "stopOnQuotaReach: true"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("output lacks %q:\n%s", want, data)
		}
	}
}

func TestMarshalRejectsInvalidPolicies(t *testing.T) {
	_, err := Marshal(File{Advanced: []Policy{{Name: "x", Limit: Limit{Type: LimitRequestCount, RequestCount: -1, UnitTime: 1, TimeUnit: "min"}}}})
	if err == nil || !strings.Contains(err.Error(), "requestCount must be at least 1") {
		t.Fatalf("err = %v", err)
	}
}

func TestParseEmptyFile(t *testing.T) {
	for _, in := range []string{"", "# nothing yet\n", "{}\n"} {
		f, err := Parse("p.yaml", []byte(in))
		if err != nil || !reflect.DeepEqual(f, File{}) {
			t.Errorf("%q: %+v, %v", in, f, err)
		}
	}
}

func TestParseReportsUnknownKeysAndTypesWithLines(t *testing.T) {
	in := `application:
  - name: Gold
    limit:
      type: requestCount
      requestCount: lots
      unitTime: 1
      timeUnit: min
    colour: gold
subscription:
  - name: Silver
    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min, burst: 3}
advanced: {}
extra: 1
`
	_, err := Parse("labels/x/policies.yaml", []byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want *ValidationError", err)
	}
	for _, want := range []string{
		`labels/x/policies.yaml:5: application policy "Gold": found text (lots) where a whole number is expected`,
		`labels/x/policies.yaml:8: application policy "Gold": unknown key "colour" in a policy; valid keys are name, displayName`,
		`labels/x/policies.yaml:11: subscription policy "Silver": unknown key "burst" in a limit`,
		`labels/x/policies.yaml:12: found a mapping where a list of policies is expected`,
		`labels/x/policies.yaml:13: unknown key "extra" in the file; valid keys are application, subscription, advanced and blocking`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks\n  %s\nin\n%v", want, err)
		}
	}
	if len(ve.Problems) != 5 {
		t.Errorf("%d problems, want 5:\n%v", len(ve.Problems), err)
	}
}

func TestParseValidatesEveryPolicyWithLines(t *testing.T) {
	in := `application:
  - name: A
    limit: {type: requestCount, requestCount: -5, unitTime: 1, timeUnit: minutes}
  - name: A
    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min}
    rateLimitCount: 3
    rateLimitTimeUnit: sec
subscription:
  - name: B
    limit:
      type: bandwidth
      dataAmount: 10
      dataUnit: TB
      timeUnit: hour
  - limit: {type: quota, unitTime: 1, timeUnit: day}
advanced:
  - name: C
    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min}
    stopOnQuotaReach: false
`
	_, err := Parse("policies.yaml", []byte(in))
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		`policies.yaml:3: application policy "A": limit.requestCount must be at least 1, got -5`,
		`policies.yaml:3: application policy "A": limit.timeUnit "minutes" is not valid; use sec, min, hour, day, week, month or year`,
		`policies.yaml:6: application policy "A": rateLimitCount applies only to subscription policies; remove it`,
		`policies.yaml:4: application policy "A": the name is already used by application policy number 1`,
		`policies.yaml:13: subscription policy "B": limit.dataUnit "TB" is not valid; use KB, MB or GB`,
		`policies.yaml:10: subscription policy "B": limit.unitTime is missing`,
		`policies.yaml:15: subscription policy number 2: name is missing`,
		`policies.yaml:15: subscription policy number 2: limit.type "quota" is not valid; use requestCount or bandwidth`,
		`policies.yaml:19: advanced policy "C": stopOnQuotaReach applies only to application and subscription policies`,
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks\n  %s\nin\n%v", w, err)
		}
	}
	if len(ve.Problems) != len(want) {
		t.Errorf("%d problems, want %d:\n%v", len(ve.Problems), len(want), err)
	}
}

func TestParseRejectsSyntaxErrorsAndSeveralDocuments(t *testing.T) {
	_, err := Parse("p.yaml", []byte("application:\n  - name: A\n\tlimit: x\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:2: invalid YAML: found a tab character") {
		t.Errorf("syntax error: %v", err)
	}
	_, err = Parse("p.yaml", []byte("application: []\n---\nsubscription: []\n"))
	if err == nil || !strings.Contains(err.Error(), "more than one YAML document") {
		t.Errorf("two documents: %v", err)
	}
	_, err = Parse("p.yaml", []byte("- name: A\n"))
	if err == nil || !strings.Contains(err.Error(), "p.yaml:1: found a list where a mapping with the keys application, subscription, advanced and blocking is expected") {
		t.Errorf("list at top: %v", err)
	}
}

func TestParseMGW3(t *testing.T) {
	f, err := ParseMGW3(readFixture(t, "mgw320-policies.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(f.Advanced), []string{"50kPerMin", "20kPerMin", "10kPerMin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("resourcePolicies → advanced = %v, want %v", got, want)
	}
	if got, want := names(f.Application), []string{"50PerMin", "20PerMin", "10PerMin"}; !reflect.DeepEqual(got, want) {
		t.Errorf("application = %v, want %v", got, want)
	}
	if got, want := names(f.Subscription), []string{"Gold", "Silver", "Bronze", "Unauthenticated", "Default"}; !reflect.DeepEqual(got, want) {
		t.Errorf("subscription = %v, want %v", got, want)
	}
	want := Policy{Name: "Bronze", Limit: Limit{Type: LimitRequestCount, RequestCount: 10, UnitTime: 1, TimeUnit: "min"}}
	if !reflect.DeepEqual(f.Subscription[2], want) {
		t.Errorf("Bronze = %+v, want %+v", f.Subscription[2], want)
	}
	if f.Advanced[0].Limit.RequestCount != 50000 {
		t.Errorf("50kPerMin = %+v", f.Advanced[0])
	}
	// The result is a valid workspace file.
	if _, err := Marshal(f); err != nil {
		t.Errorf("Marshal: %v", err)
	}
}

func TestParseMGW3Errors(t *testing.T) {
	in := `applicationPolicies:
  - 50PerMin:
     count: fifty
     unitTime: 1
     timeUnit: min
  - 20PerMin:
     count: 20
     unitTime: 1
     timeUnit: fortnight
     burst: 2
subscriptionPolicies:
  - Gold
throttlePolicies: []
`
	_, err := ParseMGW3([]byte(in))
	for _, w := range []string{
		`MGW 3.x policies.yaml:3: application policy "50PerMin": count must be a whole number, got "fifty"`,
		`MGW 3.x policies.yaml:10: application policy "20PerMin": unknown key "burst"; valid keys are count, unitTime and timeUnit`,
		`MGW 3.x policies.yaml:12: subscription policy number 1: each entry must be a single`,
		`MGW 3.x policies.yaml:13: unknown key "throttlePolicies"`,
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks\n  %s\nin\n%v", w, err)
		}
	}
	_, err = ParseMGW3([]byte("applicationPolicies:\n  - 20PerMin:\n     count: 20\n     unitTime: 1\n     timeUnit: fortnight\n"))
	if err == nil || !strings.Contains(err.Error(), `MGW 3.x policies.yaml:5: application policy "20PerMin": limit.timeUnit "fortnight" is not valid`) {
		t.Errorf("err = %v", err)
	}
}

func TestToGateway(t *testing.T) {
	no := false
	f := File{
		Application: []Policy{
			{Name: "Zeta", Limit: Limit{Type: LimitRequestCount, RequestCount: 5, UnitTime: 1, TimeUnit: "min"}, StopOnQuotaReach: &no},
			{Name: "Alpha", Limit: Limit{Type: LimitRequestCount, RequestCount: 50, UnitTime: 2, TimeUnit: "hour"}},
		},
		Subscription: []Policy{
			{Name: "Gold", Limit: Limit{Type: LimitBandwidth, DataAmount: 2, DataUnit: "MB", UnitTime: 1, TimeUnit: "day"}, RateLimitCount: 10, RateLimitTimeUnit: "sec", StopOnQuotaReach: &no},
			{Name: "unlimited", Limit: Limit{Type: LimitRequestCount, RequestCount: 2147483647, UnitTime: 1, TimeUnit: "min"}},
		},
	}
	g := f.ToGateway()
	wantApp := []gateway.Policy{
		{Name: "Alpha", LimitType: gateway.LimitRequestCount, RequestCount: 50, UnitTime: 2, TimeUnit: "hour", StopOnQuotaReach: true},
		{Name: "Unlimited", LimitType: gateway.LimitRequestCount, RequestCount: 2147483647, UnitTime: 1, TimeUnit: "min", StopOnQuotaReach: true, Unlimited: true},
		{Name: "Zeta", LimitType: gateway.LimitRequestCount, RequestCount: 5, UnitTime: 1, TimeUnit: "min", StopOnQuotaReach: false},
	}
	if !reflect.DeepEqual(g.Application, wantApp) {
		t.Errorf("application:\n got %+v\nwant %+v", g.Application, wantApp)
	}
	wantSub := []gateway.Policy{
		{Name: "Gold", LimitType: gateway.LimitBandwidth, DataAmount: 2, DataUnit: "MB", UnitTime: 1, TimeUnit: "day", RateLimitCount: 10, RateLimitTimeUnit: "sec"},
		{Name: "unlimited", LimitType: gateway.LimitRequestCount, RequestCount: 2147483647, UnitTime: 1, TimeUnit: "min", StopOnQuotaReach: true, Unlimited: true},
	}
	if !reflect.DeepEqual(g.Subscription, wantSub) {
		t.Errorf("subscription:\n got %+v\nwant %+v", g.Subscription, wantSub)
	}
	if len(g.Advanced) != 1 || !g.Advanced[0].Unlimited {
		t.Errorf("advanced = %+v, want only Unlimited", g.Advanced)
	}
	// The File is not reordered.
	if f.Application[0].Name != "Zeta" {
		t.Error("ToGateway sorted the File in place")
	}
	// From the fixtures: every policy arrives, advanced ones always stop.
	gf := fixtureFile(t).ToGateway()
	if len(gf.Application) != 4 || len(gf.Subscription) != 6 || len(gf.Advanced) != 3 || !gf.Advanced[1].StopOnQuotaReach || gf.Advanced[1].LimitType != gateway.LimitBandwidth {
		t.Errorf("fixtures: %+v", gf)
	}
}

func TestHas(t *testing.T) {
	f := fixtureFile(t)
	for _, tc := range []struct {
		level, name string
		want        bool
	}{
		{LevelSubscription, "Gold", true},
		{LevelSubscription, "gold", false},
		{LevelApplication, "Gold", false},
		{LevelApplication, "50PerMin", true},
		{LevelAdvanced, "1MBPerMin", true},
		{LevelAdvanced, "UNLIMITED", true},
		{LevelApplication, "Unlimited", true},
		{"resource", "Gold", false},
	} {
		if got := f.Has(tc.level, tc.name); got != tc.want {
			t.Errorf("Has(%q, %q) = %v, want %v", tc.level, tc.name, got, tc.want)
		}
	}
	if !(File{}).Has(LevelAdvanced, "Unlimited") {
		t.Error("an empty file lacks Unlimited")
	}
}
