package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/gateway"
)

func TestBlockingFromAdmin(t *testing.T) {
	got, err := BlockingFromAdmin([]apim.BlockingCondition{
		{ConditionID: "b1", ConditionType: "IP", ConditionValue: "10.100.7.77"},
		{ConditionID: "b2", ConditionType: "IP", ConditionValue: `{"fixedIp":"10.0.0.5","invert":true}`},
		{ConditionID: "b3", ConditionType: "IPRANGE", ConditionValue: `{"startingIp":"10.0.0.1","endingIp":"10.0.0.9","invert":false}`},
		{ConditionID: "b4", ConditionType: "API", ConditionValue: "/pizzashack/1.0.0"},
		{ConditionID: "b5", ConditionType: "APPLICATION", ConditionValue: "admin:DefaultApplication"},
		{ConditionID: "b6", ConditionType: "USER", ConditionValue: "bob@carbon.super"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []BlockingCondition{
		{ID: "b4", Type: BlockAPI, Value: "/pizzashack/1.0.0"},
		{ID: "b5", Type: BlockApplication, Value: "admin:DefaultApplication"},
		{ID: "b2", Type: BlockIP, IP: "10.0.0.5", Invert: true},
		{ID: "b1", Type: BlockIP, IP: "10.100.7.77"},
		{ID: "b3", Type: BlockIPRange, StartingIP: "10.0.0.1", EndingIP: "10.0.0.9"},
		{ID: "b6", Type: BlockUser, Value: "bob@carbon.super"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("condition %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestBlockingFromAdminNamesWhatItCannotUse(t *testing.T) {
	_, err := BlockingFromAdmin([]apim.BlockingCondition{
		{ConditionID: "ok", ConditionType: "IP", ConditionValue: "10.0.0.1"},
		{ConditionID: "c-subnet", ConditionType: "SUBNET", ConditionValue: "10.0.0.0/8"},
		{ConditionID: "c-host", ConditionType: "IP", ConditionValue: "localhost"},
		{ConditionID: "c-range", ConditionType: "IPRANGE", ConditionValue: "10.0.0.1-10.0.0.9"},
		{ConditionID: "c-json", ConditionType: "IP", ConditionValue: `{"fixedIp":"10.0.0.1","mask":8}`},
		{ConditionID: "c-app", ConditionType: "APPLICATION", ConditionValue: "DefaultApplication"},
	})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want a *ValidationError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		`blocking condition 2 (id "c-subnet"): blocking condition type "SUBNET" is not supported`,
		`(id "c-host")`, `"localhost" is not an IP address`,
		`(id "c-range"): IPRANGE value`, `(id "c-json")`, `unknown field "mask"`,
		`(id "c-app")`, `is not "owner:application name"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, `"ok"`) {
		t.Errorf("the valid condition is named:\n%s", msg)
	}
}

func TestParseBlocking(t *testing.T) {
	good := "blocking:\n" +
		"  - {id: a, type: ipRange, startingIP: 10.0.0.1, endingIP: 10.0.0.9, invert: true}\n" +
		"  - {type: user, value: bob, enabled: false}\n" +
		"  - {type: application, value: 'admin:My App'}\n"
	f, err := Parse("policies.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	g := f.BlockingToGateway()
	if len(g) != 2 || g[0] != (gateway.BlockingCondition{Type: gateway.BlockApplication, Value: "admin:My App"}) ||
		g[1] != (gateway.BlockingCondition{Type: gateway.BlockIPRange, StartingIP: "10.0.0.1", EndingIP: "10.0.0.9", Invert: true}) {
		t.Errorf("to the gateway: %+v (the disabled user condition must be left out)", g)
	}
	out, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Parse("policies.yaml", out)
	if err != nil || len(back.Blocking) != 3 || back.Blocking[2].IsEnabled() {
		t.Errorf("round trip: %v %+v\n%s", err, back.Blocking, out)
	}

	for name, tc := range map[string]struct{ in, want string }{
		"unknown type": {"application: []\nblocking:\n  - {id: x1, type: subnet, value: a}\n",
			`policies.yaml:3: blocking condition 1 (id "x1"): blocking condition type "subnet" is not supported; use api, application, ip, ipRange or user`},
		"bad ip": {"blocking:\n  - type: ip\n    ip: 10.0.0.300\n",
			`policies.yaml:3: blocking condition 1: ip "10.0.0.300" is not an IP address`},
		"reversed range": {"blocking:\n  - type: ip\n    ip: 10.0.0.1\n  - type: ipRange\n    startingIP: 10.0.0.9\n    endingIP: 10.0.0.1\n",
			`policies.yaml:6: blocking condition 2: endingIP 10.0.0.1 is before startingIP 10.0.0.9`},
		"invert on user": {"blocking:\n  - type: user\n    value: bob\n    invert: true\n",
			`policies.yaml:4: blocking condition 1: invert applies only to ip and ipRange conditions`},
		"field of another type": {"blocking:\n  - type: api\n    value: /a/1\n    ip: 10.0.0.1\n",
			`policies.yaml:4: blocking condition 1: ip does not apply to a api condition`},
		"unknown key": {"blocking:\n  - type: api\n    context: /a/1\n",
			`policies.yaml:3: blocking condition 1: unknown key "context" in a blocking condition`},
		"missing value": {"blocking:\n  - type: user\n",
			`policies.yaml:2: blocking condition 1: value is missing`},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("policies.yaml", []byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v\nwant %s", err, tc.want)
			}
		})
	}
}

// The two models name the condition types alike, so BlockingToGateway can
// copy them.
func TestBlockingTypesMatchTheGateway(t *testing.T) {
	for p, g := range map[string]string{BlockAPI: gateway.BlockAPI, BlockApplication: gateway.BlockApplication,
		BlockIP: gateway.BlockIP, BlockIPRange: gateway.BlockIPRange, BlockUser: gateway.BlockUser} {
		if p != g {
			t.Errorf("policy %q, gateway %q", p, g)
		}
	}
}

func FuzzBlockingFromAdmin(f *testing.F) {
	f.Add("IP", "10.0.0.1")
	f.Add("IP", `{"fixedIp":"10.0.0.1","invert":true}`)
	f.Add("IPRANGE", `{"startingIp":"10.0.0.1","endingIp":"10.0.0.9","invert":false}`)
	f.Add("APPLICATION", "admin:App")
	f.Add("API", "/a/1")
	f.Add("USER", "bob")
	f.Add("IPRANGE", `{"startingIp":"10.0.0.9","endingIp":"10.0.0.1"}{}`)
	f.Fuzz(func(t *testing.T, typ, value string) {
		got, err := BlockingFromAdmin([]apim.BlockingCondition{{ConditionID: "x", ConditionType: typ, ConditionValue: value}})
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error is not a *ValidationError: %T %v", err, err)
			}
			return
		}
		f := File{Blocking: got}
		data, err := Marshal(f)
		if err != nil {
			t.Fatalf("accepted condition does not marshal: %v", err)
		}
		if _, err := Parse("p.yaml", data); err != nil {
			t.Fatalf("accepted condition does not parse back: %v\n%s", err, data)
		}
		spec := &gateway.Spec{Blocking: f.BlockingToGateway()}
		if err := spec.Validate(); err != nil {
			t.Fatalf("accepted condition is refused by the gateway: %v", err)
		}
	})
}
