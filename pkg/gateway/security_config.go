package gateway

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/jwt"
)

// SecurityConfig is how the gateway authenticates API requests.
type SecurityConfig struct {
	// Enabled turns authentication on (default true). Off, every
	// resource is served as if it had x-auth-type None.
	Enabled bool `yaml:"enabled"`
	// AuthHeader carries credentials for APIs without their own
	// (x-wso2-auth-header); default "Authorization".
	AuthHeader string `yaml:"auth_header"`
	// RemoveAuthHeader strips the credentials header before forwarding
	// (default true, as the original's removeAuthHeaderFromOutMessage).
	RemoveAuthHeader bool `yaml:"remove_auth_header"`
	// TokenCacheSize bounds the number of verified JWTs remembered, so a
	// token's signature is checked once; 0 disables the cache.
	TokenCacheSize int `yaml:"token_cache_size"`
	// BasicUsers are the users basic authentication accepts.
	BasicUsers []BasicUser `yaml:"basic_users"`
	// APIKeyIssuers sign API keys (JWT-format keys sent in the apikey
	// header or query parameter).
	APIKeyIssuers []JWTIssuer `yaml:"api_key_issuers"`
	// EndUserJWTHeader carries the end-user JWT the key manager returns
	// with an opaque token's validation (validateKey's endUserToken) to
	// the backend, as the original's [jwtConfig] header; default
	// "X-JWT-Assertion", "" turns it off. The gateway drops that header
	// from clients, so a backend can trust it.
	EndUserJWTHeader string `yaml:"end_user_jwt_header"`
}

// BasicUser is one user of basic authentication.
type BasicUser struct {
	Name string `yaml:"name"`
	// PasswordHash is "sha256$<salt>$<hex of SHA-256(salt+password)>", or
	// the original's 40-character SHA-1 hex of the password.
	PasswordHash string `yaml:"password_hash"`
}

// JWTIssuer is one trusted token issuer.
type JWTIssuer struct {
	// Issuer is the expected iss claim.
	Issuer string `yaml:"issuer"`
	// Audience, when set, must be one of the token's aud values.
	Audience string `yaml:"audience"`
	// CertFile is a PEM file of certificates or public keys.
	CertFile string `yaml:"cert_file"`
	// JWKSURL is an https (or http on loopback) JWKS endpoint.
	JWKSURL string `yaml:"jwks_url"`
	// Skew overrides jwt.skew for this issuer when set.
	Skew time.Duration `yaml:"skew"`
	// ValidateSubscription rejects tokens that carry no subscribedAPIs.
	ValidateSubscription bool `yaml:"validate_subscription"`
	// ConsumerKeyClaim names the claim that holds the consumer key (the
	// OAuth client id of the application), as MGW 3.x's consumerKeyClaim:
	// e.g. azp, client_id or aud (the first value of an array). Empty
	// means API Manager's consumerKey claim. With it, a token without an
	// application claim is throttled per consumer key.
	ConsumerKeyClaim string `yaml:"consumer_key_claim"`
	// ClaimMapping copies claims of a third-party issuer to the names the
	// gateway reads, before subscription and scope checks (MGW 3.x's
	// [[jwtTokenConfig.claims]] remoteClaim/localClaim).
	ClaimMapping []ClaimMapping `yaml:"claim_mapping"`
}

// ClaimMapping is one remote claim → local claim mapping.
type ClaimMapping struct {
	// Remote is the claim in the issuer's tokens, e.g. scp.
	Remote string `yaml:"remote"`
	// Local is the claim the gateway reads: sub, scope, consumerKey,
	// keytype, application or subscribedAPIs.
	Local string `yaml:"local"`
}

// CORSConfig is the gateway's default CORS policy, for APIs without their
// own corsConfiguration / x-wso2-cors.
type CORSConfig struct {
	Enabled          bool          `yaml:"enabled"`
	AllowOrigins     []string      `yaml:"allow_origins"`
	AllowMethods     []string      `yaml:"allow_methods"`
	AllowHeaders     []string      `yaml:"allow_headers"`
	ExposeHeaders    []string      `yaml:"expose_headers"`
	AllowCredentials bool          `yaml:"allow_credentials"`
	MaxAge           time.Duration `yaml:"max_age"`
}

