package gateway

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
)

// claimInterceptors read the caller's claims. showClaims sends them to
// the backend as JSON in X-Claims, with X-Department from the custom
// claim, and then marks this request's map: X-Leaked says whether a mark
// was there already (another request's), and the response interceptor
// answers the mark it sees in X-Mark. refuseSuspended answers 403 when the
// suspended claim is true.
var claimInterceptors = intercept.Set{
	Request: map[string]intercept.RequestFunc{
		"showClaims": func(req *intercept.Request) *intercept.Response {
			c := req.Auth.Claims()
			_, leaked := c["x-mark"]
			b, err := json.Marshal(c)
			if err != nil {
				return intercept.Text(500, err.Error())
			}
			req.Header.Set("X-Claims", string(b))
			req.Header.Set("X-Leaked", strconv.FormatBool(leaked))
			if dept, ok := req.Auth.ClaimString("department"); ok {
				req.Header.Set("X-Department", dept)
			}
			if c != nil {
				c["x-mark"] = req.RequestID
			}
			return nil
		},
		"refuseSuspended": func(req *intercept.Request) *intercept.Response {
			if v, _ := req.Auth.Claim("suspended"); v == true {
				return intercept.JSON(http.StatusForbidden, map[string]string{"error": "account suspended"})
			}
			return nil
		},
	},
	Response: map[string]intercept.ResponseFunc{
		"markBack": func(res *intercept.Response) {
			v, ok := res.Request.Auth.Claim("x-mark")
			res.Header.Set("X-Mark", fmt.Sprintf("%v %v", v, ok))
		},
	},
}

// claimsSpec is pizzaSpec with every credential type, showClaims and
// markBack on /menu and /open, refuseSuspended on /order.
func claimsSpec(url string) *Spec {
	s := pizzaSpec(url, url)
	a := &s.APIs[0]
	a.SecurityTypes = []string{"oauth2", "basic_auth", "api_key"}
	for i := range a.Resources {
		r := &a.Resources[i]
		switch r.Path {
		case "/menu", "/open":
			r.RequestInterceptor, r.ResponseInterceptor = "showClaims", "markBack"
		case "/order":
			r.RequestInterceptor = "refuseSuspended"
		}
	}
	s.Interceptors = func() intercept.Set { return claimInterceptors }
	return s
}

// decodeNumbers decodes JSON as intercept.Auth.Claims does.
func decodeNumbers(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("%s: %v", b, err)
	}
	return m
}

