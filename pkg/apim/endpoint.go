package apim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// Endpoint types of an endpointConfig that mgw supports.
const (
	EndpointTypeHTTP        = "http"
	EndpointTypeFailover    = "failover"
	EndpointTypeLoadBalance = "load_balance"
)

// rawEndpointConfig keeps the endpoint members raw: they are a single
// object for http and failover, an array for load_balance.
type rawEndpointConfig struct {
	EndpointType        *string         `json:"endpoint_type"`
	ProductionEndpoints json.RawMessage `json:"production_endpoints"`
	SandboxEndpoints    json.RawMessage `json:"sandbox_endpoints"`
	ProductionFailovers json.RawMessage `json:"production_failovers"`
	SandboxFailovers    json.RawMessage `json:"sandbox_failovers"`
	AlgoCombo           json.RawMessage `json:"algoCombo"`
}

// ParseEndpointConfig decodes an API's endpointConfig (the JSON text the
// Publisher stores) into an EndpointConfig. It accepts the http/failover
// shape (production_endpoints and sandbox_endpoints are objects) and the
// load_balance shape (arrays), drops entries with an empty url, and checks
// that every URL is an absolute http or https URL. A missing endpoint_type
// is inferred from the shape. Failovers are kept only for "failover" and
// the algorithm only for "load_balance".
func ParseEndpointConfig(s string) (EndpointConfig, error) {
	const what = "endpointConfig"
	var raw rawEndpointConfig
	if err := decodeObject([]byte(s), what, &raw); err != nil {
		return EndpointConfig{}, err
	}
	bad := func(format string, args ...any) error {
		return &DecodeError{What: what, Problem: fmt.Sprintf(format, args...)}
	}
	prod, prodArray, err := parseEndpointList(raw.ProductionEndpoints, "production_endpoints")
	if err != nil {
		return EndpointConfig{}, err
	}
	sand, sandArray, err := parseEndpointList(raw.SandboxEndpoints, "sandbox_endpoints")
	if err != nil {
		return EndpointConfig{}, err
	}
	prodFail, _, err := parseEndpointList(raw.ProductionFailovers, "production_failovers")
	if err != nil {
		return EndpointConfig{}, err
	}
	sandFail, _, err := parseEndpointList(raw.SandboxFailovers, "sandbox_failovers")
	if err != nil {
		return EndpointConfig{}, err
	}

	typ := ""
	if raw.EndpointType != nil {
		typ = strings.TrimSpace(*raw.EndpointType)
	}
	switch {
	case typ != "":
	case prodArray || sandArray:
		typ = EndpointTypeLoadBalance
	case len(prodFail) > 0 || len(sandFail) > 0:
		typ = EndpointTypeFailover
	default:
		typ = EndpointTypeHTTP
	}

	out := EndpointConfig{EndpointType: typ, ProductionEndpoints: prod, SandboxEndpoints: sand}
	switch typ {
	case EndpointTypeHTTP, EndpointTypeFailover:
		if len(prod) > 1 || len(sand) > 1 {
			return EndpointConfig{}, bad("endpoint_type %q takes one production and one sandbox endpoint, got %d and %d; use load_balance for several",
				typ, len(prod), len(sand))
		}
		if typ == EndpointTypeFailover {
			out.ProductionFailovers = prodFail
			out.SandboxFailovers = sandFail
		}
	case EndpointTypeLoadBalance:
		var algo string
		if json.Unmarshal(raw.AlgoCombo, &algo) == nil {
			out.Algorithm = algo
		}
	case "address":
		return EndpointConfig{}, bad("endpoint_type \"address\" (SOAP endpoint) is not supported: mgw supports http, failover and load_balance")
	default:
		return EndpointConfig{}, bad("endpoint_type %q is not supported: mgw supports http, failover and load_balance", typ)
	}
	if len(out.ProductionEndpoints) == 0 && len(out.SandboxEndpoints) == 0 {
		return EndpointConfig{}, bad("there is no production or sandbox endpoint URL; set one in the API Manager's Publisher")
	}
	return out, nil
}

// parseEndpointList accepts null, one endpoint object or an array of them
// and reports whether it was an array.
func parseEndpointList(raw json.RawMessage, field string) ([]EndpointURL, bool, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, false, nil
	}
	var items []json.RawMessage
	isArray := raw[0] == '['
	if isArray {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, true, &DecodeError{What: "endpointConfig", Problem: fmt.Sprintf("%s is not an array of endpoints: %s", field, trimJSONPrefix(err.Error()))}
		}
	} else {
		items = []json.RawMessage{raw}
	}
	var out []EndpointURL
	for i, item := range items {
		name := field
		if isArray {
			name = fmt.Sprintf("%s[%d]", field, i)
		}
		item = bytes.TrimSpace(item)
		if len(item) == 0 || item[0] != '{' {
			return nil, isArray, &DecodeError{What: "endpointConfig", Problem: fmt.Sprintf("%s must be an object like {\"url\": \"https://backend:8443/\"}", name)}
		}
		var ep EndpointURL
		if err := json.Unmarshal(item, &ep); err != nil {
			return nil, isArray, &DecodeError{What: "endpointConfig", Problem: fmt.Sprintf("%s is not a valid endpoint: %s", name, trimJSONPrefix(err.Error()))}
		}
		ep.URL = strings.TrimSpace(ep.URL)
		if ep.URL == "" {
			continue
		}
		if problem := checkEndpointURL(ep.URL); problem != "" {
			return nil, isArray, &DecodeError{What: "endpointConfig", Problem: fmt.Sprintf("%s.url %q %s", name, redactURL(ep.URL), problem)}
		}
		if len(ep.Config) == 0 {
			ep.Config = nil
		}
		out = append(out, ep)
	}
	return out, isArray, nil
}

// userinfoRE finds the user:password@ part of a URL, parseable or not.
var userinfoRE = regexp.MustCompile(`//[^/@]*@`)

// redactURL hides credentials embedded in a backend URL before it is shown.
func redactURL(s string) string {
	return userinfoRE.ReplaceAllString(s, "//***@")
}

// checkEndpointURL returns what is wrong with a backend URL, or "".
func checkEndpointURL(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return "is not a valid URL"
	case !strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https"):
		return "is not an http or https URL"
	case u.Host == "":
		return "has no host"
	}
	return ""
}
