package policy

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// FuzzPolicyParse checks that Parse never panics, fails only with a
// *ValidationError, and that what it accepts survives Marshal and Parse
// unchanged (up to the order Marshal imposes).
func FuzzPolicyParse(f *testing.F) {
	data, err := Marshal(fixtureFile(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte("application:\n  - name: A\n    limit: {type: requestCount, requestCount: -5, unitTime: 1, timeUnit: minutes}\n"))
	f.Add([]byte("subscription:\n  - name: B\n    limit: {type: bandwidth, dataAmount: 1, dataUnit: KB, unitTime: 1, timeUnit: sec}\n    rateLimitCount: 2\n    rateLimitTimeUnit: sec\n    customAttributes: {a: b}\n"))
	f.Add([]byte("advanced: []\n---\n"))
	f.Add([]byte("advanced:\n  - name: C\n    limit: {type: requestCount, requestCount: 5, unitTime: 1, timeUnit: min}\n    conditionalGroups:\n      - conditions: [{type: ipRange, startingIP: 10.0.0.0, endingIP: 10.0.0.9, invert: true}, {type: header, name: X-A, value: b}, {type: jwtClaim, name: c}]\n        limit: {type: bandwidth, dataAmount: 1, dataUnit: KB, unitTime: 1, timeUnit: sec}\n"))
	f.Add([]byte("blocking:\n  - {id: b1, type: ipRange, startingIP: 10.0.0.1, endingIP: 10.0.0.9, invert: true}\n  - {type: application, value: 'admin:App', enabled: false}\n  - {type: api, value: /pizzashack/1.0.0}\n  - {type: user, value: bob@carbon.super}\n  - {type: ip, ip: '::1'}\n"))
	f.Add([]byte("blocking:\n  - {type: IPRANGE, value: x}\n  - {type: user}\n  - {type: api, value: nope, invert: true}\n"))
	f.Add([]byte("- 1\n"))
	f.Add([]byte("application:\n  - &a {name: x}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pf, err := Parse("p.yaml", in)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error is not a *ValidationError with problems: %T %v", err, err)
			}
			return
		}
		out, err := Marshal(pf)
		if err != nil {
			t.Fatalf("Marshal of a parsed file: %v", err)
		}
		back, err := Parse("p.yaml", out)
		if err != nil {
			t.Fatalf("Parse(Marshal(f)): %v\n%s", err, out)
		}
		sorted := File{Application: sortedByName(pf.Application), Subscription: sortedByName(pf.Subscription), Advanced: sortedByName(pf.Advanced), Blocking: sortedBlocking(pf.Blocking)}
		if !equalFiles(sorted, back) {
			t.Fatalf("round trip changed the policies:\n%+v\n%+v", sorted, back)
		}
		again, err := Marshal(back)
		if err != nil || !bytes.Equal(out, again) {
			t.Fatalf("Marshal is not stable: %v\n%s\n---\n%s", err, out, again)
		}
	})
}

// FuzzParseMGW3 checks ParseMGW3 the same way: no panics, only
// *ValidationError failures, and accepted files are valid workspace files.
func FuzzParseMGW3(f *testing.F) {
	f.Add(readFixture(f, "mgw320-policies.yaml"))
	f.Add([]byte("applicationPolicies:\n  - 5PerMin: {count: 5, unitTime: 1, timeUnit: min}\n"))
	f.Add([]byte("subscriptionPolicies:\n  - Gold\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		pf, err := ParseMGW3(in)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error is not a *ValidationError with problems: %T %v", err, err)
			}
			return
		}
		if _, err := Marshal(pf); err != nil {
			t.Fatalf("accepted policies do not marshal: %v", err)
		}
	})
}

// equalFiles compares files treating nil and empty lists and maps alike.
func equalFiles(a, b File) bool {
	norm := func(ps []Policy) []Policy {
		if len(ps) == 0 {
			return nil
		}
		out := make([]Policy, len(ps))
		for i, p := range ps {
			if len(p.CustomAttributes) == 0 {
				p.CustomAttributes = nil
			}
			if len(p.ConditionalGroups) == 0 {
				p.ConditionalGroups = nil
			}
			out[i] = p
		}
		return out
	}
	return reflect.DeepEqual(norm(a.Application), norm(b.Application)) &&
		reflect.DeepEqual(norm(a.Subscription), norm(b.Subscription)) &&
		reflect.DeepEqual(norm(a.Advanced), norm(b.Advanced)) &&
		(len(a.Blocking) == 0 && len(b.Blocking) == 0 || reflect.DeepEqual(a.Blocking, b.Blocking))
}
