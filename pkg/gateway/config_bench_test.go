package gateway

import "testing"

// benchConfig is CONFIG.md's example file, a typical production config.
const benchConfig = `http:
  port: 8080
https:
  port: 8443
  cert_file: /etc/mgw/tls.crt
  key_file: /etc/mgw/tls.key
server:
  trusted_proxies: [10.0.0.0/8]
  max_body_bytes: 10MiB
  shutdown_grace: 20s
log:
  format: json
  level: info
apis:
  "PetStore/1.0.0":
    production:
      type: load_balance
      urls: [http://127.0.0.1:8081/v1, http://127.0.0.1:8082/v1]
      timeout: 10s
      username: gateway
`

// BenchmarkLoadConfig decodes and validates a config file: what start-up
// and --check pay for the YAML decoder.
func BenchmarkLoadConfig(b *testing.B) {
	spec := petstore("http://127.0.0.1:1")
	file := writeFile(b, "gw.yaml", benchConfig)
	if _, err := LoadConfig(spec, file, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadConfig(spec, file, nil); err != nil {
			b.Fatal(err)
		}
	}
}
