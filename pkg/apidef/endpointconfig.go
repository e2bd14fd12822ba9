package apidef

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// parseEndpointConfig decodes the API Manager's endpointConfig JSON string.
// production_endpoints and sandbox_endpoints are single objects for "http"
// and "failover" and arrays for "load_balance"; both shapes are accepted
// everywhere. Unknown fields are ignored (the API Manager adds many).
//
// It stands in for apim.ParseEndpointConfig until that exists.
func parseEndpointConfig(s string) (apim.EndpointConfig, error) {
	var raw struct {
		EndpointType        string          `json:"endpoint_type"`
		ProductionEndpoints json.RawMessage `json:"production_endpoints"`
		SandboxEndpoints    json.RawMessage `json:"sandbox_endpoints"`
		ProductionFailovers json.RawMessage `json:"production_failovers"`
		SandboxFailovers    json.RawMessage `json:"sandbox_failovers"`
		Algorithm           string          `json:"algoCombo"`
	}
	if strings.TrimSpace(s) == "" {
		return apim.EndpointConfig{}, fmt.Errorf("endpointConfig is empty; configure the API's endpoints in the API Manager Publisher")
	}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return apim.EndpointConfig{}, fmt.Errorf("endpointConfig is not a JSON object: %v", err)
	}
	ec := apim.EndpointConfig{EndpointType: raw.EndpointType, Algorithm: raw.Algorithm}
	fields := []struct {
		name string
		raw  json.RawMessage
		dst  *[]apim.EndpointURL
	}{
		{"production_endpoints", raw.ProductionEndpoints, &ec.ProductionEndpoints},
		{"sandbox_endpoints", raw.SandboxEndpoints, &ec.SandboxEndpoints},
		{"production_failovers", raw.ProductionFailovers, &ec.ProductionFailovers},
		{"sandbox_failovers", raw.SandboxFailovers, &ec.SandboxFailovers},
	}
	for _, f := range fields {
		urls, err := endpointURLs(f.raw)
		if err != nil {
			return apim.EndpointConfig{}, fmt.Errorf("endpointConfig %s: %v", f.name, err)
		}
		*f.dst = urls
	}
	return ec, nil
}

// endpointURLs decodes null, one {"url": …} object or an array of them.
func endpointURLs(raw json.RawMessage) ([]apim.EndpointURL, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return nil, nil
	}
	if raw[0] == '[' {
		var list []apim.EndpointURL
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("expected a list of {\"url\": …} objects: %v", err)
		}
		return list, nil
	}
	var one apim.EndpointURL
	if err := json.Unmarshal(raw, &one); err != nil {
		return nil, fmt.Errorf("expected a {\"url\": …} object: %v", err)
	}
	return []apim.EndpointURL{one}, nil
}
