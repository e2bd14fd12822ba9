package apim

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"log/slog"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Credentials of the fake API Manager. They are distinctive so that tests
// can look for them in messages and logs.
const (
	fakeUser         = "admin"
	fakePassword     = "pa55-w0rd-S3CRET"
	fakeClientID     = "cl1ent-id-0001"
	fakeClientSecret = "cl1ent-S3CRET-xyz"
	fakeToken        = "acc3ss-T0KEN-abc"
)

// fakeAPIM is a small stand-in for the API Manager's REST APIs, served
// over TLS on 127.0.0.1, built from the real fixtures in testdata.
type fakeAPIM struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	fixtures map[string][]byte
	apis     []map[string]any // full API DTOs, in server order
	labels   map[string][]string
	scope    string // scope granted by the token endpoint
	counts   map[string]int
	override map[string]http.HandlerFunc // path → handler replacing the default
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func newFakeAPIM(t *testing.T) *fakeAPIM {
	t.Helper()
	f := &fakeAPIM{
		t:        t,
		labels:   map[string][]string{},
		scope:    "apim:tier_view apim:api_view",
		counts:   map[string]int{},
		override: map[string]http.HandlerFunc{},
	}
	f.srv = httptest.NewUnstartedServer(http.HandlerFunc(f.serve))
	f.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // expected TLS handshake failures
	f.srv.StartTLS()
	t.Cleanup(f.srv.Close)
	return f
}

// smallDefinition keeps bulk answers small; addAPI uses the real one.
const smallDefinition = `{"swagger": "2.0", "paths": {"/menu": {"get": {"x-auth-type": "None"}}}}`

// addAPIs adds n APIs named <prefix>NNNN (version 1.0.0) with the label.
func (f *fakeAPIM) addAPIs(prefix string, n int, label string) {
	for i := range n {
		f.addAPIWith(fmt.Sprintf("%s%04d", prefix, i), "1.0.0", label, smallDefinition)
	}
}

// addAPI adds an API built from the fixture DTO template, with the
// PizzaShack definition.
func (f *fakeAPIM) addAPI(name, version, label string) map[string]any {
	return f.addAPIWith(name, version, label, string(f.fixture("mgw260-test-api-definition-pizzashack-swagger.json")))
}

func (f *fakeAPIM) fixture(name string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fixtures == nil {
		f.fixtures = map[string][]byte{}
	}
	if data, ok := f.fixtures[name]; ok {
		return data
	}
	data := readFixture(f.t, name)
	f.fixtures[name] = data
	return data
}

func (f *fakeAPIM) addAPIWith(name, version, label, definition string) map[string]any {
	f.t.Helper()
	var api map[string]any
	if err := json.Unmarshal(f.fixture("mgw260-test-publisher-api-dto-template.json"), &api); err != nil {
		f.t.Fatal(err)
	}
	var ep map[string]any
	if err := json.Unmarshal(f.fixture("mgw260-test-endpointConfig-template.json"), &ep); err != nil {
		f.t.Fatal(err)
	}
	ep["production_endpoints"].(map[string]any)["url"] = "https://backend.example.com/" + name
	ep["sandbox_endpoints"].(map[string]any)["url"] = "https://sandbox.example.com/" + name
	epText, _ := json.Marshal(ep)
	f.mu.Lock()
	defer f.mu.Unlock()
	id := fmt.Sprintf("00000000-0000-0000-0000-%012d", len(f.apis))
	api["id"] = id
	api["name"] = name
	api["version"] = version
	api["context"] = "/" + strings.ToLower(name)
	api["provider"] = "admin"
	api["apiDefinition"] = definition
	api["endpointConfig"] = string(epText)
	api["labels"] = []any{map[string]any{"name": label, "description": ""}}
	f.apis = append(f.apis, api)
	f.labels[id] = []string{label}
	return api
}

func (f *fakeAPIM) count(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[path]
}

func (f *fakeAPIM) handle(path string, h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.override[path] = h
}

func (f *fakeAPIM) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.counts[r.URL.Path]++
	h := f.override[r.URL.Path]
	f.mu.Unlock()
	if h != nil {
		h(w, r)
		return
	}
	switch {
	case r.URL.Path == "/client-registration/v0.14/register":
		f.register(w, r)
	case r.URL.Path == "/oauth2/token":
		f.tokenEndpoint(w, r)
	case r.URL.Path == "/api/am/publisher/v0.14/apis":
		f.listAPIs(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/am/publisher/v0.14/apis/") && strings.HasSuffix(r.URL.Path, "/swagger"):
		f.swagger(w, r)
	case strings.HasPrefix(r.URL.Path, "/api/am/admin/v0.14/throttling/policies/"):
		f.policies(w, r)
	default:
		writeJSON(w, http.StatusNotFound, `{"code":404,"message":"Not Found"}`)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func basicAuth(user, pass string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
}

func (f *fakeAPIM) register(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, `{}`)
		return
	}
	if r.Header.Get("Authorization") != basicAuth(fakeUser, fakePassword) {
		writeJSON(w, http.StatusUnauthorized, `{"code":401,"message":"Unauthorized"}`)
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"code":"invalid_client_metadata","description":"bad body"}`)
		return
	}
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"clientId":%q,"clientName":"admin_Micro Gateway Cli","callBackURL":"https://wso2.org","clientSecret":%q,"isSaasApplication":true,"appOwner":"admin","jsonString":"{}"}`,
		fakeClientID, fakeClientSecret))
}

