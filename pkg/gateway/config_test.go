package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t testing.TB, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func problems(t *testing.T, err error) []string {
	t.Helper()
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("error %v is not a *ConfigError", err)
	}
	return ce.Problems
}

func TestLoadConfigLayers(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	spec.DefaultConfig = "http:\n  port: 7000\nlog:\n  level: debug\nserver:\n  shutdown_grace: 7s\n"
	file := writeFile(t, "gw.yaml", "http:\n  port: 8000\nlog:\n  format: json\n")
	cfg, err := LoadConfig(spec, file, []string{"PATH=/bin", "MGW_HTTP_PORT=9000", "MGW_HTTP_PORT=9001"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.HTTP.Port != 9001 || cfg.Log.Level != "debug" || cfg.Log.Format != "json" || cfg.Server.ShutdownGrace != 7*time.Second {
		t.Errorf("layers: port %d level %s format %s grace %v", cfg.HTTP.Port, cfg.Log.Level, cfg.Log.Format, cfg.Server.ShutdownGrace)
	}
	if cfg.HTTPS.Port != 9095 || cfg.Backend.ConnectTimeout != 5*time.Second {
		t.Error("built-in defaults lost")
	}
	if got := cfg.where("http.port"); got != "MGW_HTTP_PORT (http.port)" {
		t.Errorf("origin of http.port = %q", got)
	}
	if got := cfg.where("log.format"); got != file+":4: log.format" {
		t.Errorf("origin of log.format = %q", got)
	}
	if got := cfg.where("log.level"); got != compiledInName+":4: log.level" {
		t.Errorf("origin of log.level = %q", got)
	}
}

func TestLoadConfigStrictErrors(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	file := writeFile(t, "gw.yaml", `# gateway config
http:
  port: eighty
  hots: 127.0.0.1
https:
  cert_file: [a, b]
server:
  read_header_timeout: 10
  max_body_bytes: 10 megs
log:
  level: loud
apis:
  "Nope/1.0":
    production:
      urls: [http://x]
  "PetStore/1.0.0":
    production:
      type: round_robin
      urls: ["ftp://x", "http://user:hunter2@host"]
      password: hunter2
`)
	_, err := LoadConfig(spec, file, nil)
	if err == nil {
		t.Fatal("LoadConfig accepted a bad file")
	}
	want := []string{
		file + `:3: http.port: expected an integer, got "eighty"`,
		file + `:4: http.hots: unknown key (did you mean "host"?)`,
		file + `:6: https.cert_file: expected a string, got a sequence`,
		file + `:8: server.read_header_timeout: expected a duration such as 500ms, 30s or 1m30s, got "10"`,
		file + `:9: server.max_body_bytes: expected a size such as 1048576, 512KiB or 10MiB`,
		file + `:20: apis."PetStore/1.0.0".production.password: secrets are not read from configuration files; set the MGW_API_<NAME>_<VERSION>_<PRODUCTION|SANDBOX>_PASSWORD variable or password_file`,
		file + `:11: log.level: "loud" is not a level; use debug, info, warn or error`,
		file + `:15: apis."Nope/1.0": no API "Nope/1.0" in this gateway; keys are "name/version": PetStore/1.0.0`,
		file + `:18: apis."PetStore/1.0.0".production.type: "round_robin" is not an endpoint type; use http, load_balance or failover`,
		file + `:19: apis."PetStore/1.0.0".production.urls: item 1: "ftp://x" must start with http:// or https://`,
		file + `:19: apis."PetStore/1.0.0".production.urls: item 2: "http://user:xxxxx@host" must not hold credentials; use the endpoint's basic-auth username and password settings`,
	}
	got := problems(t, err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("a secret from the file appears in the error")
	}
}

func TestLoadConfigSyntaxErrors(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	for _, tc := range []struct{ content, want string }{
		{"http:\n  port: 1\n   host: x\n", ":3: mapping values are not allowed in this context"},
		{"http: *a\n", ":1: unknown anchor 'a' referenced"},
		{"- a\n", ":1: the top level must be a mapping"},
		{"http:\n\tport: 1\n", ":2: found character that cannot start any token"},
		{"http:\n  port: 1\n---\nlog: {}\n", ":3: a second document (after ---) is not supported"},
		{"http:\n  port: 1\n  port: 2\n", ":3: http.port: the key appears twice in this mapping"},
		{"http:\n  port: !port 1\n", ":2: http.port: the tag !port is not supported"},
		{"log:\n  level: info\n  format: \"\x01\"\n", ":3: control characters are not allowed"},
		{"log:\n  level: \xff\n", ":2: invalid leading UTF-8 octet"},
		{"http: &a\n  <<: *a\n", ":1: http: a mapping cannot merge itself (<<)"},
	} {
		file := writeFile(t, "gw.yaml", tc.content)
		_, err := LoadConfig(spec, file, nil)
		if err == nil || !strings.Contains(err.Error(), file+tc.want) {
			t.Errorf("%q: error %v, want %q", tc.content, err, file+tc.want)
		}
	}
	_, err := LoadConfig(spec, filepath.Join(t.TempDir(), "missing.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "missing.yaml: cannot read the config file: no such file or directory") {
		t.Errorf("missing file: %v", err)
	}
	spec.DefaultConfig = "http:\n  porty: 1\n"
	_, err = LoadConfig(spec, "", nil)
	if err == nil || !strings.Contains(err.Error(), compiledInName+`:2: http.porty: unknown key (did you mean "port"?)`) {
		t.Errorf("compiled-in defaults: %v", err)
	}
}

// TestLoadConfigYAMLFeatures: anchors, aliases and merge keys work (yaml.v3),
// and origins point at the line where each value was written.
func TestLoadConfigYAMLFeatures(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	file := writeFile(t, "gw.yaml", `server: &timeouts
  read_header_timeout: 3s
  shutdown_grace: 4s
backend: {connect_timeout: 2s}
apis:
  "PetStore/1.0.0":
    production: &ep
      urls: [http://127.0.0.1:8081]
      timeout: 9s
    sandbox:
      <<: *ep
      timeout: 8s
log: {level: debug, format: json}
`)
	cfg, err := LoadConfig(spec, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	sb := cfg.APIs["PetStore/1.0.0"].Sandbox
	if sb == nil || sb.Timeout != 8*time.Second || len(sb.URLs) != 1 || sb.URLs[0] != "http://127.0.0.1:8081" {
		t.Errorf("merged sandbox endpoint = %+v", sb)
	}
	if cfg.Server.ShutdownGrace != 4*time.Second || cfg.Backend.ConnectTimeout != 2*time.Second || cfg.Log.Level != "debug" {
		t.Errorf("server %+v backend %+v log %+v", cfg.Server, cfg.Backend, cfg.Log)
	}
	for key, want := range map[string]string{
		`apis."PetStore/1.0.0".sandbox.timeout`: file + ":12",
		`apis."PetStore/1.0.0".sandbox.urls`:    file + ":8",
		"server.shutdown_grace":                 file + ":3",
	} {
		if got := cfg.origin(key); got != want {
			t.Errorf("origin(%s) = %q, want %q", key, got, want)
		}
	}
	// Aliases cannot make a small file decode into a huge one.
	var b strings.Builder
	b.WriteString("x0: &m0 {port: 1}\n")
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&b, "x%d: &m%d {<<: [*m%d, *m%d]}\n", i, i, i-1, i-1)
	}
	b.WriteString("http: {<<: [*m30, *m30]}\n")
	start := time.Now()
	_, err = LoadConfig(spec, writeFile(t, "big.yaml", b.String()), nil)
	if err == nil || strings.Count(err.Error(), ": http: the document is too large once its aliases are expanded") != 1 {
		t.Errorf("alias bomb: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("alias bomb took %v", d)
	}
}

func TestValidationProblems(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	file := writeFile(t, "gw.yaml", "https:\n  cert_file: c.pem\n  client_auth: maybe\nhttp:\n  enabled: false\nsecurity:\n  end_user_jwt_header: \"X JWT\"\n")
	_, err := LoadConfig(spec, file, []string{"MGW_HTTPS_PORT=70000", "MGW_TRUSTED_PROXIES=10.0.0.0/8, nonsense", "MGW_LOG_FORMAT=xml", "MGW_SERVER_ENGINE=fasthttp"})
	want := []string{
		"MGW_HTTPS_PORT (https.port): 70000 is not a TCP port; use 1-65535, or 0 for any free port",
		"https: set both cert_file and key_file (MGW_TLS_CERT_FILE, MGW_TLS_KEY_FILE) to enable HTTPS, or neither",
		file + `:3: https.client_auth: "maybe" is not allowed; use require or optional`,
		`MGW_SERVER_ENGINE (server.engine): is "fasthttp"; use h1 or net/http`,
		`MGW_LOG_FORMAT (log.format): "xml" is not a format; use text or json`,
		`MGW_TRUSTED_PROXIES (server.trusted_proxies): item 2: "nonsense" is neither an address nor a CIDR such as 10.0.0.0/8`,
		file + `:7: security.end_user_jwt_header: "X JWT" is not a header name; use a name such as X-JWT-Assertion, or "" to send none`,
	}
	got := problems(t, err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestEnvEndpointOverrides(t *testing.T) {
	compiled, other, sand := echoBackend(t, "compiled"), echoBackend(t, "other"), echoBackend(t, "sandbox")
	spec := petstore(compiled.URL)
	spec.APIs = append(spec.APIs, API{Name: "Pet Store", Version: "v2.0", BasePath: "/ps2", Resources: []Resource{{Path: "/x", Method: "GET"}}})
	env := []string{
		"MGW_HTTP_PORT=0",
		"MGW_API_PETSTORE_1_0_0_PRODUCTION_URLS=" + other.URL + "/v9",
		"MGW_API_PETSTORE_1_0_0_PRODUCTION_TIMEOUT=2s",
		"MGW_API_PET_STORE_V2_0_SANDBOX_URLS=" + sand.URL + " , " + other.URL,
		"MGW_API_PET_STORE_V2_0_SANDBOX_TYPE=failover",
		"MGW_API_PET_STORE_V2_0_PRODUCTION_URLS=" + compiled.URL,
		"MGW_SECURITY_ENABLED=false",
	}
	cfg, err := LoadConfig(spec, "", env)
	if err != nil {
		t.Fatal(err)
	}
	ov := cfg.APIs["Pet Store/v2.0"].Sandbox
	if ov == nil || ov.Type != EndpointFailover || len(ov.URLs) != 2 || ov.URLs[0] != sand.URL {
		t.Fatalf("sandbox override = %+v", ov)
	}
	if cfg.APIs["PetStore/1.0.0"].Production.Timeout != 2*time.Second {
		t.Error("timeout override lost")
	}
	cfg.HTTP.Host = "127.0.0.1"
	gw := start(t, spec, cfg, resourceHeader)
	resp, body := do(t, client(), "GET", gw.http+"/petstore/v1/pet/1", nil)
	if e := decodeEcho(t, body); resp.Header.Get("X-Backend") != "other" || e.RequestURI != "/v9/pet/1" {
		t.Errorf("production override: answered by %q at %q", resp.Header.Get("X-Backend"), e.RequestURI)
	}
	resp, _ = do(t, client(), "GET", gw.http+"/ps2/x", nil, "X-Test-Sandbox", "1")
	if resp.Header.Get("X-Backend") != "sandbox" {
		t.Errorf("added sandbox endpoint: answered by %q", resp.Header.Get("X-Backend"))
	}
}

func TestEnvProblems(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	spec.APIs = append(spec.APIs,
		API{Name: "a-b", Version: "c", BasePath: "/ab"},
		API{Name: "a", Version: "b.c", BasePath: "/a"},
	)
	cfg, err := LoadConfig(spec, "", []string{
		"MGW_HTTP_PORT=abc",
		"MGW_API_NOPE_1_PRODUCTION_URLS=http://x",
		"MGW_API_A_B_C_PRODUCTION_URLS=http://x",
		"MGW_API_PETSTORE_1_0_0_PRODUCTION_COLOUR=red",
		"MGW_API_PETSTORE_1_0_0_SANDBOX_TIMEOUT=soon",
		"MGW_FROBNICATE=1",
		"MGW_PASSWORD=cli-secret",
	})
	want := []string{
		`MGW_API_A_B_C_PRODUCTION_URLS: the APIs a-b/c and a/b.c both sanitise to A_B_C; set apis."name/version" in the config file instead`,
		"MGW_API_NOPE_1_PRODUCTION_URLS: no API of this gateway has the variable name NOPE_1; the API names are PETSTORE_1_0_0, A_B_C, A_B_C",
		"MGW_API_PETSTORE_1_0_0_PRODUCTION_COLOUR: per-API variables are named MGW_API_<NAME>_<VERSION>_<PRODUCTION|SANDBOX>_<URLS|TYPE|TIMEOUT|CONNECT_TIMEOUT|USERNAME|PASSWORD|PASSWORD_FILE>",
		`MGW_API_PETSTORE_1_0_0_SANDBOX_TIMEOUT: expected a duration such as 500ms, 30s or 1m30s, got "soon"`,
		`MGW_HTTP_PORT: expected an integer, got "abc"`,
		`apis."PetStore/1.0.0".sandbox: the API has no sandbox endpoint to change; give urls`,
	}
	got := problems(t, err)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if w := cfg.Warnings(); len(w) != 1 || !strings.HasPrefix(w[0], "MGW_FROBNICATE: unknown variable") {
		t.Errorf("warnings = %q", w)
	}
}

func TestSecrets(t *testing.T) {
	spec := petstore("http://127.0.0.1:1")
	spec.APIs[0].Production.BasicAuthUsername = "svc"
	pwFile := writeFile(t, "pw", "from-file\n")

	t.Run("from the environment", func(t *testing.T) {
		cfg, err := LoadConfig(spec, "", []string{"MGW_KM_PASSWORD=km-secret", "MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD=be-secret"})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.KeyManager.Password.Reveal() != "km-secret" || cfg.APIs["PetStore/1.0.0"].Production.Password.Reveal() != "be-secret" {
			t.Error("secrets not set")
		}
		var logs syncBuffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("cfg", "config", cfg, "km", cfg.KeyManager)
		for _, s := range []string{fmt.Sprintf("%v", cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), logs.String()} {
			if strings.Contains(s, "km-secret") || strings.Contains(s, "be-secret") {
				t.Errorf("a secret leaks when formatted: %s", s)
			}
		}
	})
	t.Run("from files", func(t *testing.T) {
		file := writeFile(t, "gw.yaml", fmt.Sprintf("key_manager:\n  password_file: %s\napis:\n  PetStore/1.0.0:\n    production:\n      password_file: %s\n", pwFile, pwFile))
		cfg, err := LoadConfig(spec, file, nil)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.KeyManager.Password.Reveal() != "from-file" || cfg.APIs["PetStore/1.0.0"].Production.Password.Reveal() != "from-file" {
			t.Error("secrets not read from files")
		}
	})
	t.Run("environment beats a file from the config", func(t *testing.T) {
		file := writeFile(t, "gw.yaml", "key_manager:\n  password_file: "+pwFile+"\n")
		cfg, err := LoadConfig(spec, file, []string{"MGW_KM_PASSWORD=env", "MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD=x"})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.KeyManager.Password.Reveal() != "env" || len(cfg.Warnings()) != 1 {
			t.Errorf("password %q, warnings %q", cfg.KeyManager.Password.Reveal(), cfg.Warnings())
		}
	})
	t.Run("both through the environment", func(t *testing.T) {
		_, err := LoadConfig(spec, "", []string{"MGW_KM_PASSWORD=env-secret", "MGW_KM_PASSWORD_FILE=" + pwFile, "MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD=x"})
		if err == nil || !strings.Contains(err.Error(), "MGW_KM_PASSWORD and MGW_KM_PASSWORD_FILE: set only one of them") {
			t.Errorf("error %v", err)
		}
		if strings.Contains(err.Error(), "env-secret") {
			t.Error("secret in error")
		}
	})
	t.Run("unreadable file", func(t *testing.T) {
		_, err := LoadConfig(spec, "", []string{"MGW_KM_PASSWORD_FILE=/nonexistent/pw", "MGW_API_PETSTORE_1_0_0_PRODUCTION_PASSWORD=x"})
		if err == nil || !strings.Contains(err.Error(), "MGW_KM_PASSWORD_FILE (key_manager.password_file): cannot read /nonexistent/pw: no such file or directory") {
			t.Errorf("error %v", err)
		}
	})
}

func TestByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"0": 0, "512": 512, "64KiB": 64 << 10, "10MiB": 10 << 20, "1GiB": 1 << 30, "2KB": 2000, "3 MB": 3000000, "7B": 7} {
		if got, err := ParseByteSize(in); err != nil || got != want {
			t.Errorf("ParseByteSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.5MiB", "10TB", "MiB", "99999999999999999999"} {
		if _, err := ParseByteSize(in); err == nil {
			t.Errorf("ParseByteSize(%q) succeeded", in)
		}
	}
}

// TestConfigDocumented keeps CONFIG.md in step with the code: every
// variable and every top-level key is documented.
func TestConfigDocumented(t *testing.T) {
	doc, err := os.ReadFile("CONFIG.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range envVars {
		if !strings.Contains(string(doc), "`"+e.name+"`") {
			t.Errorf("CONFIG.md does not document %s", e.name)
		}
		if !strings.Contains(string(doc), "`"+e.path+"`") {
			t.Errorf("CONFIG.md does not document the key %s", e.path)
		}
	}
	for _, key := range configKeys(reflect.TypeFor[Config](), "") {
		if !strings.Contains(string(doc), "`"+key+"`") {
			t.Errorf("CONFIG.md does not document the key %s", key)
		}
	}
}

// configKeys lists the key paths of every leaf setting; map keys appear
// as <name/version>.
func configKeys(t reflect.Type, prefix string) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("yaml")
		if !ok || !f.IsExported() {
			continue
		}
		key := tag
		if prefix != "" {
			key = prefix + "." + tag
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft.Kind() == reflect.Map:
			out = append(out, configKeys(ft.Elem(), key+".<name/version>")...)
		case ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Duration]():
			out = append(out, configKeys(ft, key)...)
		default:
			out = append(out, key)
		}
	}
	return out
}

func FuzzEnv(f *testing.F) {
	f.Add("HTTP_PORT", "9090")
	f.Add("KM_PASSWORD", "hunter2hunter2")
	f.Add("API_PETSTORE_1_0_0_PRODUCTION_URLS", "http://a, https://b:8443/x?y=1")
	f.Add("API_PETSTORE_1_0_0_SANDBOX_PASSWORD", "p@ss:word")
	f.Add("API_PETSTORE_1_0_0_PRODUCTION_TIMEOUT", "1m")
	f.Add("TRUSTED_PROXIES", "10.0.0.0/8,::1")
	f.Add("API__PRODUCTION_URLS", "")
	spec := petstore("http://127.0.0.1:1")
	f.Fuzz(func(t *testing.T, name, value string) {
		cfg, err := LoadConfig(spec, "", []string{"MGW_" + name + "=" + value})
		secret := strings.HasSuffix(name, "PASSWORD") || name == "REDIS_URL"
		if !secret || len(value) < 6 {
			return
		}
		// Secret values never show up in errors, warnings or formatting.
		texts := append([]string{fmt.Sprintf("%v %+v", cfg, cfg)}, cfg.Warnings()...)
		if err != nil {
			texts = append(texts, err.Error())
		}
		for _, s := range texts {
			if strings.Contains(s, value) && !strings.Contains("MGW_"+name, value) {
				t.Fatalf("secret %q of %s leaked: %s", value, name, s)
			}
		}
	})
}
