package apim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// login registers, obtains a token and sets it, as mgw setup does.
func login(t *testing.T, c *Client) {
	t.Helper()
	ctx := context.Background()
	reg, err := c.Register(ctx, fakeUser, fakePassword)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	tok, err := c.PasswordToken(ctx, reg.ClientID, reg.ClientSecret, fakeUser, fakePassword, nil)
	if err != nil {
		t.Fatalf("PasswordToken: %v", err)
	}
	c.SetAccessToken(tok.AccessToken)
}

func TestRegisterSendsTheOriginalCLIRequest(t *testing.T) {
	f := newFakeAPIM(t)
	var body []byte
	var auth, ctype string
	f.handle("/client-registration/v0.14/register", func(w http.ResponseWriter, r *http.Request) {
		body, _ = io.ReadAll(r.Body)
		auth, ctype = r.Header.Get("Authorization"), r.Header.Get("Content-Type")
		writeJSON(w, http.StatusOK, `{"clientId":"id1","clientName":"admin_Micro Gateway Cli","callBackURL":"https://wso2.org","clientSecret":"s1-secret","isSaasApplication":true,"appOwner":"admin","jsonString":"{}"}`)
	})
	c := f.client(t, nil)
	reg, err := c.Register(context.Background(), fakeUser, fakePassword)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"callbackUrl":"https://wso2.org","clientName":"Micro Gateway Cli","owner":"admin","grantType":"password","saasApp":true,"tokenScope":"PRODUCTION"}`
	if string(body) != want {
		t.Errorf("body = %s\nwant %s", body, want)
	}
	if auth != basicAuth(fakeUser, fakePassword) {
		t.Errorf("Authorization = %q, want basic admin credentials", auth)
	}
	if ctype != "application/json" {
		t.Errorf("Content-Type = %q", ctype)
	}
	if reg.ClientID != "id1" || reg.ClientSecret != "s1-secret" || reg.AppOwner != "admin" {
		t.Errorf("Register = %+v", reg)
	}
}

func TestPasswordTokenSendsFormAndChecksScopes(t *testing.T) {
	f := newFakeAPIM(t)
	var form map[string][]string
	f.handle("/oauth2/token", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
		}
		if err := r.ParseForm(); err != nil {
			t.Error(err)
		}
		form = r.PostForm
		f.tokenEndpoint(w, r)
	})
	c := f.client(t, nil)
	tok, err := c.PasswordToken(context.Background(), fakeClientID, fakeClientSecret, fakeUser, fakePassword, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != fakeToken || tok.ExpiresIn != 3600 {
		t.Errorf("token = %+v", tok)
	}
	for k, want := range map[string]string{
		"grant_type": "password", "username": fakeUser, "password": fakePassword,
		"scope": "apim:tier_view apim:api_view", "clientId": fakeClientID, "clientSecret": fakeClientSecret,
	} {
		if got := strings.Join(form[k], ","); got != want {
			t.Errorf("form %s = %q, want %q", k, got, want)
		}
	}
}

func TestPasswordTokenMissingScopeIsErrScope(t *testing.T) {
	f := newFakeAPIM(t)
	f.scope = "default apim:api_view"
	c := f.client(t, nil)
	_, err := c.PasswordToken(context.Background(), fakeClientID, fakeClientSecret, fakeUser, fakePassword, nil)
	if !errors.Is(err, ErrScope) {
		t.Fatalf("err = %v, want ErrScope", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || !slices.Equal(re.Scopes, []string{"apim:tier_view"}) {
		t.Fatalf("missing scopes = %v, want [apim:tier_view]", re.Scopes)
	}
	if !strings.Contains(err.Error(), "apim:tier_view") || strings.Contains(err.Error(), "may not use scope apim:api_view") {
		t.Errorf("message does not name exactly the missing scope: %v", err)
	}
}

func TestBadCredentialsAreErrCredentials(t *testing.T) {
	f := newFakeAPIM(t)
	c := f.client(t, nil)
	ctx := context.Background()

	_, err := c.Register(ctx, fakeUser, "wrong-password-123")
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("Register with a wrong password: %v, want ErrCredentials", err)
	}
	if !strings.Contains(err.Error(), "invalid user credentials or the user does not have required permissions") {
		t.Errorf("message: %v", err)
	}
	var re *RequestError
	if !errors.As(err, &re) || re.Status != http.StatusUnauthorized || re.Attempts != 1 {
		t.Errorf("RequestError = %+v, want status 401 after one attempt", re)
	}

	// A wrong password on the token endpoint is a 400 invalid_grant.
	_, err = c.PasswordToken(ctx, fakeClientID, fakeClientSecret, fakeUser, "wrong-password-123", nil)
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("PasswordToken with a wrong password: %v, want ErrCredentials", err)
	}
	// A stale client registration is a 401 invalid_client.
	_, err = c.PasswordToken(ctx, fakeClientID, "stale-secret-999", fakeUser, fakePassword, nil)
	if !errors.Is(err, ErrCredentials) {
		t.Fatalf("PasswordToken with a stale client: %v, want ErrCredentials", err)
	}
	if f.count("/oauth2/token") != 2 || f.count("/client-registration/v0.14/register") != 1 {
		t.Errorf("4xx answers were retried: %v", f.counts)
	}
}

func TestAPIsByLabelFollowsPaging(t *testing.T) {
	f := newFakeAPIM(t)
	f.addAPIs("Ext", 30, "external")
	f.addAPIs("Api", 1200, "internal")
	f.addAPIs("Other", 5, "external")
	var queries []string
	f.handle("/api/am/publisher/v0.14/apis", func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		f.listAPIs(w, r)
	})
	c := f.client(t, nil)
	login(t, c)
	var calls [][2]int
	apis, err := c.APIsByLabel(context.Background(), "internal", func(done, total int) {
		calls = append(calls, [2]int{done, total})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(apis) != 1200 {
		t.Fatalf("got %d APIs, want 1200", len(apis))
	}
	for i, a := range apis {
		if want := fmt.Sprintf("Api%04d", i); a.Name != want {
			t.Fatalf("API %d is %q, want %q (server order)", i, a.Name, want)
		}
	}
	if len(queries) != 12 {
		t.Errorf("%d page requests, want 12 pages of 100", len(queries))
	}
	if !strings.Contains(queries[0], "query=label%3Ainternal%20status%3APUBLISHED") || !strings.Contains(queries[0], "expand=true") {
		t.Errorf("first query = %q", queries[0])
	}
	if len(calls) != 12 || calls[0] != [2]int{100, 1200} || calls[11] != [2]int{1200, 1200} {
		t.Errorf("progress calls = %v", calls)
	}
	// The details come through: endpointConfig and definition strings.
	ep, err := ParseEndpointConfig(apis[7].EndpointConfig)
	if err != nil {
		t.Fatal(err)
	}
	if ep.ProductionEndpoints[0].URL != "https://backend.example.com/Api0007" {
		t.Errorf("endpoint = %+v", ep)
	}
	if apis[7].APIDefinition != smallDefinition || apis[7].Labels[0].Name != "internal" || apis[7].Provider != "admin" {
		t.Errorf("API details missing: %+v", apis[7])
	}
}

func TestAPIsByLabelEmptyIsErrNotFound(t *testing.T) {
	f := newFakeAPIM(t)
	f.addAPIs("Api", 3, "internal")
	c := f.client(t, nil)
	login(t, c)
	_, err := c.APIsByLabel(context.Background(), "nosuchlabel", nil)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if !strings.Contains(err.Error(), `"nosuchlabel"`) {
		t.Errorf("message does not name the label: %v", err)
	}
}

func TestAPIsByLabelStopsOnMisbehavingServer(t *testing.T) {
	t.Run("ignores offset", func(t *testing.T) {
		f := newFakeAPIM(t)
		f.addAPIs("Api", 250, "l")
		f.handle("/api/am/publisher/v0.14/apis", func(w http.ResponseWriter, r *http.Request) {
			q := r.URL.Query()
			q.Del("offset")
			r.URL.RawQuery = q.Encode()
			f.listAPIs(w, r)
		})
		c := f.client(t, nil)
		login(t, c)
		_, err := c.APIsByLabel(context.Background(), "l", nil)
		if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "offset") {
			t.Fatalf("err = %v, want ErrMalformed about the offset", err)
		}
		if n := f.count("/api/am/publisher/v0.14/apis"); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})
	t.Run("announces more than it has", func(t *testing.T) {
		f := newFakeAPIM(t)
		f.addAPIs("Api", 150, "l")
		f.handle("/api/am/publisher/v0.14/apis", func(w http.ResponseWriter, r *http.Request) {
			rec := &recorder{header: http.Header{}}
			f.listAPIs(rec, r)
			var env map[string]any
			_ = json.Unmarshal(rec.body, &env)
			env["pagination"].(map[string]any)["total"] = 10000
			env["next"] = "/apis?more"
			body, _ := json.Marshal(env)
			writeJSON(w, http.StatusOK, string(body))
		})
		c := f.client(t, nil)
		login(t, c)
		apis, err := c.APIsByLabel(context.Background(), "l", nil)
		if err != nil || len(apis) != 150 {
			t.Fatalf("got %d APIs, %v; want the 150 the server has", len(apis), err)
		}
	})
	t.Run("endless new pages", func(t *testing.T) {
		f := newFakeAPIM(t)
		f.handle("/api/am/publisher/v0.14/apis", func(w http.ResponseWriter, r *http.Request) {
			off := r.URL.Query().Get("offset")
			writeJSON(w, http.StatusOK, `{"count":1,"next":"/apis?x","list":[{"id":"`+off+`","name":"A`+off+`","version":"1","context":"/a"}],"pagination":{"offset":0,"limit":1,"total":1}}`)
		})
		c := f.client(t, nil)
		c.SetAccessToken(fakeToken)
		_, err := c.APIsByLabel(context.Background(), "l", nil)
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("err = %v, want ErrMalformed", err)
		}
		if n := f.count("/api/am/publisher/v0.14/apis"); n != maxPages {
			t.Errorf("%d requests, want %d", n, maxPages)
		}
	})
}

// recorder is a minimal ResponseWriter.
type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(p []byte) (int, error) { r.body = append(r.body, p...); return len(p), nil }

func TestAPIByNameVersionMatchesExactly(t *testing.T) {
	f := newFakeAPIM(t)
	f.addAPI("PizzaShackAPI", "1.0.0", "a")
	f.addAPI("PizzaShack", "1.0.01", "a")
	want := f.addAPI("PizzaShack", "1.0.0", "b")
	c := f.client(t, nil)
	login(t, c)
	api, err := c.APIByNameVersion(context.Background(), "", "PizzaShack", "1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if api.ID != want["id"] || api.Name != "PizzaShack" || api.Version != "1.0.0" {
		t.Errorf("got %s %s %s", api.ID, api.Name, api.Version)
	}
	_, err = c.APIByNameVersion(context.Background(), "", "PizzaShack", "2.0.0")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), `"PizzaShack"`) || !strings.Contains(err.Error(), `"2.0.0"`) {
		t.Errorf("err = %v, want ErrNotFound naming the name and version", err)
	}
}

func TestAPIDefinition(t *testing.T) {
	f := newFakeAPIM(t)
	api := f.addAPI("PizzaShack", "1.0.0", "a")
	c := f.client(t, nil)
	login(t, c)
	def, err := c.APIDefinition(context.Background(), api["id"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if def != string(readFixture(t, "mgw260-test-api-definition-pizzashack-swagger.json")) {
		t.Error("definition differs from what the server sent")
	}
	_, err = c.APIDefinition(context.Background(), "no-such-id")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "no-such-id") {
		t.Errorf("err = %v, want ErrNotFound naming the id", err)
	}
}

func TestPolicies(t *testing.T) {
	f := newFakeAPIM(t)
	c := f.client(t, nil)
	login(t, c)
	ctx := context.Background()
	app, err := c.Policies(ctx, LevelApplication)
	if err != nil {
		t.Fatal(err)
	}
	if len(app) != 4 || app[0].PolicyName != "50PerMin" || app[0].DefaultLimit.RequestCount != 50 {
		t.Errorf("application policies = %+v", app)
	}
	sub, err := c.Policies(ctx, LevelSubscription)
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) != 6 || sub[5].PolicyName != "5min" || sub[5].RateLimitCount != -1 || *sub[5].RateLimitTimeUnit != "NA" || sub[0].RateLimitTimeUnit != nil {
		t.Errorf("subscription policies = %+v", sub)
	}
	adv, err := c.Policies(ctx, LevelAdvanced)
	if err != nil {
		t.Fatal(err)
	}
	if len(adv) != 2 || adv[1].DefaultLimit.Type != "BandwidthLimit" || adv[1].DefaultLimit.DataUnit != "MB" {
		t.Errorf("advanced policies = %+v", adv)
	}
	if _, err := c.Policies(ctx, "custom"); err == nil || !strings.Contains(err.Error(), `"custom"`) {
		t.Errorf("unknown level: err = %v", err)
	}
}

func TestForbiddenIsErrScopeNamingTheScope(t *testing.T) {
	f := newFakeAPIM(t)
	forbidden := func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusForbidden, `{"code":900910,"message":"The access token does not allow you to access the requested resource"}`)
	}
	f.handle("/api/am/admin/v0.14/throttling/policies/subscription", forbidden)
	f.handle("/api/am/publisher/v0.14/apis", forbidden)
	c := f.client(t, nil)
	c.SetAccessToken(fakeToken)
	_, err := c.Policies(context.Background(), LevelSubscription)
	var re *RequestError
	if !errors.Is(err, ErrScope) || !errors.As(err, &re) || !slices.Equal(re.Scopes, []string{"apim:tier_view"}) {
		t.Fatalf("err = %v, want ErrScope for apim:tier_view", err)
	}
	if !strings.Contains(err.Error(), "apim:tier_view") || !strings.Contains(err.Error(), "does not allow you") {
		t.Errorf("message lacks the scope or the server's message: %v", err)
	}
	_, err = c.APIsByLabel(context.Background(), "x", nil)
	if !errors.Is(err, ErrScope) || !strings.Contains(err.Error(), "apim:api_view") {
		t.Fatalf("err = %v, want ErrScope naming apim:api_view", err)
	}
}

func TestExpiredTokenIsErrCredentials(t *testing.T) {
	f := newFakeAPIM(t)
	c := f.client(t, nil)
	c.SetAccessToken("expired-token-777")
	_, err := c.Policies(context.Background(), LevelApplication)
	if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), "mgw setup") {
		t.Fatalf("err = %v, want ErrCredentials telling to log in again", err)
	}
	if strings.Contains(err.Error(), "expired-token-777") {
		t.Errorf("token leaked: %v", err)
	}
}

func TestMalformedAnswersNameEndpointAndAPI(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/publisher/v0.14/apis", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, `{"count":2,"list":[
{"name":"Good","version":"1","context":"/g"},
{"name":"Broken","version":"2.0","context":"/b","transport":"https"}]}`)
	})
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html><body>Login</body></html>"))
	})
	c := f.client(t, nil)
	c.SetAccessToken(fakeToken)
	_, err := c.APIsByLabel(context.Background(), "x", nil)
	if !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
	for _, want := range []string{`API "Broken" 2.0`, "item 2", `"transport"`, "/api/am/publisher/v0.14/apis", "line 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
	_, err = c.Policies(context.Background(), LevelApplication)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "HTML") || !strings.Contains(err.Error(), "/throttling/policies/application") {
		t.Errorf("err = %v, want ErrMalformed about an HTML page from the policies endpoint", err)
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/admin/v0.14/throttling/policies/application", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "https://elsewhere.example.com/login", http.StatusFound)
	})
	c := f.client(t, nil)
	c.SetAccessToken(fakeToken)
	_, err := c.Policies(context.Background(), LevelApplication)
	if !errors.Is(err, ErrRejected) || !strings.Contains(err.Error(), "elsewhere.example.com") {
		t.Fatalf("err = %v, want ErrRejected naming the redirect", err)
	}
}

func TestCallerCancellation(t *testing.T) {
	f := newFakeAPIM(t)
	c := f.client(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Policies(ctx, LevelApplication)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestAdvancedPolicyKeepsConditionalGroups(t *testing.T) {
	f := newFakeAPIM(t)
	f.handle("/api/am/admin/v0.14/throttling/policies/advanced/p-1", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, advancedPolicyJSON)
	})
	c := f.client(t, nil)
	login(t, c)
	p, err := c.AdvancedPolicy(context.Background(), "p-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ConditionalGroups) != 2 {
		t.Fatalf("conditional groups = %+v", p.ConditionalGroups)
	}
	g := p.ConditionalGroups[0]
	if len(g.Conditions) != 2 || g.Conditions[0].Type != ConditionIP || g.Conditions[0].SpecificIP != "10.100.1.22" ||
		g.Conditions[1].HeaderName != "Host" || g.Limit == nil || g.Limit.RequestCount != 5 {
		t.Errorf("group 1 = %+v", g)
	}
	if c2 := p.ConditionalGroups[1].Conditions[0]; !c2.InvertCondition || c2.IPConditionType != IPRange || c2.EndingIP != "1.1.1.1" {
		t.Errorf("group 2 condition = %+v", c2)
	}
	_, err = c.AdvancedPolicy(context.Background(), "no-such-id")
	if err == nil || !strings.Contains(err.Error(), "no-such-id") {
		t.Errorf("unknown policy: err = %v, want an error naming the id", err)
	}
	if _, err := c.AdvancedPolicy(context.Background(), ""); err == nil {
		t.Error("an empty policyId was accepted")
	}
}

// advancedPolicyJSON is the Admin API definition's example of one advanced
// policy, shortened.
const advancedPolicyJSON = `{"policyId":"p-1","policyName":"100KBP2Min","isDeployed":true,
"defaultLimit":{"type":"BandwidthLimit","timeUnit":"min","unitTime":2,"dataAmount":100,"dataUnit":"KB"},
"conditionalGroups":[
 {"description":"d","conditions":[
   {"type":"IPCondition","invertCondition":false,"ipConditionType":"IPSpecific","specificIP":"10.100.1.22","startingIP":null,"endingIP":null},
   {"type":"HeaderCondition","invertCondition":false,"headerName":"Host","headerValue":"10.100.7.77"}],
  "limit":{"type":"RequestCountLimit","timeUnit":"sec","unitTime":60,"requestCount":5}},
 {"conditions":[{"type":"IPCondition","invertCondition":true,"ipConditionType":"IPRange","specificIP":null,"startingIP":"0.0.0.0","endingIP":"1.1.1.1"}],
  "limit":{"type":"RequestCountLimit","timeUnit":"sec","unitTime":60,"requestCount":5}}]}`
