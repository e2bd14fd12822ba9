package apimsim

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/apim"
)

func TestRegisterReusesApplicationPerOwnerAndName(t *testing.T) {
	s := startSim(t, Options{})
	first := s.mustRegister("admin", "admin")
	if len(first.ClientID) != 28 || len(first.ClientSecret) != 28 {
		t.Errorf("client id %q / secret length %d: want 28 characters each", first.ClientID, len(first.ClientSecret))
	}
	if first.ClientName != "admin_Micro Gateway Cli" || first.AppOwner != "admin" || first.CallBackURL != "https://wso2.org" || !first.IsSaasApplication {
		t.Errorf("application = %+v", first)
	}
	again := s.mustRegister("admin", "admin")
	if again.ClientID != first.ClientID || again.ClientSecret != first.ClientSecret {
		t.Errorf("second registration got a new application: %s vs %s", again.ClientID, first.ClientID)
	}
	other := s.mustRegister("viewer", "viewer")
	if other.ClientID == first.ClientID || other.ClientSecret == first.ClientSecret {
		t.Errorf("another owner got the same credentials")
	}
	// A fresh server issues different random credentials.
	if fresh := startSim(t, Options{}).mustRegister("admin", "admin"); fresh.ClientID == first.ClientID {
		t.Errorf("client id %s repeated across servers", fresh.ClientID)
	}
}

func TestRegisterRejects(t *testing.T) {
	s := startSim(t, Options{})
	for _, tc := range []struct {
		name, user, password, body string
		status                     int
		wantInBody                 string
	}{
		{"wrong password", "admin", "nope", "", http.StatusUnauthorized, ""},
		{"unknown user", "mallory", "x", "", http.StatusUnauthorized, ""},
		{"no credentials", "", "", "", http.StatusUnauthorized, ""},
		{"bad JSON", "admin", "admin", `{"clientName":`, http.StatusBadRequest, `"code":"invalid_client_metadata"`},
		{"no client name", "admin", "admin", `{"owner":"admin","grantType":"password"}`, http.StatusBadRequest, "clientName is missing"},
		{"owner is someone else", "viewer", "viewer", `{"clientName":"x","owner":"admin","grantType":"password"}`, http.StatusBadRequest, "Logged in user 'viewer' and application owner 'admin' should be same."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if body == "" {
				body = `{"clientName":"x","owner":"admin","grantType":"password"}`
			}
			req, _ := http.NewRequest(http.MethodPost, s.base+"/client-registration/v0.14/register", strings.NewReader(body))
			if tc.user != "" {
				req.SetBasicAuth(tc.user, tc.password)
			}
			resp, got := s.do(req)
			wantStatus(t, resp, got, tc.status)
			if tc.status == http.StatusUnauthorized && len(got) != 0 {
				t.Errorf("401 body = %q, want empty like CXF", got)
			}
			if !strings.Contains(string(got), tc.wantInBody) {
				t.Errorf("body %s does not contain %q", got, tc.wantInBody)
			}
			if tc.password != "" && strings.Contains(string(got), tc.password) && tc.password != tc.user {
				t.Errorf("body leaks the password: %s", got)
			}
		})
	}
}

func TestTokenGrantsIntersectionOfScopes(t *testing.T) {
	s := startSim(t, Options{})
	for _, tc := range []struct {
		user, scope, want string
	}{
		{"admin", "apim:api_view apim:tier_view", "apim:api_view apim:tier_view"},
		{"admin", "apim:tier_view+apim:api_view", "apim:tier_view apim:api_view"},
		{"admin", "apim:api_view%20apim:nonexistent", "apim:api_view"},
		{"viewer", "apim:api_view apim:tier_view", "apim:api_view"},
		{"noscope", "apim:api_view apim:tier_view", "default"},
		{"admin", "", "default"},
	} {
		tok := s.login(tc.user, tc.user, tc.scope)
		if tok.Scope != tc.want {
			t.Errorf("%s asking %q got scope %q, want %q", tc.user, tc.scope, tok.Scope, tc.want)
		}
		if tok.TokenType != "Bearer" || tok.ExpiresIn != 3600 || !looksLikeUUID(tok.AccessToken) || tok.RefreshToken == "" {
			t.Errorf("token response = %+v", tok)
		}
	}
}