func (f *fakeAPIM) tokenEndpoint(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != basicAuth(fakeClientID, fakeClientSecret) {
		writeJSON(w, http.StatusUnauthorized, `{"error":"invalid_client","error_description":"Client Authentication failed."}`)
		return
	}
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_request"}`)
		return
	}
	if r.PostForm.Get("grant_type") != "password" || r.PostForm.Get("username") != fakeUser || r.PostForm.Get("password") != fakePassword {
		writeJSON(w, http.StatusBadRequest, `{"error":"invalid_grant","error_description":"Authentication failed for admin"}`)
		return
	}
	f.mu.Lock()
	scope := f.scope
	f.mu.Unlock()
	writeJSON(w, http.StatusOK, fmt.Sprintf(`{"access_token":%q,"refresh_token":"r3fresh-T0KEN","scope":%q,"token_type":"Bearer","expires_in":3600}`,
		fakeToken, scope))
}

func (f *fakeAPIM) bearerOK(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("Authorization") != "Bearer "+fakeToken {
		writeJSON(w, http.StatusUnauthorized, `{"code":900901,"message":"Invalid Credentials"}`)
		return false
	}
	return true
}

// listAPIs answers GET /apis like the Publisher: label:, name: (contains)
// and version: (contains) conditions, limit/offset paging with
// pagination.total and next/previous links.
func (f *fakeAPIM) listAPIs(w http.ResponseWriter, r *http.Request) {
	if !f.bearerOK(w, r) {
		return
	}
	q := r.URL.Query()
	var label, name, version string
	for _, cond := range strings.Fields(q.Get("query")) {
		k, v, _ := strings.Cut(cond, ":")
		switch k {
		case "label":
			label = v
		case "name":
			name = v
		case "version":
			version = v
		}
	}
	limit, offset := 25, 0
	if s := q.Get("limit"); s != "" {
		limit, _ = strconv.Atoi(s)
	}
	if s := q.Get("offset"); s != "" {
		offset, _ = strconv.Atoi(s)
	}
	f.mu.Lock()
	var match []map[string]any
	for _, a := range f.apis {
		if label != "" && !contains(f.labels[a["id"].(string)], label) {
			continue
		}
		if name != "" && !strings.Contains(a["name"].(string), name) {
			continue
		}
		if version != "" && !strings.Contains(a["version"].(string), version) {
			continue
		}
		match = append(match, maps.Clone(a))
	}
	f.mu.Unlock()
	page := []map[string]any{}
	if offset < len(match) {
		page = match[offset:min(offset+limit, len(match))]
	}
	var env map[string]any
	if err := json.Unmarshal(f.fixture("mgw260-test-publisher-api-list-envelope.json"), &env); err != nil {
		f.t.Error(err)
	}
	env["count"] = len(page)
	env["list"] = page
	env["pagination"] = map[string]any{"offset": offset, "limit": limit, "total": len(match)}
	link := func(off int) string {
		return fmt.Sprintf("/apis?limit=%d&offset=%d&query=%s", limit, off, url.QueryEscape(q.Get("query")))
	}
	if offset+limit < len(match) {
		env["next"] = link(offset + limit)
	}
	if offset > 0 {
		env["previous"] = link(max(0, offset-limit))
	}
	body, _ := json.Marshal(env)
	writeJSON(w, http.StatusOK, string(body))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (f *fakeAPIM) swagger(w http.ResponseWriter, r *http.Request) {
	if !f.bearerOK(w, r) {
		return
	}
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/am/publisher/v0.14/apis/"), "/swagger")
	f.mu.Lock()
	_, ok := f.labels[id]
	f.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, `{"code":404,"message":"Not Found","description":"Requested API with id '`+id+`' not found"}`)
		return
	}
	writeJSON(w, http.StatusOK, string(f.fixture("mgw260-test-api-definition-pizzashack-swagger.json")))
}

func (f *fakeAPIM) policies(w http.ResponseWriter, r *http.Request) {
	if !f.bearerOK(w, r) {
		return
	}
	switch strings.TrimPrefix(r.URL.Path, "/api/am/admin/v0.14/throttling/policies/") {
	case "application":
		writeJSON(w, http.StatusOK, string(f.fixture("mgw260-test-admin-application-policies.json")))
	case "subscription":
		writeJSON(w, http.StatusOK, string(f.fixture("mgw260-test-admin-subscription-policies.json")))
	case "advanced":
		writeJSON(w, http.StatusOK, `{"count":2,"list":[
		 {"policyId":"a1","policyName":"10KPerMin","displayName":"10KPerMin","description":"Allows 10000 requests per minute","isDeployed":true,
		  "defaultLimit":{"type":"RequestCountLimit","timeUnit":"min","unitTime":1,"requestCount":10000}},
		 {"policyId":"a2","policyName":"1MBPerMin","displayName":"1MBPerMin","isDeployed":true,
		  "defaultLimit":{"type":"BandwidthLimit","timeUnit":"min","unitTime":1,"dataAmount":1,"dataUnit":"MB"}}]}`)
	default:
		writeJSON(w, http.StatusNotFound, `{"code":404,"message":"Not Found"}`)
	}
}

// logBuffer collects debug logs for inspection.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// clientConfig returns a Config trusting the fake's certificate, with fast
// retries and debug logs into logs (if not nil).
func (f *fakeAPIM) clientConfig(t *testing.T, logs *logBuffer) Config {
	t.Helper()
	cfg := Config{
		ServerURL:      f.srv.URL,
		CAFile:         writeCA(t, f.srv),
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  4 * time.Millisecond,
	}
	if logs != nil {
		cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return cfg
}

func (f *fakeAPIM) client(t *testing.T, logs *logBuffer) *Client {
	t.Helper()
	c, err := New(f.clientConfig(t, logs))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// writeCA writes the test server's certificate as a PEM file.
func writeCA(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeOtherCA writes a self-signed CA certificate that did not sign the
// test servers' certificates.
func writeOtherCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "Other Test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "other-ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