func defaultSecurityConfig() SecurityConfig {
	return SecurityConfig{Enabled: true, AuthHeader: "Authorization", RemoveAuthHeader: true, TokenCacheSize: 10000, EndUserJWTHeader: "X-JWT-Assertion"}
}

func defaultKeyManagerConfig() KeyManagerConfig {
	return KeyManagerConfig{
		URL: "https://localhost:9443", Username: "admin", Mode: "soap",
		Timeout: 5 * time.Second, CacheTTL: 15 * time.Minute, NegativeCacheTTL: time.Minute,
	}
}

// jwtIssuers is the default issuer (when it has keys) and jwt.issuers.
func (c *Config) jwtIssuers() []JWTIssuer {
	var out []JWTIssuer
	j := c.JWT
	if j.CertFile != "" || j.JWKSURL != "" {
		out = append(out, JWTIssuer{Issuer: j.Issuer, Audience: j.Audience, CertFile: j.CertFile, JWKSURL: j.JWKSURL, ValidateSubscription: j.ValidateSubscription})
	}
	return append(out, j.Issuers...)
}

// validateSecurity checks the security, jwt, key_manager and cors
// sections. Files are read later, by newSecurity.
func (c *Config) validateSecurity() []string {
	var out []string
	bad := func(path, format string, args ...any) {
		out = append(out, c.where(path)+": "+fmt.Sprintf(format, args...))
	}
	if h := c.Security.EndUserJWTHeader; h != "" && !validHeaderName(h) {
		bad("security.end_user_jwt_header", "%q is not a header name; use a name such as X-JWT-Assertion, or \"\" to send none", h)
	}
	if c.Security.AuthHeader == "" || strings.ContainsAny(c.Security.AuthHeader, " :\t\r\n") {
		bad("security.auth_header", "%q is not a header name; use a name such as Authorization", c.Security.AuthHeader)
	}
	if c.Security.TokenCacheSize < 0 {
		bad("security.token_cache_size", "must not be negative")
	}
	seen := map[string]bool{}
	for i, u := range c.Security.BasicUsers {
		p := fmt.Sprintf("security.basic_users[%d]", i)
		if u.Name == "" || strings.Contains(u.Name, ":") {
			bad(p+".name", "a user name must be non-empty and hold no ':'")
		}
		if seen[u.Name] {
			bad(p+".name", "user %q is listed twice", u.Name)
		}
		seen[u.Name] = true
		if err := checkPasswordHash(u.PasswordHash); err != nil {
			bad(p+".password_hash", "%v", err)
		}
	}
	if c.JWT.Skew < 0 {
		bad("jwt.skew", "must not be negative")
	}
	if c.JWT.MaxTokenBytes < 256 {
		bad("jwt.max_token_bytes", "must be at least 256 bytes, such as 16KiB")
	}
	if c.JWT.JWKSRefreshInterval < time.Second {
		bad("jwt.jwks_refresh_interval", "must be at least 1s, such as 5m")
	}
	paths := []string{}
	if c.JWT.CertFile != "" || c.JWT.JWKSURL != "" {
		paths = append(paths, "jwt")
	}
	for i := range c.JWT.Issuers {
		paths = append(paths, fmt.Sprintf("jwt.issuers[%d]", i))
	}
	issuers := map[string]bool{}
	for i, is := range c.jwtIssuers() {
		out = append(out, c.checkIssuer(paths[i], is)...)
		if issuers[is.Issuer] {
			bad(paths[i]+".issuer", "issuer %q is configured twice; merge its keys into one entry", is.Issuer)
		}
		issuers[is.Issuer] = true
	}
	for i, is := range c.Security.APIKeyIssuers {
		out = append(out, c.checkIssuer(fmt.Sprintf("security.api_key_issuers[%d]", i), is)...)
	}
	km := c.KeyManager
	if km.Mode != "soap" && km.Mode != "introspect" {
		bad("key_manager.mode", "%q is not a mode; use soap or introspect", km.Mode)
	}
	if err := checkServiceURL(km.URL); err != nil {
		bad("key_manager.url", "%v", err)
	}
	if km.IntrospectURL != "" {
		if err := checkServiceURL(km.IntrospectURL); err != nil {
			bad("key_manager.introspect_url", "%v", err)
		}
	}
	if km.Timeout <= 0 {
		bad("key_manager.timeout", "must be positive, such as 5s")
	}
	if km.CacheTTL < 0 || km.NegativeCacheTTL < 0 {
		bad("key_manager", "cache_ttl and negative_cache_ttl must not be negative")
	}
	out = append(out, c.CORS.check("cors", c.where)...)
	return out
}