// tokenPayload is the claims of a compact JWS, as JSON.
func tokenPayload(t *testing.T, token string) []byte {
	t.Helper()
	parts := strings.Split(token, ".")
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestInterceptorClaims(t *testing.T) {
	be := echoBackend(t, "be")
	km := newFakeKM(t)
	key := rsaTestKey(t)
	apiKeyIssuer, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	cfg := kmConfig(km.url)
	cfg.JWT.CertFile = writePublicKey(t, key.Public())
	cfg.Security.APIKeyIssuers = []JWTIssuer{{Issuer: "https://apim/apikey", CertFile: writePublicKey(t, apiKeyIssuer.Public())}}
	sum := sha256.Sum256([]byte("salt" + "s3cret"))
	cfg.Security.BasicUsers = []BasicUser{{Name: "ci", PasswordHash: "sha256$salt$" + fmt.Sprintf("%x", sum[:])}}
	gw := start(t, claimsSpec(be.URL), cfg)
	c := client()
	menu := gw.http + "/pizzashack/1.0.0/menu"

	// get sends a request to /menu and returns what the interceptors
	// reported: the claims the backend received, and the mark headers.
	get := func(t *testing.T, url string, header ...string) (claims []byte, leaked, mark, id string) {
		t.Helper()
		resp, body := do(t, c, "GET", url, nil, header...)
		if resp.StatusCode != 200 {
			t.Fatalf("status %d: %s", resp.StatusCode, body)
		}
		e := decodeEcho(t, body)
		return []byte(e.Header.Get("X-Claims")), e.Header.Get("X-Leaked"), resp.Header.Get("X-Mark"), resp.Header.Get("X-Request-Id")
	}

	t.Run("jwt: every claim of the token, custom ones included", func(t *testing.T) {
		tok := signJWT(t, "RS256", key, nil, apimClaims(map[string]any{
			"department": "sales", "suspended": false, "appNumber": int64(9007199254740993), "groups": []string{"a", "b"},
		}))
		for i := range 2 { // the second time from the token cache
			claims, leaked, mark, id := get(t, menu, "Authorization", "Bearer "+tok)
			if got, want := decodeNumbers(t, claims), decodeNumbers(t, tokenPayload(t, tok)); !reflect.DeepEqual(got, want) {
				t.Fatalf("request %d: interceptor saw claims\n%v\nwant\n%v", i, got, want)
			}
			if !bytes.Contains(claims, []byte(`"appNumber":9007199254740993`)) {
				t.Errorf("a large number lost its digits: %s", claims)
			}
			if leaked != "false" {
				t.Errorf("request %d saw the claims map of an earlier request", i)
			}
			// The response interceptor shares the request's decoded map.
			if mark != id+" true" {
				t.Errorf("response interceptor saw mark %q, want %q", mark, id+" true")
			}
		}
		resp, body := do(t, c, "GET", menu, nil, "Authorization", "Bearer "+tok)
		if e := decodeEcho(t, body); resp.StatusCode != 200 || e.Header.Get("X-Department") != "sales" {
			t.Errorf("X-Department %q", e.Header.Get("X-Department"))
		}
	})
	t.Run("api key: the key's claims", func(t *testing.T) {
		key := signJWT(t, "ES256", apiKeyIssuer, nil, apimClaims(map[string]any{"iss": "https://apim/apikey", "department": "ops"}))
		claims, _, _, _ := get(t, menu, "apikey", key)
		if got, want := decodeNumbers(t, claims), decodeNumbers(t, tokenPayload(t, key)); !reflect.DeepEqual(got, want) {
			t.Fatalf("claims %v, want %v", got, want)
		}
	})
	for name, header := range map[string][]string{
		"basic auth":   {"Authorization", "Basic " + base64.StdEncoding.EncodeToString([]byte("ci:s3cret"))},
		"opaque token": {"Authorization", "Bearer good-token"},
	} {
		t.Run(name+": no claims", func(t *testing.T) {
			claims, _, mark, _ := get(t, menu, header...)
			if string(claims) != "null" || mark != "<nil> false" {
				t.Errorf("claims %s, mark %q", claims, mark)
			}
		})
	}
	t.Run("unsecured resource: no claims, even with a token", func(t *testing.T) {
		tok := signJWT(t, "RS256", key, nil, apimClaims(nil))
		claims, _, _, _ := get(t, gw.http+"/pizzashack/1.0.0/open", "Authorization", "Bearer "+tok)
		if string(claims) != "null" {
			t.Errorf("claims %s", claims)
		}
	})
	t.Run("an interceptor refuses by claim", func(t *testing.T) {
		for _, tc := range []struct {
			suspended any
			status    int
		}{{true, 403}, {false, 200}, {"true", 200}, {nil, 200}} {
			tok := signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"suspended": tc.suspended}))
			resp, body := do(t, c, "POST", gw.http+"/pizzashack/1.0.0/order", strings.NewReader("{}"), "Authorization", "Bearer "+tok)
			if resp.StatusCode != tc.status {
				t.Errorf("suspended %v: status %d, want %d: %s", tc.suspended, resp.StatusCode, tc.status, body)
			}
			if tc.status == 403 && (body != `{"error":"account suspended"}` || resp.Header.Get("X-Backend") != "") {
				t.Errorf("refusal %q reached the backend: %v", body, resp.Header)
			}
		}
	})
}

