package gateway

import (
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// security is the authentication and authorization middleware: it picks
// the credentials of a request (header selection as the original), checks
// them (JWT, opaque token via the key manager, basic auth, API key),
// applies subscriptions and scopes, and fills RequestInfo.Auth and
// KeyType.
type security struct {
	g            *Gateway
	authHeader   string
	removeHeader bool
	jwt          *jwtVerifier
	apiKeys      *jwtVerifier
	km           *kmValidator
	users        *basicUsers
	now          func() time.Time
}

// Security schemes of AuthContext.Scheme.
const (
	schemeJWT    = "jwt"
	schemeOAuth2 = "oauth2"
	schemeBasic  = "basic"
	schemeAPIKey = "apikey"
)

// apiKeyName is the header and query parameter carrying API keys (3.x).
const apiKeyName = "apikey"

// newSecurity builds the middleware from the configuration: it reads key
// files and fetches JWKS documents, so problems show at start.
func (g *Gateway) newSecurity() (Middleware, error) {
	cfg := &g.cfg
	if !cfg.Security.Enabled {
		return nil, nil
	}
	s := &security{
		g:            g,
		authHeader:   cfg.Security.AuthHeader,
		removeHeader: cfg.Security.RemoveAuthHeader,
		users:        newBasicUsers(cfg.Security.BasicUsers, cfg.Security.TokenCacheSize),
		now:          time.Now,
	}
	var err error
	s.jwt, err = newJWTVerifier(g, cfg.jwtIssuers(), "jwt", cfg)
	if err != nil {
		return nil, err
	}
	s.apiKeys, err = newJWTVerifier(g, cfg.Security.APIKeyIssuers, "security.api_key_issuers", cfg)
	if err != nil {
		return nil, err
	}
	s.km, err = newKMValidator(cfg)
	if err != nil {
		return nil, err
	}
	return s.middleware, nil
}

func (s *security) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := InfoFrom(r.Context())
		if info == nil || info.API == nil || info.Resource == nil || !info.API.Secured(info.Resource) {
			next.ServeHTTP(w, r)
			return
		}
		t0 := time.Now()
		r2, code, scheme := s.authenticate(r, info)
		info.SecurityTime = time.Since(t0)
		if code == codeAbsent {
			if info.API.OptionalSecurity && len(info.Resource.Scopes) == 0 {
				// No credentials at all: anonymous, as on a resource
				// without security. A resource that needs scopes still
				// needs a token: an anonymous caller holds none.
				next.ServeHTTP(w, r)
				return
			}
			code = CodeMissingCredentials
		}
		if code != 0 {
			s.reject(w, info.API, code, scheme)
			return
		}
		next.ServeHTTP(w, r2)
	})
}

// allowed reports which credentials an API accepts.
func allowed(api *API) (oauth2, basic, apiKey bool) {
	if len(api.SecurityTypes) == 0 {
		return true, false, false
	}
	for _, t := range api.SecurityTypes {
		switch t {
		case "oauth2":
			oauth2 = true
		case "basic_auth", "basic":
			basic = true
		case "api_key", "apikey":
			apiKey = true
		}
	}
	return oauth2, basic, apiKey
}

// codeAbsent is authenticate's answer for a request that presents no
// credentials at all (not even a malformed header): 900902, unless the
// API's security is optional.
const codeAbsent = -1