func TestTokenErrorsUseOAuthShapes(t *testing.T) {
	s := startSim(t, Options{})
	app := s.mustRegister("admin", "admin")
	for _, tc := range []struct {
		name, id, secret, form string
		status                 int
		code                   string
	}{
		{"wrong client secret", app.ClientID, "wrong", "grant_type=password&username=admin&password=admin", http.StatusUnauthorized, "invalid_client"},
		{"unknown client", "nobody", "x", "grant_type=password&username=admin&password=admin", http.StatusUnauthorized, "invalid_client"},
		{"no client", "", "", "grant_type=password&username=admin&password=admin", http.StatusUnauthorized, "invalid_client"},
		{"wrong password", app.ClientID, app.ClientSecret, "grant_type=password&username=admin&password=s3cr3t-wrong", http.StatusBadRequest, "invalid_grant"},
		{"unknown user", app.ClientID, app.ClientSecret, "grant_type=password&username=eve&password=eve", http.StatusBadRequest, "invalid_grant"},
		{"no password", app.ClientID, app.ClientSecret, "grant_type=password&username=admin", http.StatusBadRequest, "invalid_request"},
		{"no grant type", app.ClientID, app.ClientSecret, "username=admin&password=admin", http.StatusBadRequest, "invalid_request"},
		{"other grant type", app.ClientID, app.ClientSecret, "grant_type=client_credentials", http.StatusBadRequest, "unsupported_grant_type"},
		{"repeated parameter", app.ClientID, app.ClientSecret, "grant_type=password&username=admin&username=viewer&password=admin", http.StatusBadRequest, "invalid_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.tokenRequest(tc.id, tc.secret, tc.form)
			wantStatus(t, resp, body, tc.status)
			var e apim.OAuthError
			decode(t, body, &e)
			if e.Error != tc.code || e.ErrorDescription == "" {
				t.Errorf("error body = %s, want error %q with a description", body, tc.code)
			}
			if strings.Contains(string(body), "s3cr3t-wrong") || (tc.secret != "" && strings.Contains(string(body), tc.secret)) {
				t.Errorf("error body leaks a secret: %s", body)
			}
		})
	}
}

func TestTokenAcceptsClientInBodyAndUnencodedPassword(t *testing.T) {
	fixtures := writeFixtures(t, func(files map[string]string) {
		files["users.json"] = `{"users":[{"username":"ops","password":"p%z=w:rd","scopes":["apim:api_view"]}]}`
	})
	s := startSim(t, Options{Fixtures: fixtures})
	app := s.mustRegister("ops", "p%z=w:rd")
	// The original CLI sends clientId/clientSecret in the body too, and the
	// password unencoded; '%z' is not an escape, so it stays as it is.
	form := "grant_type=password&client_id=" + app.ClientID + "&client_secret=" + app.ClientSecret +
		"&password=p%z=w:rd&scope=apim:api_view&username=ops"
	resp, body := s.tokenRequest("", "", form)
	wantStatus(t, resp, body, http.StatusOK)
}

func TestRefreshTokenGrant(t *testing.T) {
	s := startSim(t, Options{})
	app := s.mustRegister("viewer", "viewer")
	_, body := s.tokenRequest(app.ClientID, app.ClientSecret, "grant_type=password&username=viewer&password=viewer&scope=apim:api_view")
	var first apim.TokenResponse
	decode(t, body, &first)
	form := "grant_type=refresh_token&refresh_token=" + first.RefreshToken
	resp, body := s.tokenRequest(app.ClientID, app.ClientSecret, form)
	wantStatus(t, resp, body, http.StatusOK)
	var second apim.TokenResponse
	decode(t, body, &second)
	if second.AccessToken == first.AccessToken || second.Scope != "apim:api_view" {
		t.Errorf("refreshed token = %+v", second)
	}
	if r, _ := s.get(publisherBase+"/apis", second.AccessToken); r.StatusCode != http.StatusOK {
		t.Errorf("refreshed token rejected: %d", r.StatusCode)
	}
	resp, body = s.tokenRequest(app.ClientID, app.ClientSecret, form)
	wantStatus(t, resp, body, http.StatusBadRequest) // a refresh token is used once
}

func TestBearerChecks(t *testing.T) {
	clock := newFakeClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s := startSim(t, Options{TokenTTL: time.Minute, Now: clock.Now})
	admin := s.adminToken()
	viewer := s.login("viewer", "viewer", "apim:api_view apim:tier_view").AccessToken
	noscope := s.login("noscope", "noscope", "apim:api_view apim:tier_view").AccessToken

	policies := adminBase + "/throttling/policies/subscription"
	apis := publisherBase + "/apis?query=" + url.QueryEscape("label:demo")
	for _, tc := range []struct {
		name, path, token string
		status            int
	}{
		{"admin lists APIs", apis, admin, http.StatusOK},
		{"admin lists policies", policies, admin, http.StatusOK},
		{"viewer lists APIs", apis, viewer, http.StatusOK},
		{"viewer lacks tier_view", policies, viewer, http.StatusUnauthorized},
		{"noscope lacks api_view", apis, noscope, http.StatusUnauthorized},
		{"no token", apis, "", http.StatusUnauthorized},
		{"unknown token", apis, "0d63e133-7ad6-3aeb-9ca9-9299e0708122", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := s.get(tc.path, tc.token)
			wantStatus(t, resp, body, tc.status)
			if tc.status == http.StatusUnauthorized {
				assertUnauthenticated(t, body)
			}
		})
	}

	clock.Advance(59 * time.Second)
	if resp, body := s.get(apis, admin); resp.StatusCode != http.StatusOK {
		t.Fatalf("token rejected before expiry: %d %s", resp.StatusCode, body)
	}
	clock.Advance(time.Second)
	resp, body := s.get(apis, admin)
	wantStatus(t, resp, body, http.StatusUnauthorized)
	assertUnauthenticated(t, body)
}

// assertUnauthenticated checks the 2.6 REST API's 401 body.
func assertUnauthenticated(t *testing.T, body []byte) {
	t.Helper()
	const want = `{"code":401,"message":"","description":"Unauthenticated request","moreInfo":"","error":[]}`
	if string(body) != want {
		t.Errorf("401 body = %s, want %s", body, want)
	}
}

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

// Now returns the clock's time.
func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
