package apidef

import (
	"reflect"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/gateway"
)

// shopResources are the operations of testdata/apim/shop-swagger.json as
// the API Manager 2.6 enforces them: scopes from x-scope only (the
// definition's own security requirements are not enforced), x-auth-type
// None unsecured.
func shopResources() []gateway.Resource {
	return []gateway.Resource{
		{Path: "/items", Method: "GET", OperationID: "listItems", AuthType: "Application & Application User", ThrottlingTier: "Unlimited"},
		{Path: "/items", Method: "POST", OperationID: "addItem", AuthType: "Application", ThrottlingTier: "10PerMin", Scopes: []string{"items:write"}},
		{Path: "/items/{id}", Method: "DELETE", OperationID: "deleteItem", AuthType: "Application User", ThrottlingTier: "Gold", Scopes: []string{"items:admin"}},
		{Path: "/items/{id}", Method: "GET", OperationID: "getItem", AuthType: "None", DisableSecurity: true, ThrottlingTier: "Unlimited"},
	}
}

// shop is the gateway.API of the shop fixtures before the per-case changes.
func shop(change func(*gateway.API)) gateway.API {
	api := gateway.API{
		Name: "Shop", Version: "1.0.0", Context: "/shop", BasePath: "/shop/1.0.0",
		Provider: "admin", Transports: []string{"http", "https"},
		SubscriptionTiers: []string{"5min", "Unlimited"},
		Resources:         shopResources(),
	}
	change(&api)
	return api
}

func httpEndpoint(url string) *gateway.Endpoint {
	return &gateway.Endpoint{Type: gateway.EndpointHTTP, URLs: []string{url}}
}

func TestRoundTripFromPublisher(t *testing.T) {
	pizzaURL := "https://localhost:9443/am/sample/pizzashack/v1/api/"
	pizzaOp := func(path, method string) gateway.Resource {
		return gateway.Resource{Path: path, Method: method, AuthType: "Application & Application User", ThrottlingTier: "Unlimited"}
	}
	tests := []struct {
		fixture string
		want    gateway.API
	}{
		{"http", gateway.API{
			Name: "PizzaShackAPI", Version: "1.0.0", Context: "/pizzashack", BasePath: "/pizzashack/1.0.0",
			Provider: "admin", Transports: []string{"http", "https"}, SubscriptionTiers: []string{"5min", "Unlimited"},
			Production: httpEndpoint(pizzaURL), Sandbox: httpEndpoint(pizzaURL),
			Resources: []gateway.Resource{
				pizzaOp("/menu", "GET"),
				{Path: "/noauth", Method: "GET", AuthType: "None", DisableSecurity: true, ThrottlingTier: "Unlimited"},
				pizzaOp("/order", "POST"),
				pizzaOp("/order/{orderId}", "DELETE"),
				pizzaOp("/order/{orderId}", "GET"),
				pizzaOp("/order/{orderId}", "PUT"),
			},
		}},
		{"load_balance", shop(func(a *gateway.API) {
			a.Production = &gateway.Endpoint{Type: gateway.EndpointLoadBalance, URLs: []string{"https://shop-a.example.com/api", "https://shop-b.example.com/api"}}
			a.Sandbox = &gateway.Endpoint{Type: gateway.EndpointLoadBalance, URLs: []string{"http://shop-test.example.com:8080/api"}}
		})},
		{"failover", shop(func(a *gateway.API) {
			a.Production = &gateway.Endpoint{Type: gateway.EndpointFailover, URLs: []string{"https://primary.example.com/api", "https://backup1.example.com/api", "https://backup2.example.com/api"}}
			a.Sandbox = &gateway.Endpoint{Type: gateway.EndpointFailover, URLs: []string{"https://sandbox.example.com/api", "https://sandbox2.example.com/api"}}
		})},
		{"sandbox_only", shop(func(a *gateway.API) {
			a.Sandbox = httpEndpoint("https://sandbox.example.com/api")
		})},
		{"default_version", shop(func(a *gateway.API) {
			a.BasePath = "/1.0.0/shop"
			a.Context = "/shop"
			a.IsDefaultVersion = true
			a.Transports = []string{"https"}
			a.Production = httpEndpoint("https://shop.example.com/api")
		})},
		{"cors", shop(func(a *gateway.API) {
			a.Production = httpEndpoint("https://shop.example.com/api")
			a.CORS = &gateway.CORS{
				Enabled:          true,
				AllowOrigins:     []string{"https://shop.example.com", "https://admin.example.com"},
				AllowMethods:     []string{"GET", "POST", "DELETE", "OPTIONS"},
				AllowHeaders:     []string{"authorization", "Content-Type"},
				AllowCredentials: true,
			}
		})},
		{"auth_header", shop(func(a *gateway.API) {
			a.Production = httpEndpoint("https://shop.example.com/api")
			a.AuthHeader = "X-Shop-Auth"
		})},
		{"endpoint_security", shop(func(a *gateway.API) {
			a.Production = &gateway.Endpoint{Type: gateway.EndpointHTTP, URLs: []string{"https://shop.example.com/api"}, BasicAuthUsername: "backend-user"}
			a.Sandbox = &gateway.Endpoint{Type: gateway.EndpointHTTP, URLs: []string{"https://sandbox.example.com/api"}, BasicAuthUsername: "backend-user"}
		})},
		{"api_level_policy", shop(func(a *gateway.API) {
			a.Production = httpEndpoint("https://shop.example.com/api")
			a.ThrottlingTier = "Gold-API"
		})},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			dto := readDTO(t, tt.fixture)
			got, out := throughWorkspace(t, dto)
			got = withoutSchemas(got) // compiled schemas have their own tests
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("gateway.API differs\n got: %s\nwant: %s\nworkspace file:\n%s", jsonString(got), jsonString(tt.want), out)
			}
			// The document in memory says the same as the file.
			doc, err := FromPublisher(dto)
			if err != nil {
				t.Fatal(err)
			}
			direct, problems := ToAPI("memory", doc)
			direct = withoutSchemas(direct)
			if len(problems) > 0 || !reflect.DeepEqual(direct, tt.want) {
				t.Errorf("ToAPI on the in-memory document: %v\n%s", problems, jsonString(direct))
			}
			if p := dto.EndpointSecurity; p != nil && p.Password != "" && strings.Contains(string(out), p.Password) {
				t.Errorf("the backend password reached the workspace file")
			}
		})
	}
}