// authenticate checks the request's credentials; it returns the request
// to forward (credentials removed when configured), or a fault code
// (codeAbsent for no credentials) and the scheme that was tried.
func (s *security) authenticate(r *http.Request, info *RequestInfo) (*http.Request, int, string) {
	api := info.API
	oauth2, basic, apiKey := allowed(api)
	header := api.AuthHeader
	if header == "" {
		header = s.authHeader
	}
	value := r.Header.Get(header)
	if value == "" && apiKey {
		r2, code, scheme := s.apiKeyAuth(r, info)
		if _, present := r.Header[textproto.CanonicalMIMEHeaderKey(header)]; code == codeAbsent && present {
			return nil, CodeMissingCredentials, "" // an empty header is presented, not absent
		}
		return r2, code, scheme
	}
	if value == "" {
		if _, present := r.Header[textproto.CanonicalMIMEHeaderKey(header)]; present {
			return nil, CodeMissingCredentials, "" // an empty header is presented, not absent
		}
		return nil, codeAbsent, ""
	}
	scheme, cred, ok := strings.Cut(value, " ")
	if !ok || cred == "" || strings.Contains(cred, " ") {
		return nil, CodeMissingCredentials, ""
	}
	var code int
	var used string
	switch {
	case strings.EqualFold(scheme, "Basic"):
		used = schemeBasic
		if !basic {
			return nil, CodeInvalidCredentials, schemeBasic
		}
		var user string
		user, code = s.basicAuth(cred)
		if code == 0 {
			info.Auth = AuthContext{Authenticated: true, Scheme: schemeBasic, Username: user, ApplicationID: user, SubscriptionTier: "Unauthenticated"}
		}
	case strings.EqualFold(scheme, "Bearer"):
		if !oauth2 {
			return nil, CodeInvalidCredentials, "bearer"
		}
		if strings.Contains(cred, ".") {
			used = schemeJWT
			code = s.jwtAuth(cred, info, s.jwt, schemeJWT)
		} else {
			used = schemeOAuth2
			code = s.opaqueAuth(r, cred, info)
		}
	default:
		return nil, CodeMissingCredentials, ""
	}
	if code != 0 {
		return nil, code, used
	}
	if s.removeHeader {
		r.Header.Del(header)
	}
	return r, 0, used
}

// apiKeyAuth checks an API key from the apikey header or query parameter.
func (s *security) apiKeyAuth(r *http.Request, info *RequestInfo) (*http.Request, int, string) {
	key := r.Header.Get(apiKeyName)
	fromQuery := false
	if key == "" && strings.Contains(r.URL.RawQuery, apiKeyName) {
		key = r.URL.Query().Get(apiKeyName)
		fromQuery = key != ""
	}
	if _, inHeader := r.Header[textproto.CanonicalMIMEHeaderKey(apiKeyName)]; key == "" && !inHeader && !presentInQuery(r.URL.RawQuery) {
		return nil, codeAbsent, schemeAPIKey
	}
	if key == "" {
		return nil, CodeMissingCredentials, schemeAPIKey
	}
	if code := s.jwtAuth(key, info, s.apiKeys, schemeAPIKey); code != 0 {
		return nil, code, schemeAPIKey
	}
	if !s.removeHeader {
		return r, 0, schemeAPIKey
	}
	if !fromQuery {
		r.Header.Del(apiKeyName)
		return r, 0, schemeAPIKey
	}
	q := r.URL.Query()
	q.Del(apiKeyName)
	r2 := r.Clone(r.Context())
	u := *r.URL
	u.RawQuery = q.Encode()
	r2.URL = &u
	return r2, 0, schemeAPIKey
}

// presentInQuery reports whether the raw query has an apikey parameter,
// even an empty one: that is a credential presented, not an absent one.
func presentInQuery(raw string) bool {
	if !strings.Contains(raw, apiKeyName) {
		return false
	}
	q, _ := url.ParseQuery(raw)
	_, ok := q[apiKeyName]
	return ok
}

// reject sends the fault of code, with WWW-Authenticate on 401.
func (s *security) reject(w http.ResponseWriter, api *API, code int, scheme string) {
	f := FaultFor(code)
	if code == CodeAuthGeneral {
		f.Description = f.Message + ". " + kmUnavailableDetail
	}
	if f.Status == http.StatusUnauthorized {
		h := w.Header()
		oauth2, basic, apiKey := allowed(api)
		realm := ` realm="` + realmName(api.Name) + `"`
		switch scheme {
		case schemeBasic:
			h.Add("WWW-Authenticate", "Basic"+realm)
		case schemeAPIKey:
			h.Add("WWW-Authenticate", "APIKey"+realm)
		case "":
			if oauth2 {
				h.Add("WWW-Authenticate", "Bearer"+realm)
			}
			if basic {
				h.Add("WWW-Authenticate", "Basic"+realm)
			}
			if apiKey {
				h.Add("WWW-Authenticate", "APIKey"+realm)
			}
		default:
			errCode := "invalid_token"
			h.Add("WWW-Authenticate", "Bearer"+realm+`, error="`+errCode+`"`)
		}
	}
	WriteFault(w, f)
}

// realmName keeps the printable ASCII of an API name, without quotes and
// backslashes, for a WWW-Authenticate realm.
func realmName(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		if c := name[i]; c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			b = append(b, c)
		}
	}
	return string(b)
}
