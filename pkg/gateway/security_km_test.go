package gateway

import (
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeKM answers validateKey with the original's fixtures, by token.
type fakeKM struct {
	calls atomic.Int32
	mu    sync.Mutex
	last  *http.Request
	body  string
	delay time.Duration
	url   string
}

func newFakeKM(t *testing.T) *fakeKM {
	k := &fakeKM{}
	read := func(name string) string {
		b, err := os.ReadFile("testdata/mgw260-test-km-validateKey-response-" + name + ".xml")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	authorized := strings.NewReplacer("$APINAME", "PizzaShackAPI", "$APPLICATION_ID", "3", "$APPLICATION_NAME", "App",
		"$APPLICATION_TIER", "Gold", "$TIER", "Silver", "$KEY_TYPE", "SANDBOX").Replace(read("authorized"))
	withJWT := strings.Replace(authorized, `<ax2133:endUserToken xsi:nil="true" />`, "<ax2133:endUserToken>"+endUserJWT+"</ax2133:endUserToken>", 1)
	answers := map[string]string{
		"good-token":  authorized,
		"jwt-token":   withJWT,
		"bad-token":   read("error"),
		"no-scope":    read("unauthorized"),
		"not-subscrb": read("invalid-subscription"),
	}
	srv := backend(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		k.calls.Add(1)
		k.mu.Lock()
		k.last, k.body = r, string(b)
		delay := k.delay
		k.mu.Unlock()
		time.Sleep(delay)
		for tok, ans := range answers {
			if strings.Contains(string(b), "<xsd:accessToken>"+tok+"</xsd:accessToken>") {
				w.Header().Set("Content-Type", "text/xml")
				io.WriteString(w, ans)
				return
			}
		}
		w.WriteHeader(500)
	})
	k.url = srv.URL
	return k
}

func kmConfig(url string) Config {
	cfg := secured("")
	cfg.KeyManager.URL = url
	cfg.KeyManager.Password = "km-pass"
	cfg.KeyManager.Timeout = 500 * time.Millisecond
	return cfg
}

func TestOpaqueTokenSOAP(t *testing.T) {
	prod, sand := echoBackend(t, "prod"), echoBackend(t, "sand")
	km := newFakeKM(t)
	var cap authCapture
	gw := start(t, pizzaSpec(prod.URL, sand.URL), kmConfig(km.url), cap.mw)
	c := client()
	url := gw.http + "/pizzashack/1.0.0/menu"

	resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer good-token")
	if resp.StatusCode != 200 || decodeEcho(t, body).Backend != "sand" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	a := cap.get().Auth
	if a.Scheme != "oauth2" || a.Username != "admin@carbon.super" || a.ApplicationID != "3" || a.SubscriptionTier != "Silver" || a.ConsumerKey != "fxzmNBTonG00FViQELefepgKF2Qa" {
		t.Errorf("auth %+v", a)
	}
	km.mu.Lock()
	r, sent := km.last, km.body
	km.mu.Unlock()
	if r.URL.Path != "/services/APIKeyValidationService" || r.Header.Get("SOAPAction") != "urn:validateKey" || r.Header.Get("Content-Type") != "text/xml" ||
		r.Header.Get("Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte("admin:km-pass")) {
		t.Errorf("KM request %s %v", r.URL.Path, r.Header)
	}
	for _, want := range []string{"<xsd:context>/pizzashack/1.0.0</xsd:context>", "<xsd:version>1.0.0</xsd:version>", "<xsd:matchingResource>/menu</xsd:matchingResource>", "<xsd:httpVerb>GET</xsd:httpVerb>"} {
		if !strings.Contains(sent, want) {
			t.Errorf("KM body lacks %s: %s", want, sent)
		}
	}
	// The answer is cached.
	do(t, c, "GET", url, nil, "Authorization", "Bearer good-token")
	if n := km.calls.Load(); n != 1 {
		t.Errorf("%d KM calls for one token, want 1", n)
	}
	for tok, code := range map[string]int{"bad-token": CodeInvalidCredentials, "no-scope": CodeInvalidScope, "not-subscrb": CodeResourceForbidden} {
		resp, body := do(t, c, "GET", url, nil, "Authorization", "Bearer "+tok)
		wantFault(t, resp, body, code)
	}
	// Invalid tokens are remembered too.
	before := km.calls.Load()
	do(t, c, "GET", url, nil, "Authorization", "Bearer bad-token")
	if km.calls.Load() != before {
		t.Error("negative answer not cached")
	}
}

func TestOpaqueTokenConcurrentOneCall(t *testing.T) {
	prod := echoBackend(t, "prod")
	km := newFakeKM(t)
	km.delay = 100 * time.Millisecond
	gw := start(t, pizzaSpec(prod.URL, prod.URL), kmConfig(km.url))
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer good-token")
			if resp.StatusCode != 200 {
				t.Errorf("%d %s", resp.StatusCode, body)
			}
		}()
	}
	wg.Wait()
	if n := km.calls.Load(); n != 1 {
		t.Fatalf("10 concurrent requests made %d KM calls, want 1", n)
	}
}