// The workspace file carries the API Manager's data as MGW 3.x extensions.
func TestFromPublisherExtensions(t *testing.T) {
	doc, err := FromPublisher(readDTO(t, "endpoint_security"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{
		"# " + SetupHeader + "\nopenapi: 3.0.3\ninfo:\n",
		"x-wso2-basePath: /shop/1.0.0\n",
		"x-wso2-context: /shop\n",
		"x-wso2-owner: admin\n",
		"x-wso2-api-id: 7c5ad6b1-2b1c-4f0e-9f7e-1b2c3d4e5f60\n",
		"x-wso2-production-endpoints:\n  securityConfig:\n    type: basic\n    username: backend-user\n  urls:\n    - https://shop.example.com/api\n",
		"x-wso2-transports:\n  - http\n  - https\n",
		// x-scope became a requirement on the "default" scheme...
		"security:\n        - default:\n            - items:write\n",
		// ...whose scopes carry the API Manager's descriptions.
		"    default:\n      flows:\n        implicit:\n          authorizationUrl: https://test.com\n          scopes:\n            items:admin: Admin items\n            items:write: Create items\n      type: oauth2\n",
		"x-auth-type: None\n",
		"x-wso2-disable-security: true\n",
		"x-throttling-tier: Gold\n      x-wso2-throttling-tier: Gold\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the workspace file lacks %q\n%s", want, text)
		}
	}
	for _, bad := range []string{"s3cr3t", "password", "servers:", "apim.example.com:8243", "shop_auth:\n            - admin"} {
		if strings.Contains(text, bad) {
			t.Errorf("the workspace file contains %q\n%s", bad, text)
		}
	}
}
