package apim

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// The fuzz targets check that decoders never panic, that every failure is
// an ErrMalformed *DecodeError, and that what they accept is stable: the
// decoded value, encoded again, decodes to the same value.

func FuzzDecodeAPIList(f *testing.F) {
	f.Add(readFixture(f, "mgw260-test-publisher-api-list-envelope.json"))
	api := filledTemplate(f)
	f.Add([]byte(`{"count":1,"next":"","previous":"","list":[` + string(api) + `],"pagination":{"offset":0,"limit":25,"total":1}}`))
	f.Add([]byte(`{"count":2,"list":[{"name":"a","version":"1"},{"name":"b","version":"2","transport":"x"}]}`))
	f.Add([]byte(`{"count":-1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodeAPIList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		again, err := DecodeAPIList(mustJSON(t, list))
		if err != nil {
			t.Fatalf("re-decoding an accepted list: %v", err)
		}
		if !bytes.Equal(mustJSON(t, list), mustJSON(t, again)) {
			t.Fatalf("list changed on a round trip")
		}
	})
}

func FuzzDecodeAPI(f *testing.F) {
	f.Add(filledTemplate(f))
	f.Add(readFixture(f, "mgw260-test-publisher-api-dto-template.json"))
	f.Add([]byte(`{"name":"A","version":"1","corsConfiguration":{"accessControlAllowOrigins":"*"}}`))
	f.Add([]byte(`{"name":"A","version":"1"} x`))
	f.Fuzz(func(t *testing.T, data []byte) {
		api, err := DecodeAPI(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if api.Name == "" || api.Version == "" {
			t.Fatalf("accepted an API without name or version")
		}
		again, err := DecodeAPI(mustJSON(t, api))
		if err != nil {
			t.Fatalf("re-decoding an accepted API: %v", err)
		}
		if !bytes.Equal(mustJSON(t, api), mustJSON(t, again)) {
			t.Fatalf("API changed on a round trip")
		}
	})
}

func FuzzDecodePolicy(f *testing.F) {
	f.Add([]byte(advancedPolicyJSON))
	f.Add([]byte(`{"policyName":"x","conditionalGroups":[{"conditions":[{"type":"JWTClaimsCondition","claimUrl":"u","attribute":"a"}],"limit":null}]}`))
	f.Add([]byte(`{"policyName":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodePolicy(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if p.PolicyName == "" {
			t.Fatalf("accepted a policy without a name")
		}
		again, err := DecodePolicy(mustJSON(t, p))
		if err != nil {
			t.Fatalf("re-decoding an accepted policy: %v", err)
		}
		if !bytes.Equal(mustJSON(t, p), mustJSON(t, again)) {
			t.Fatalf("policy changed on a round trip")
		}
	})
}

func FuzzDecodePolicyList(f *testing.F) {
	f.Add(readFixture(f, "mgw260-test-admin-application-policies.json"))
	f.Add(readFixture(f, "mgw260-test-admin-subscription-policies.json"))
	f.Add([]byte(`{"count":1,"list":[{"policyName":"B","defaultLimit":{"type":"BandwidthLimit","timeUnit":"min","unitTime":1,"dataAmount":1,"dataUnit":"MB"}}]}`))
	f.Add([]byte(`{"list":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodePolicyList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		for _, p := range list.List {
			if p.PolicyName == "" {
				t.Fatalf("accepted a policy without a name")
			}
		}
		again, err := DecodePolicyList(mustJSON(t, list))
		if err != nil {
			t.Fatalf("re-decoding an accepted list: %v", err)
		}
		if !bytes.Equal(mustJSON(t, list), mustJSON(t, again)) {
			t.Fatalf("policy list changed on a round trip")
		}
	})
}

func FuzzParseEndpointConfig(f *testing.F) {
	f.Add(string(readFixture(f, "mgw260-test-endpointConfig-template.json")))
	f.Add(`{"production_endpoints":{"url":"https://a/","config":null},"sandbox_endpoints":{"url":"http://b:80/x","config":{"k":1}},"endpoint_type":"http"}`)
	f.Add(`{"production_endpoints":{"url":"https://p/"},"production_failovers":[{"url":"https://f/"}],"endpoint_type":"failover"}`)
	f.Add(`{"algoCombo":"rr","production_endpoints":[{"url":"https://a/"},{"url":"https://b/"}],"endpoint_type":"load_balance"}`)
	f.Add(`{"endpoint_type":"address","production_endpoints":{"url":"https://a/"}}`)
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := ParseEndpointConfig(s)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if len(cfg.ProductionEndpoints)+len(cfg.SandboxEndpoints) == 0 {
			t.Fatalf("accepted a config without endpoints")
		}
		for _, list := range [][]EndpointURL{cfg.ProductionEndpoints, cfg.SandboxEndpoints, cfg.ProductionFailovers, cfg.SandboxFailovers} {
			for _, ep := range list {
				if checkEndpointURL(ep.URL) != "" {
					t.Fatalf("accepted bad URL %q", ep.URL)
				}
			}
		}
		again, err := ParseEndpointConfig(string(mustJSON(t, cfg)))
		if err != nil {
			t.Fatalf("re-parsing a normalized config: %v", err)
		}
		if !reflect.DeepEqual(cfg, again) {
			t.Fatalf("config changed on a round trip:\n%+v\n%+v", cfg, again)
		}
	})
}

func checkDecodeError(t *testing.T, err error) {
	t.Helper()
	var de *DecodeError
	if !errors.Is(err, ErrMalformed) || !errors.As(err, &de) || de.Problem == "" || de.What == "" {
		t.Fatalf("error is not a complete *DecodeError: %T %v", err, err)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// filledTemplate is the Publisher DTO fixture with its placeholders set.
func filledTemplate(t testing.TB) []byte {
	var m map[string]any
	if err := json.Unmarshal(readFixture(t, "mgw260-test-publisher-api-dto-template.json"), &m); err != nil {
		t.Fatal(err)
	}
	m["name"], m["version"], m["context"], m["provider"] = "PizzaShackAPI", "1.0.0", "/pizzashack", "admin"
	m["apiDefinition"] = string(readFixture(t, "mgw260-test-api-definition-pizzashack-swagger.json"))
	m["endpointConfig"] = `{"production_endpoints":{"url":"https://localhost:9443/am/sample/pizzashack/v1/api/","config":null},"endpoint_type":"http"}`
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
