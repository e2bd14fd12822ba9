package apidef

import (
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// endpointsFromConfig converts an endpointConfig to MGW 3.x endpoints.
func endpointsFromConfig(ec apim.EndpointConfig, sec *apim.EndpointSecurity) (prod, sand *mgwEndpoint, err error) {
	var typ string
	switch ec.EndpointType {
	case "http":
	case "load_balance":
		typ = "load_balance"
	case "failover":
		typ = "failover"
	case "address", "wsdl", "soap":
		return nil, nil, fmt.Errorf("endpoint type %q (SOAP) is not supported by mgw; use an HTTP/REST endpoint", ec.EndpointType)
	case "default":
		return nil, nil, fmt.Errorf("endpoint type %q (dynamic endpoint chosen by a mediation sequence) is not supported by mgw; use an HTTP endpoint", ec.EndpointType)
	case "":
		return nil, nil, fmt.Errorf("endpointConfig has no endpoint_type; expected http, load_balance or failover")
	default:
		return nil, nil, fmt.Errorf("endpoint type %q is not supported by mgw; use http, load_balance or failover", ec.EndpointType)
	}
	secCfg, err := endpointSecurity(sec)
	if err != nil {
		return nil, nil, err
	}
	build := func(env string, primary, failovers []apim.EndpointURL) (*mgwEndpoint, error) {
		var urls []string
		for _, list := range [][]apim.EndpointURL{primary, failovers} {
			for _, u := range list {
				if u.URL == "" {
					continue
				}
				if err := checkEndpointURL(u.URL); err != nil {
					return nil, fmt.Errorf("%s endpoint: %w", env, err)
				}
				urls = append(urls, u.URL)
			}
		}
		if len(urls) == 0 {
			return nil, nil
		}
		if typ == "" && len(urls) > 1 {
			return nil, fmt.Errorf("%s endpoint: endpoint type http has %d URLs; use load_balance or failover for several", env, len(urls))
		}
		return &mgwEndpoint{URLs: urls, Type: typ, SecurityConfig: secCfg}, nil
	}
	if prod, err = build("production", ec.ProductionEndpoints, ec.ProductionFailovers); err != nil {
		return nil, nil, err
	}
	if sand, err = build("sandbox", ec.SandboxEndpoints, ec.SandboxFailovers); err != nil {
		return nil, nil, err
	}
	if prod == nil && sand == nil {
		return nil, nil, fmt.Errorf("endpointConfig has no production or sandbox URL; set an endpoint in the Publisher")
	}
	return prod, sand, nil
}

// endpointSecurity converts the API's backend credentials. The password is
// never carried: it is deploy-time configuration.
func endpointSecurity(sec *apim.EndpointSecurity) (*mgwEndpointSecurity, error) {
	if sec == nil || (sec.Type == "" && sec.Username == "") {
		return nil, nil
	}
	if !strings.EqualFold(sec.Type, "basic") {
		return nil, fmt.Errorf("endpoint security type %q is not supported by mgw; use basic", sec.Type)
	}
	if sec.Username == "" {
		return nil, fmt.Errorf("endpoint security is basic but has no username; set the backend user in the Publisher")
	}
	if err := checkText("endpoint security username", sec.Username); err != nil {
		return nil, err
	}
	return &mgwEndpointSecurity{Type: "basic", Username: sec.Username}, nil
}
