package deploy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway"
)

func testSpec(defaultConfig string) *gateway.Spec {
	return &gateway.Spec{
		Label: "shop",
		APIs: []gateway.API{
			{
				Name: "Orders", Version: "2.0", Context: "/orders", BasePath: "/orders/2.0",
				Production: &gateway.Endpoint{Type: "http", URLs: []string{"http://orders:8080"}, BasicAuthUsername: "gw"},
				Resources:  []gateway.Resource{{Path: "/", Method: "GET"}},
			},
			{
				Name: "Pizza Shack", Version: "1.0.0", Context: "/pizza", BasePath: "/pizza/1.0.0",
				Production: &gateway.Endpoint{Type: "http", URLs: []string{"http://pizza:8080"}},
				Sandbox:    &gateway.Endpoint{Type: "http", URLs: []string{"http://pizza-sb:8080"}},
				Resources: []gateway.Resource{
					{Path: "/menu", Method: "GET", Sandbox: &gateway.Endpoint{Type: "http", URLs: []string{"http://menu"}, BasicAuthUsername: "m"}},
				},
			},
		},
		DefaultConfig: defaultConfig,
	}
}

func TestInputsForDefaults(t *testing.T) {
	in, err := InputsFor(testSpec(""), "mgw/shop:1")
	if err != nil {
		t.Fatal(err)
	}
	want := Inputs{
		Label:         "shop",
		Image:         "mgw/shop:1",
		APIs:          []string{"Orders/2.0", "Pizza Shack/1.0.0"},
		HTTPEnabled:   true,
		HTTPPort:      9090,
		HTTPSPort:     9095,
		ShutdownGrace: 30 * time.Second,
		SecretEnv: []string{
			"MGW_API_ORDERS_2_0_PRODUCTION_PASSWORD",
			"MGW_API_PIZZA_SHACK_1_0_0_SANDBOX_PASSWORD",
			"MGW_KM_PASSWORD",
			"MGW_REDIS_URL",
		},
	}
	if !equalInputs(in, want) {
		t.Errorf("got  %+v\nwant %+v", in, want)
	}
}

// TestInputsForCompiledConfig: the compiled-in gateway.yaml decides
// ports, TLS, drain and analytics, and password_file paths that exist
// only in the pod, or an analytics password that is only given there, do
// not stop the build.
func TestInputsForCompiledConfig(t *testing.T) {
	yml := `http:
  port: 8080
https:
  port: 8443
  cert_file: /etc/mgw-tls/tls.crt
  key_file: /etc/mgw-tls/tls.key
server:
  shutdown_delay: 5s
  shutdown_grace: 20s
security:
  enabled: false
throttling:
  enabled: false
analytics:
  enabled: true
  dir: /var/lib/usage
key_manager:
  password_file: /run/secrets/km-password
redis:
  url_file: /run/secrets/redis-url
apis:
  "Pizza Shack/1.0.0":
    production:
      username: pizza
`
	in, err := InputsFor(testSpec(yml), "")
	if err != nil {
		t.Fatal(err)
	}
	want := Inputs{
		Label:         "shop",
		APIs:          []string{"Orders/2.0", "Pizza Shack/1.0.0"},
		GatewayYAML:   yml,
		HTTPEnabled:   true,
		HTTPPort:      8080,
		HTTPSPort:     8443,
		HTTPSEnabled:  true,
		ShutdownDelay: 5 * time.Second,
		ShutdownGrace: 20 * time.Second,
		AnalyticsDir:  "/var/lib/usage",
		SecretEnv: []string{
			"MGW_ANALYTICS_PASSWORD",
			"MGW_API_ORDERS_2_0_PRODUCTION_PASSWORD",
			"MGW_API_PIZZA_SHACK_1_0_0_PRODUCTION_PASSWORD",
			"MGW_API_PIZZA_SHACK_1_0_0_SANDBOX_PASSWORD",
		},
	}
	if !equalInputs(in, want) {
		t.Errorf("got  %+v\nwant %+v", in, want)
	}
	if _, err := Render(Defaults(), in); err != nil {
		t.Errorf("the inputs do not render: %v", err)
	}
}

func TestInputsForErrors(t *testing.T) {
	for yml, want := range map[string]string{
		"http:\n  port: 0\n":     "a port of 0",
		"http:\n  port: nope\n":  "compiled-in gateway.yaml:2",
		"http:\n  porta: 9090\n": "compiled-in gateway.yaml:2",
	} {
		_, err := InputsFor(testSpec(yml), "")
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", yml, err, want)
		}
	}
	if _, err := InputsFor(nil, ""); err == nil {
		t.Error("nil spec accepted")
	}
}

func equalInputs(a, b Inputs) bool {
	return a.Label == b.Label && a.Image == b.Image && slices.Equal(a.APIs, b.APIs) &&
		a.GatewayYAML == b.GatewayYAML && a.HTTPEnabled == b.HTTPEnabled &&
		a.HTTPPort == b.HTTPPort && a.HTTPSPort == b.HTTPSPort && a.HTTPSEnabled == b.HTTPSEnabled &&
		a.ShutdownDelay == b.ShutdownDelay && a.ShutdownGrace == b.ShutdownGrace &&
		a.AnalyticsDir == b.AnalyticsDir && slices.Equal(a.SecretEnv, b.SecretEnv)
}
