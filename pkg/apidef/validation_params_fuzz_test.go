package apidef

import (
	"strings"
	"testing"
)

// FuzzParamsMatchKin: for every parameter of the conformance suite, any
// raw path segment, query, header value or Cookie header gets the same
// accept/reject decision from the gateway as from kin-openapi's
// openapi3filter.ValidateRequest.
func FuzzParamsMatchKin(f *testing.F) {
	var specs []paramSpec
	specs = append(specs, primSpecs()...)
	specs = append(specs, arraySpecs()...)
	specs = append(specs, objectSpecs()...)
	specs = append(specs, contentSpecs()...)
	suite := newParamSuite(f, specs)
	raw := func(r paramReq) string {
		switch {
		case r.seg != "":
			return r.seg
		case r.query != "":
			return r.query
		case len(r.headers) > 0:
			return r.headers[0]
		}
		return r.cookie
	}
	for i, op := range suite.ops {
		if i%3 != 0 {
			continue
		}
		for _, r := range rawRequests[op.spec.in] {
			f.Add(uint16(i), raw(r))
		}
		for _, v := range []any{"5", "red", []string{"1", "2"}, [][2]string{{"a", "1"}, {"b", "x"}}} {
			f.Add(uint16(i), raw(serialize(op.spec, v)))
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, in string) {
		op := suite.ops[int(which)%len(suite.ops)]
		var r paramReq
		switch op.spec.in {
		case "path":
			r.seg = in
		case "query":
			r.query = in
		case "header":
			if strings.ContainsAny(in, "\r\n\x00") {
				t.Skip("not a header value")
			}
			r.headers = []string{in}
		case "cookie":
			if strings.ContainsAny(in, "\r\n\x00") {
				t.Skip("not a header value")
			}
			r.cookie = in
		}
		kinErr, panicked, ok := op.kinDecision(r)
		if !ok || panicked {
			t.Skip("not a path segment, or kin-openapi panicked")
		}
		if deliberateParamDifference(op.spec, kinErr) {
			t.Skip("a deliberate difference")
		}
		gwErr := op.gatewayDecision(r)
		if gwErr != nil && (strings.Contains(gwErr.Error(), "conflicts with") || strings.Contains(gwErr.Error(), "U+001F")) {
			t.Skip("deepObject keys kin-openapi reads in random order, or U+001F: deliberate differences")
		}
		if (kinErr == nil) != (gwErr == nil) {
			t.Errorf("%s\n  input %q\n  gateway: %v\n  kin-openapi: %v", op.spec, in, gwErr, kinErr)
		}
	})
}