func (c *Config) checkIssuer(p string, is JWTIssuer) []string {
	var out []string
	if is.Issuer == "" {
		out = append(out, c.where(p+".issuer")+": an issuer needs its iss value")
	}
	if is.CertFile == "" && is.JWKSURL == "" {
		out = append(out, c.where(p)+": issuer "+fmt.Sprintf("%q", is.Issuer)+" needs cert_file or jwks_url")
	}
	if is.JWKSURL != "" {
		if err := checkServiceURL(is.JWKSURL); err != nil {
			out = append(out, c.where(p+".jwks_url")+": "+err.Error())
		}
	}
	if is.Skew < 0 {
		out = append(out, c.where(p+".skew")+": must not be negative")
	}
	if is.ConsumerKeyClaim != "" && !validClaimName(is.ConsumerKeyClaim) {
		out = append(out, c.where(p+".consumer_key_claim")+fmt.Sprintf(": %q is not a claim name", is.ConsumerKeyClaim))
	}
	locals := map[string]bool{}
	for j, m := range is.ClaimMapping {
		mp := fmt.Sprintf("%s.claim_mapping[%d]", p, j)
		if !validClaimName(m.Remote) {
			out = append(out, c.where(mp+".remote")+fmt.Sprintf(": %q is not a claim name", m.Remote))
		}
		if !slices.Contains(jwt.MappableClaims, m.Local) {
			out = append(out, c.where(mp+".local")+fmt.Sprintf(": %q is not a claim the gateway reads; use %s", m.Local, strings.Join(jwt.MappableClaims, ", ")))
		}
		if locals[m.Local] {
			out = append(out, c.where(mp+".local")+fmt.Sprintf(": %q is mapped twice; keep one", m.Local))
		}
		locals[m.Local] = true
	}
	return out
}

// validClaimName accepts printable names without spaces, at most 256
// bytes.
func validClaimName(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f {
			return false
		}
	}
	return true
}

// checkServiceURL accepts an absolute http(s) URL without credentials.
func checkServiceURL(s string) error {
	if err := checkBackendURL(s); err != nil {
		return err
	}
	return nil
}

// check validates a CORS policy; where names the origin of a key.
func (c CORSConfig) check(p string, where func(string) string) []string {
	var out []string
	for _, o := range c.AllowOrigins {
		if o == "*" {
			if c.AllowCredentials {
				out = append(out, where(p+".allow_origins")+": \"*\" cannot be combined with allow_credentials; list the origins")
			}
			continue
		}
		if !strings.HasPrefix(o, "http://") && !strings.HasPrefix(o, "https://") || strings.Count(o, "/") != 2 {
			out = append(out, where(p+".allow_origins")+fmt.Sprintf(": %q is not an origin such as https://app.example.com", o))
		}
	}
	for _, m := range c.AllowMethods {
		if m == "" || strings.ToUpper(m) != m || strings.ContainsAny(m, " ,") {
			out = append(out, where(p+".allow_methods")+fmt.Sprintf(": %q is not an upper-case method such as GET", m))
		}
	}
	for _, h := range append(append([]string{}, c.AllowHeaders...), c.ExposeHeaders...) {
		if h == "" || strings.ContainsAny(h, " ,:") || http.CanonicalHeaderKey(h) == "" {
			out = append(out, where(p)+fmt.Sprintf(": %q is not a header name", h))
		}
	}
	if c.MaxAge < 0 {
		out = append(out, where(p+".max_age")+": must not be negative")
	}
	return out
}

// validHeaderName reports a header field name: one or more token
// characters (RFC 9110 5.6.2).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}