// With claim_mapping the interceptor sees the claims the gateway read:
// the local name holds the remote value, the remote name stays.
func TestInterceptorClaimsMapped(t *testing.T) {
	be := echoBackend(t, "be")
	key := rsaTestKey(t)
	const idp = "https://login.example.com/tenant/v2.0"
	cfg := testConfig()
	cfg.Security.Enabled = true
	cfg.JWT.Issuers = []JWTIssuer{{Issuer: idp, CertFile: writePublicKey(t, key.Public()), ConsumerKeyClaim: "azp",
		ClaimMapping: []ClaimMapping{{Remote: "scp", Local: "scope"}, {Remote: "oid", Local: "sub"}}}}
	gw := start(t, claimsSpec(be.URL), cfg)
	now := time.Now()
	tok := signJWT(t, "RS256", key, nil, map[string]any{"iss": idp, "aud": "api://pizza", "sub": "pairwise-1", "oid": "u-42",
		"exp": now.Add(time.Hour).Unix(), "scp": "pizza:read", "scope": "from-token", "azp": "client-9"})
	resp, body := do(t, client(), "GET", gw.http+"/pizzashack/1.0.0/menu", nil, "Authorization", "Bearer "+tok)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	got := decodeNumbers(t, []byte(decodeEcho(t, body).Header.Get("X-Claims")))
	want := decodeNumbers(t, tokenPayload(t, tok))
	want["scope"], want["sub"] = "pizza:read", "u-42"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("claims %v\nwant %v", got, want)
	}
	if _, ok := got["consumerKey"]; ok {
		t.Error("consumer_key_claim added a consumerKey claim")
	}
}

// Concurrent requests with tokens that share cache entries each see
// their own token's claims and a map no other request touched, even
// though every interceptor writes into the map it got.
func TestInterceptorClaimsConcurrent(t *testing.T) {
	be := echoBackend(t, "be")
	key := rsaTestKey(t)
	gw := start(t, claimsSpec(be.URL), secured(writePublicKey(t, key.Public())))
	const tokens, workers, perWorker = 6, 8, 25
	toks := make([]string, tokens)
	for i := range toks {
		toks[i] = "Bearer " + signJWT(t, "RS256", key, nil, apimClaims(map[string]any{"department": "dept-" + strconv.Itoa(i), "sub": "user-" + strconv.Itoa(i)}))
	}
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}, Timeout: 30 * time.Second}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range perWorker {
				i := (w + j) % tokens
				if err := checkClaimsRequest(c, gw.http+"/pizzashack/1.0.0/menu", toks[i], "dept-"+strconv.Itoa(i)); err != nil {
					t.Errorf("worker %d, request %d: %v", w, j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// checkClaimsRequest sends one request with token and checks that the
// interceptors saw exactly that token's department, in a fresh map.
func checkClaimsRequest(c *http.Client, url, token, dept string) error {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", token)
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("status %d, %v: %s", resp.StatusCode, err, body)
	}
	var e echo
	if err := json.Unmarshal(body, &e); err != nil {
		return err
	}
	var claims map[string]any
	if err := json.Unmarshal([]byte(e.Header.Get("X-Claims")), &claims); err != nil {
		return err
	}
	if got := e.Header.Get("X-Department"); got != dept || claims["department"] != dept || claims["sub"] != "user-"+strings.TrimPrefix(dept, "dept-") {
		return fmt.Errorf("department %q, claims %v; want %s", got, claims, dept)
	}
	if e.Header.Get("X-Leaked") != "false" {
		return fmt.Errorf("the claims map already had another request's mark")
	}
	if id := resp.Header.Get("X-Request-Id"); resp.Header.Get("X-Mark") != id+" true" {
		return fmt.Errorf("response interceptor saw mark %q, want %q", resp.Header.Get("X-Mark"), id+" true")
	}
	return nil
}
