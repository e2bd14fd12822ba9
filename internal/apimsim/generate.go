package apimsim

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mgwio/mgw/pkg/apim"
)

// Labels with generated data or special behaviour (see the package doc).
const (
	labelBig           = "big"
	labelHostile       = "hostile"
	labelBrokenJSON    = "broken-json"
	labelBadDefinition = "bad-definition"
	labelBadEndpoint   = "bad-endpoint"
	labelFlaky         = "flaky"
	labelSlow          = "slow"
	labelDrop          = "drop"
)

// BigLabelSize is the number of APIs of the "big" label.
const BigLabelSize = 1200

// Names of the broken APIs of the bad-definition and bad-endpoint labels.
const (
	BrokenDefinitionAPI = "BrokenDefinitionAPI"
	BrokenEndpointAPI   = "BrokenEndpointAPI"
)

// specialAPIs returns the generated APIs of the special labels.
func specialAPIs() []apim.API {
	var apis []apim.API
	for i := 1; i <= BigLabelSize; i++ {
		apis = append(apis, smallAPI(genID(1, i), fmt.Sprintf("BigAPI%04d", i), "1.0.0", fmt.Sprintf("/big/%04d", i), labelBig))
	}
	apis = append(apis, hostileAPIs()...)
	for j, label := range []string{labelBrokenJSON, labelFlaky, labelSlow, labelDrop} {
		for i := 1; i <= 3; i++ {
			name := fmt.Sprintf("%sAPI%d", camel(label), i)
			apis = append(apis, smallAPI(genID(3+j, i), name, "1.0.0", fmt.Sprintf("/%s/%d", label, i), label))
		}
	}

	apis = append(apis, smallAPI(genID(7, 1), "GoodDefinitionAPI", "1.0.0", "/good-definition", labelBadDefinition))
	broken := smallAPI(genID(7, 2), BrokenDefinitionAPI, "1.0.0", "/broken-definition", labelBadDefinition)
	// Cut off in the middle of the document: not JSON, so not Swagger.
	broken.APIDefinition = `{"swagger":"2.0","info":{"title":"BrokenDefinitionAPI","version":"1.0.0"},"paths":{"/x":{"get":{"responses":{"200":`
	apis = append(apis, broken)

	apis = append(apis, smallAPI(genID(8, 1), "GoodEndpointAPI", "1.0.0", "/good-endpoint", labelBadEndpoint))
	badEP := smallAPI(genID(8, 2), BrokenEndpointAPI, "1.0.0", "/broken-endpoint", labelBadEndpoint)
	badEP.EndpointConfig = `{"production_endpoints":{"url":"http://127.0.0.1:8280/broken","config":null},"endpoint_type":`
	apis = append(apis, badEP)
	return apis
}

// genID returns a fixed, valid UUID for generated API i of group g.
func genID(g, i int) string {
	return fmt.Sprintf("00000000-0000-4000-8%03d-%012d", g, i)
}

// camel turns "broken-json" into "BrokenJson".
func camel(s string) string {
	out := make([]byte, 0, len(s))
	up := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '-' {
			up = true
			continue
		}
		if up && c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		up = false
		out = append(out, c)
	}
	return string(out)
}

// smallAPI returns a published API DTO with one secured GET resource and an
// http endpoint on 127.0.0.1:8280.
func smallAPI(id, name, version, context, label string) apim.API {
	def := swagger2(name, version, map[string]any{
		"/": map[string]any{"get": operation("Application & Application User", "Unlimited", "")},
	})
	return dto(id, name, version, context, label, "Generated API "+name+".", def,
		httpEndpoint("http://127.0.0.1:8280"+context, ""))
}

// dto fills the fields API Manager always returns.
func dto(id, name, version, context, label, description, definition, endpointConfig string) apim.API {
	return apim.API{
		ID:                  id,
		Name:                name,
		Description:         description,
		Context:             context,
		Version:             version,
		Provider:            "admin",
		Status:              "PUBLISHED",
		APIDefinition:       definition,
		ResponseCaching:     "Disabled",
		CacheTimeout:        300,
		Type:                "HTTP",
		Transport:           []string{"http", "https"},
		Tiers:               []string{"Unlimited"},
		Visibility:          "PUBLIC",
		EndpointConfig:      endpointConfig,
		GatewayEnvironments: "Production and Sandbox",
		Labels:              []apim.Label{{Name: label, Description: "Label " + label}},
		AccessControl:       "NONE",
		CORSConfiguration: &apim.CORSConfiguration{
			AccessControlAllowOrigins: []string{"*"},
			AccessControlAllowHeaders: []string{"authorization", "Access-Control-Allow-Origin", "Content-Type", "SOAPAction"},
			AccessControlAllowMethods: []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"},
		},
	}
}

// swagger2 returns a Swagger 2 definition as API Manager stores it.
func swagger2(title, version string, paths map[string]any) string {
	return mustJSON(map[string]any{
		"swagger": "2.0",
		"info":    map[string]any{"title": title, "version": version},
		"paths":   paths,
	})
}

// operation returns a Swagger operation with API Manager's extensions.
func operation(authType, tier, scope string) map[string]any {
	op := map[string]any{
		"x-auth-type":       authType,
		"x-throttling-tier": tier,
		"parameters":        []any{},
		"responses":         map[string]any{"200": map[string]any{"description": "OK"}},
	}
	if scope != "" {
		op["x-scope"] = scope
	}
	return op
}

// httpEndpoint returns an "http" endpointConfig; sandbox may be empty.
func httpEndpoint(prod, sandbox string) string {
	cfg := map[string]any{
		"endpoint_type":        "http",
		"production_endpoints": map[string]any{"url": prod, "config": nil},
	}
	if sandbox != "" {
		cfg["sandbox_endpoints"] = map[string]any{"url": sandbox, "config": nil}
	}
	return mustJSON(cfg)
}

// mustJSON encodes values built in this package from maps, slices and
// strings, which cannot fail to encode.
func mustJSON(v any) string {
	data, err := encodeJSON(v)
	if err != nil {
		panic(fmt.Sprintf("apimsim: encode generated data: %v", err))
	}
	return string(data)
}

// encodeJSON encodes v compactly without escaping <, > and &, as the real
// server's Jackson does.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
