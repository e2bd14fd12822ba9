package gateway

import (
	"errors"
	"strings"
	"testing"
)

func TestSpecValidate(t *testing.T) {
	ok := petstore("http://127.0.0.1:1")
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	bad := &Spec{APIs: []API{
		{Name: "A", Version: "1", BasePath: "/a", Resources: []Resource{
			{Path: "/x/{id}.json", Method: "GET"},
			{Path: "/y", Method: "get"},
			{Path: "/z/{id}", Method: "GET"},
			{Path: "/z/{other}", Method: "GET"},
			{Path: "/w/*/v", Method: "GET"},
		}, Transports: []string{"ftp"}, Production: &Endpoint{Type: "round_robin", URLs: []string{"http://x"}}},
		{Name: "B", Version: "1", BasePath: "/a", Production: &Endpoint{Type: EndpointHTTP, URLs: []string{"http://x", "http://y"}}},
		{Name: "C", Version: "1", BasePath: "/health"},
		{Name: "D", Version: "1", BasePath: "/", Resources: []Resource{{Path: "/{anything}", Method: "GET"}}},
		{Name: "E", Version: "1", BasePath: "/e/{v}", Sandbox: &Endpoint{URLs: []string{"//nohost"}}},
		{Name: "", Version: "1", BasePath: "/f"},
	}}
	err := bad.Validate()
	var se *SpecError
	if !errors.As(err, &se) {
		t.Fatalf("Validate = %v", err)
	}
	want := []string{
		`API A/1: transport "ftp" is not http or https`,
		`API A/1: resource /x/{id}.json: path template "/x/{id}.json": parameter in "{id}.json" must span the whole segment (e.g. /{id}, not /{id}.json)`,
		`API A/1: resource /y: "get" is not an upper-case HTTP method`,
		`API A/1: resource GET /z/{other} is defined twice (also as GET /z/{id})`,
		`API A/1: resource /w/*/v: path template "/w/*/v": * is only allowed as the last segment`,
		`API B/1: is served at /a, as is API A/1`,
		`API C/1: base path "/health" is reserved for the gateway's /health and /metrics endpoints`,
		`API E/1: base path: "/e/{v}" must not contain parameters or wildcards`,
		`API /1: name and version must not be empty`,
		`API D/1: resource /{anything} would answer /health, which the gateway serves itself; change the API's base path`,
		`API D/1: resource /{anything} would answer /metrics, which the gateway serves itself; change the API's base path`,
		`API A/1: production endpoint: type "round_robin" is not http, load_balance or failover`,
		`API B/1: production endpoint: type http takes one URL, not 2; use load_balance or failover`,
		`API E/1: sandbox endpoint: URL 1: "//nohost" must start with http:// or https://`,
	}
	if strings.Join(se.Problems, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(se.Problems, "\n"), strings.Join(want, "\n"))
	}
	if _, err := New(bad, testConfig(), nil); err == nil {
		t.Error("New accepted an invalid spec")
	}
}
