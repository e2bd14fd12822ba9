package apim

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseEndpointConfigShapes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		input string
		want  EndpointConfig
	}{
		{
			name:  "http (publisher example)",
			input: `{"production_endpoints":{"url":"https://localhost:9443/am/sample/pizzashack/v1/api/","config":null},"sandbox_endpoints":{"url":"https://localhost:9443/am/sample/pizzashack/v1/api/","config":null},"endpoint_type":"http"}`,
			want: EndpointConfig{EndpointType: "http",
				ProductionEndpoints: []EndpointURL{{URL: "https://localhost:9443/am/sample/pizzashack/v1/api/"}},
				SandboxEndpoints:    []EndpointURL{{URL: "https://localhost:9443/am/sample/pizzashack/v1/api/"}}},
		},
		{
			name:  "http production only, empty sandbox url",
			input: `{"production_endpoints":{"url":" http://backend:8080/v1 ","config":{"actionDuration":"30000"}},"sandbox_endpoints":{"url":"","config":null},"endpoint_type":"http"}`,
			want: EndpointConfig{EndpointType: "http",
				ProductionEndpoints: []EndpointURL{{URL: "http://backend:8080/v1", Config: map[string]interface{}{"actionDuration": "30000"}}}},
		},
		{
			name: "failover",
			input: `{"production_endpoints":{"url":"https://p1/"},"production_failovers":[{"url":"https://p2/"},{"url":"https://p3/"}],
			         "sandbox_endpoints":{"url":"https://s1/"},"sandbox_failovers":[],"endpoint_type":"failover"}`,
			want: EndpointConfig{EndpointType: "failover",
				ProductionEndpoints: []EndpointURL{{URL: "https://p1/"}},
				ProductionFailovers: []EndpointURL{{URL: "https://p2/"}, {URL: "https://p3/"}},
				SandboxEndpoints:    []EndpointURL{{URL: "https://s1/"}}},
		},
		{
			name: "load_balance",
			input: `{"algoCombo":"org.apache.synapse.endpoints.algorithms.RoundRobin","sessionManagement":"","sessionTimeOut":"",
			         "production_endpoints":[{"url":"https://a/"},{"url":"https://b/"}],"sandbox_endpoints":[{"url":"https://c/"}],
			         "algoClassName":"org.apache.synapse.endpoints.algorithms.RoundRobin","endpoint_type":"load_balance"}`,
			want: EndpointConfig{EndpointType: "load_balance", Algorithm: "org.apache.synapse.endpoints.algorithms.RoundRobin",
				ProductionEndpoints: []EndpointURL{{URL: "https://a/"}, {URL: "https://b/"}},
				SandboxEndpoints:    []EndpointURL{{URL: "https://c/"}}},
		},
		{
			name:  "type inferred from arrays",
			input: `{"production_endpoints":[{"url":"https://a/"},{"url":"https://b/"}]}`,
			want: EndpointConfig{EndpointType: "load_balance",
				ProductionEndpoints: []EndpointURL{{URL: "https://a/"}, {URL: "https://b/"}}},
		},
		{
			name:  "stale failovers of an http endpoint are dropped",
			input: `{"production_endpoints":{"url":"https://a/"},"production_failovers":[{"url":"https://old/"}],"endpoint_type":"http"}`,
			want:  EndpointConfig{EndpointType: "http", ProductionEndpoints: []EndpointURL{{URL: "https://a/"}}},
		},
	} {
		got, err := ParseEndpointConfig(tc.input)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseEndpointConfigErrors(t *testing.T) {
	tmpl := string(readFixture(t, "mgw260-test-endpointConfig-template.json")) // both URLs empty
	for _, tc := range []struct {
		input string
		want  string
	}{
		{"", "empty"},
		{`"https://a/"`, "expected a JSON object, got a string"},
		{tmpl, "no production or sandbox endpoint URL"},
		{`{"endpoint_type":"address","production_endpoints":{"url":"https://a/"}}`, "SOAP"},
		{`{"endpoint_type":"default","production_endpoints":{"url":"https://a/"}}`, `endpoint_type "default" is not supported`},
		{`{"endpoint_type":"http","production_endpoints":{"url":"ftp://a/"}}`, `production_endpoints.url "ftp://a/" is not an http or https URL`},
		{`{"endpoint_type":"http","production_endpoints":{"url":"https://"}}`, "has no host"},
		{`{"endpoint_type":"load_balance","production_endpoints":[{"url":"https://a/"},"https://b/"]}`, "production_endpoints[1] must be an object"},
		{`{"endpoint_type":"http","production_endpoints":[{"url":"https://a/"},{"url":"https://b/"}]}`, "use load_balance"},
		{`{"endpoint_type":"http","sandbox_endpoints":{"url":42}}`, "sandbox_endpoints is not a valid endpoint"},
		{`{"endpoint_type":7}`, `field "endpoint_type"`},
	} {
		_, err := ParseEndpointConfig(tc.input)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s:\n err = %v\nwant ErrMalformed mentioning %q", tc.input, err, tc.want)
		}
	}
}

func TestParseEndpointConfigHidesURLCredentials(t *testing.T) {
	_, err := ParseEndpointConfig(`{"endpoint_type":"http","production_endpoints":{"url":"ftp://user:s3cret@backend/x"}}`)
	if err == nil {
		t.Fatal("an ftp URL was accepted")
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "//***@backend") {
		t.Fatalf("credentials not hidden: %v", err)
	}
}
