package apidef

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

// resource finds a resource of api, failing the test when it is missing.
func resource(t *testing.T, api gateway.API, path, method string) gateway.Resource {
	t.Helper()
	for _, r := range api.Resources {
		if r.Path == path && r.Method == method {
			return r
		}
	}
	t.Fatalf("no resource %s %s", method, path)
	return gateway.Resource{}
}

func wantEndpoint(t *testing.T, what string, got *gateway.Endpoint, typ, user string, urls ...string) {
	t.Helper()
	want := &gateway.Endpoint{Type: typ, URLs: urls, BasicAuthUsername: user}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s endpoint = %s, want %s", what, jsonString(got), jsonString(want))
	}
}

// Every MGW 3.x reference sample (what mgw import must take) either loads
// and converts, or fails with problems that name the unsupported feature.
func TestSamples(t *testing.T) {
	const lb, http, fo = gateway.EndpointLoadBalance, gateway.EndpointHTTP, gateway.EndpointFailover
	tests := []struct {
		file string
		// loadErr and problems list text each error must contain; both
		// empty means the sample converts cleanly.
		loadErr  []string
		problems []string
		check    func(t *testing.T, api gateway.API)
	}{
		{file: "mgw320-sample-cors_sample.yaml", check: func(t *testing.T, a gateway.API) {
			want := &gateway.CORS{Enabled: true, AllowOrigins: []string{"test.com", "example.com"},
				AllowHeaders: []string{"Authorization", "Content-Type"}, AllowMethods: []string{"GET", "PUT", "POST"}}
			if !reflect.DeepEqual(a.CORS, want) {
				t.Errorf("CORS = %s", jsonString(a.CORS))
			}
			wantEndpoint(t, "API production", a.Production, http, "", "https://petstore.swagger.io/v2")
		}},
		{file: "mgw320-sample-endpoint_by_reference_sample.yaml", check: func(t *testing.T, a gateway.API) {
			wantEndpoint(t, "API production", a.Production, lb, "roshan", "https://petstore.swagger.io/v2", "https://petstore.swagger.io/v5")
			r := resource(t, a, "/pet/findByStatus", "GET")
			wantEndpoint(t, "resource production", r.Production, lb, "rajith", "https://petstore.swagger.io/v3", "https://petstore.swagger.io/v4")
			if r := resource(t, a, "/pet/{petId}", "GET"); r.Production != nil {
				t.Error("/pet/{petId} should use the API endpoint")
			}
		}},
		// The Ballerina function names now name Go functions.
		{file: "mgw320-sample-interceptors_sample.yaml", check: func(t *testing.T, a gateway.API) {
			r := resource(t, a, "/pet/findByStatus", "GET")
			if r.RequestInterceptor != "validateRequest" || r.ResponseInterceptor != "validateResponse" {
				t.Errorf("interceptors %q, %q", r.RequestInterceptor, r.ResponseInterceptor)
			}
			if r := resource(t, a, "/pet/{petId}", "GET"); r.RequestInterceptor != "" || r.ResponseInterceptor != "" {
				t.Errorf("/pet/{petId} has interceptors %q, %q", r.RequestInterceptor, r.ResponseInterceptor)
			}
		}},
		{file: "mgw320-sample-per_resource_endpoint.yaml", check: func(t *testing.T, a gateway.API) {
			r := resource(t, a, "/pet/{petId}", "GET")
			wantEndpoint(t, "resource production", r.Production, http, "", "http://www.mocky.io/v2/5cd28b9a310000bf293397f9")
		}},
		{file: "mgw320-sample-petstore_basic.yaml", check: func(t *testing.T, a gateway.API) {
			if a.Name != "Swagger Petstore New" || a.Version != "1.0.0" || a.BasePath != "/petstore/v1" || len(a.Resources) != 2 {
				t.Errorf("unexpected API %s", jsonString(a))
			}
		}},
		// No x-wso2-* at all: as MGW 3.1+ does, servers give the base path
		// and the (load balanced) production backends.
		{file: "mgw320-sample-petstore_swagger3.yaml", check: func(t *testing.T, a gateway.API) {
			if a.BasePath != "/v2" || a.Context != "/v2" || len(a.Resources) != 20 {
				t.Errorf("base path %q, %d resources", a.BasePath, len(a.Resources))
			}
			wantEndpoint(t, "API production", a.Production, lb, "", "https://petstore.swagger.io/v2", "http://petstore.swagger.io/v2")
			if r := resource(t, a, "/pet", "POST"); !reflect.DeepEqual(r.Scopes, []string{"read:pets", "write:pets"}) {
				t.Errorf("scopes = %v", r.Scopes)
			}
		}},
		{file: "mgw320-sample-policies_sample.yaml", check: func(t *testing.T, a gateway.API) {
			if a.ThrottlingTier != "10kPerMin" || resource(t, a, "/pet/findByStatus", "GET").ThrottlingTier != "20kPerMin" ||
				resource(t, a, "/pet/{petId}", "GET").ThrottlingTier != "" {
				t.Errorf("tiers: %s", jsonString(a))
			}
		}},
		{file: "mgw320-sample-security_sample.yaml", check: func(t *testing.T, a gateway.API) {
			if s := resource(t, a, "/pet/{petId}", "GET").Scopes; !reflect.DeepEqual(s, []string{"read", "write"}) {
				t.Errorf("scopes = %v", s)
			}
			if s := resource(t, a, "/pet/findByStatus", "GET").Scopes; s != nil {
				t.Errorf("scopes = %v", s)
			}
		}},
		{file: "mgw320-test-openapi-common_api.yaml", check: func(t *testing.T, a gateway.API) {
			if a.ThrottlingTier != "15PerMin" {
				t.Errorf("API tier %q", a.ThrottlingTier)
			}
			wantEndpoint(t, "API sandbox", a.Sandbox, http, "", "https://localhost:2380/v2")
			post := resource(t, a, "/pet", "POST")
			if !reflect.DeepEqual(post.Scopes, []string{"write:petsNew"}) || post.DisableSecurity {
				t.Errorf("POST /pet = %s", jsonString(post))
			}
			put := resource(t, a, "/pet", "PUT")
			if !put.DisableSecurity || put.ThrottlingTier != "50kPerMin" || put.Sandbox == nil || put.Production != nil {
				t.Errorf("PUT /pet = %s", jsonString(put))
			}
			r := resource(t, a, "/pet/findByStatusNew", "GET")
			wantEndpoint(t, "resource production", r.Production, http, "", "https://localhost:2380/v1/pet/findByStatusNew?value1=foo&value2=bar")
		}},
		{file: "mgw320-test-openapi-endpoints-advance_config.yaml", problems: []string{
			"#/paths/~1circuitBreaker/get/x-wso2-production-endpoints/advanceEndpointConfig/circuitBreaker: circuitBreaker is not supported by mgw",
			"#/paths/~1retry/get/x-wso2-production-endpoints/advanceEndpointConfig/retryConfig: retryConfig is not supported by mgw",
		}},
		{file: "mgw320-test-openapi-endpoints-endpoint_override.yaml", check: func(t *testing.T, a gateway.API) {
			wantEndpoint(t, "API production", a.Production, http, "", "https://non.existant.host:2380/v1")
			r := resource(t, a, "/store/inventory", "GET")
			wantEndpoint(t, "resource production", r.Production, fo, "", "https://non.existant.host:2380/v1", "https://non.existant.host:2380/v2")
		}},
		{file: "mgw320-test-openapi-endpoints-endpoint_security.yaml", check: func(t *testing.T, a gateway.API) {
			wantEndpoint(t, "API production", a.Production, http, "admin", "https://localhost:2380/v2Basic")
		}},
		{file: "mgw320-test-openapi-endpoints-endpoints_by_reference.yaml", check: func(t *testing.T, a gateway.API) {
			if a.Production == nil || a.Sandbox == nil || a.Production == a.Sandbox {
				t.Error("both references must resolve to separate endpoints")
			}
		}},
		{file: "mgw320-test-openapi-endpoints-fail_over.yaml", check: func(t *testing.T, a gateway.API) {
			wantEndpoint(t, "API production", a.Production, fo, "", "https://non.existant.host.com:2380/v1", "https://localhost:2380/v2")
		}},
		{file: "mgw320-test-openapi-endpoints-load_balance.yaml", check: func(t *testing.T, a gateway.API) {
			wantEndpoint(t, "API production", a.Production, lb, "", "https://localhost:2380/v1", "https://localhost:2380/v2")
		}},
		{file: "mgw320-test-openapi-endpoints-resource_endpoints_only.yaml", check: func(t *testing.T, a gateway.API) {
			if a.Production != nil || a.Sandbox != nil {
				t.Error("the API has no endpoint of its own")
			}
			wantEndpoint(t, "resource production", resource(t, a, "/pet/findByStatus", "GET").Production, http, "", "https://localhost:2380/v1")
		}},
		// This one does not even parse as OpenAPI (security: [petstore_auth:[]]
		// is a string).
		{file: "mgw320-test-openapi-interceptor-interceptor.yaml", loadErr: []string{
			":293: #/paths/~1pet~1{petId}~1uploadImage/post/security/0: not a valid API definition",
		}},
		{file: "mgw320-test-openapi-jwtGeneration-jwt_generation.yaml", check: func(t *testing.T, a gateway.API) {
			if len(a.Resources) != 2 || a.Production == nil || a.Sandbox == nil {
				t.Errorf("unexpected API %s", jsonString(a))
			}
		}},
		{file: "mgw320-test-openapi-security-disable_security.yaml", check: func(t *testing.T, a gateway.API) {
			if a.AuthHeader != "auth" || a.DisableSecurity {
				t.Errorf("auth header %q, API security disabled %v", a.AuthHeader, a.DisableSecurity)
			}
			open, secured := resource(t, a, "/pet/findByStatus", "GET"), resource(t, a, "/pet/{petId}", "GET")
			if a.Secured(&open) || !a.Secured(&secured) {
				t.Error("the operation must override the API-level x-wso2-disable-security")
			}
		}},
		{file: "mgw320-test-openapi-throttling-throttle.yaml", check: func(t *testing.T, a gateway.API) {
			if tier := resource(t, a, "/store/order/{orderId}", "GET").ThrottlingTier; tier != "NonExistingPolicy" {
				t.Errorf("tier %q", tier)
			}
			// petstore_auth is not declared, so it gives no scopes.
			if s := resource(t, a, "/pet/{petId}", "GET").Scopes; s != nil {
				t.Errorf("scopes = %v", s)
			}
		}},
		{file: "mgw320-test-openapi-validation-validation_api.yaml", check: func(t *testing.T, a gateway.API) {
			if a.Name != "PetStoreAPI" || len(a.Resources) == 0 {
				t.Errorf("unexpected API %s", jsonString(a))
			}
		}},
	}
	files, err := filepath.Glob(filepath.Join("testdata", "mgw320", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(tests) {
		t.Errorf("%d sample files but %d table entries: list every sample", len(files), len(tests))
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", "mgw320", tt.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := Load(path, data)
			if len(tt.loadErr) > 0 {
				if err == nil {
					t.Fatal("Load succeeded, want an error")
				}
				for _, want := range tt.loadErr {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("Load error lacks %q:\n%v", want, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			api, problems := ToAPI(path, doc)
			all := Problems(problems).Error()
			if len(tt.problems) == 0 && len(problems) > 0 {
				t.Fatalf("problems:\n%s", all)
			}
			if len(problems) != len(tt.problems) {
				t.Errorf("got %d problems, want %d:\n%s", len(problems), len(tt.problems), all)
			}
			for _, want := range tt.problems {
				if !strings.Contains(all, path+": "+want) {
					t.Errorf("problems lack %q:\n%s", want, all)
				}
			}
			if tt.check != nil && len(problems) == 0 {
				tt.check(t, api)
			}
		})
	}
}