func TestKeyManagerFailsClosed(t *testing.T) {
	prod := echoBackend(t, "prod")
	// Unreachable.
	gw := start(t, pizzaSpec(prod.URL, prod.URL), kmConfig(deadURL(t)))
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer good-token")
	if resp.StatusCode != 500 || !strings.Contains(body, `"code":900900`) || !strings.Contains(body, "key manager") || strings.Contains(body, "km-pass") {
		t.Fatalf("unreachable KM: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(gw.logs.String(), "km-pass") || strings.Contains(gw.logs.String(), "good-token") {
		t.Error("a secret reached the logs")
	}
	// Hanging: the request ends after the timeout.
	km := newFakeKM(t)
	km.delay = 3 * time.Second
	gw2 := start(t, pizzaSpec(prod.URL, prod.URL), kmConfig(km.url))
	t0 := time.Now()
	resp, body = do(t, client(), "GET", gw2.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer good-token")
	if resp.StatusCode != 500 || !strings.Contains(body, `"code":900900`) || time.Since(t0) > 2*time.Second {
		t.Fatalf("hanging KM: %d %s after %v", resp.StatusCode, body, time.Since(t0))
	}
}

func TestOpaqueTokenIntrospection(t *testing.T) {
	prod := echoBackend(t, "prod")
	var got atomic.Value
	srv := backend(t, func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		got.Store(r.URL.Path + " " + r.Form.Get("token"))
		w.Header().Set("Content-Type", "application/json")
		if r.Form.Get("token") == "live" {
			io.WriteString(w, `{"active":true,"scope":"default","client_id":"ck","username":"bob","exp":`+itoa(int(time.Now().Add(time.Hour).Unix()))+`,"nbf":9223372036854775807}`)
			return
		}
		io.WriteString(w, `{"active":false}`)
	})
	cfg := kmConfig(srv.URL)
	cfg.KeyManager.Mode = "introspect"
	var cap authCapture
	gw := start(t, pizzaSpec(prod.URL, prod.URL), cfg, cap.mw)
	c := client()
	resp, body := do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer live")
	if resp.StatusCode != 200 || cap.get().Auth.Username != "bob" || got.Load() != "/oauth2/introspect live" {
		t.Fatalf("%d %s %+v %v", resp.StatusCode, body, cap.get().Auth, got.Load())
	}
	resp, body = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/admin", nil, "Authorization", "Bearer live")
	wantFault(t, resp, body, CodeInvalidScope)
	resp, body = do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer dead")
	wantFault(t, resp, body, CodeInvalidCredentials)
}

// endUserJWT stands for the JWT API Manager generates for the end user
// when JWT generation is on; the gateway passes it on unread.
const endUserJWT = "eyJhbGciOiJSUzI1NiJ9.eyJodHRwOi8vd3NvMi5vcmcvY2xhaW1zL2VuZHVzZXIiOiJhZG1pbiJ9.c2lnbmF0dXJl"

// TestEndUserJWTToBackend: the end-user JWT of a key manager validation
// reaches the backend in X-JWT-Assertion (the original's jwtConfig
// header); a client cannot send that header itself.
func TestEndUserJWTToBackend(t *testing.T) {
	prod, sand := echoBackend(t, "prod"), echoBackend(t, "sand")
	km := newFakeKM(t)
	cfg := kmConfig(km.url)
	gw := start(t, pizzaSpec(prod.URL, sand.URL), cfg)
	c := client()
	forged := "eyJhbGciOiJub25lIn0.eyJzdWIiOiJyb290In0."
	got := func(token string) string {
		t.Helper()
		resp, body := do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer "+token, "X-JWT-Assertion", forged)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", token, resp.StatusCode, body)
		}
		return decodeEcho(t, body).Header.Get("X-JWT-Assertion")
	}
	if h := got("jwt-token"); h != endUserJWT {
		t.Errorf("backend got X-JWT-Assertion %q; want the key manager's end-user token", h)
	}
	if h := got("good-token"); h != "" {
		t.Errorf("backend got X-JWT-Assertion %q from the client; want none when the key manager sent none", h)
	}
	if strings.Contains(gw.logs.String(), endUserJWT) {
		t.Error("the end-user token is in the logs")
	}

	cfg.Security.EndUserJWTHeader = "X-End-User"
	gw = start(t, pizzaSpec(prod.URL, sand.URL), cfg)
	resp, body := do(t, c, "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer jwt-token")
	if e := decodeEcho(t, body); resp.StatusCode != 200 || e.Header.Get("X-End-User") != endUserJWT || e.Header.Get("X-JWT-Assertion") != "" {
		t.Errorf("security.end_user_jwt_header X-End-User: %d, header %v", resp.StatusCode, e.Header)
	}
}
