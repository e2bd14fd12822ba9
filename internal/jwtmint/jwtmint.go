// Package jwtmint issues API Manager style JWT access tokens for end-to-end
// tests and the demo: RS256, an x5t header, and the claims of API Manager
// 2.x (application, subscribedAPIs, keytype, consumerKey, iat in
// milliseconds), 3.x (the same with aud and azp as the consumer key,
// tierInfo, application uuid, iat in seconds) or 4.x JWT access tokens
// (sub, aut, aud, azp, client_id, scope; no subscriptions, application or
// keytype). It plays the API Manager's key manager; gateways never import
// it.
package jwtmint

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// Default issuer and audience, as API Manager 2.x and the gateway use them.
const (
	Issuer   = "https://localhost:9443/oauth2/token"
	Audience = "http://org.wso2.apimgt/gateway"
)

// Minter signs tokens with its own RSA key.
type Minter struct {
	key  *rsa.PrivateKey
	cert []byte // DER
}

// New creates a key and a self-signed certificate for it.
func New() (*Minter, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("jwtmint: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: "mgw test key manager"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("jwtmint: %w", err)
	}
	return &Minter{key: key, cert: der}, nil
}

// CertPEM is the certificate a gateway trusts for these tokens.
func (m *Minter) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: m.cert})
}

// API names a subscription carried in the token.
type API struct {
	Name, Version, Context, Tier string
}

// Claims are the parts of an API Manager token that vary between tests.
type Claims struct {
	Subject   string
	KeyType   string // PRODUCTION (default) or SANDBOX
	Scopes    []string
	APIs      []API // subscribedAPIs; nil means an empty list
	AppID     int
	AppName   string
	AppTier   string
	TTL       time.Duration // default one hour
	Issuer    string        // default Issuer
	Audience  string        // default Audience (2.x); 3.x and 4.x use the consumer key
	NotBefore time.Time
	// Format is FormatAPIM2 (the default), FormatAPIM3 or FormatAPIM4.
	Format string
	// ConsumerKey is the application's OAuth client id; default
	// "mgwTestConsumerKey".
	ConsumerKey string
	// Extra are custom claims (an issuer's own, such as a department),
	// added last: they replace a standard claim of the same name.
	Extra map[string]any
}

// Token formats of Claims.Format.
const (
	FormatAPIM2 = "2.x"
	FormatAPIM3 = "3.x"
	FormatAPIM4 = "4.x"
)

// Token signs an API Manager style access token of c.Format.
func (m *Minter) Token(c Claims) (string, error) {
	now := time.Now()
	orDefault := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	ttl := c.TTL
	if ttl == 0 {
		ttl = time.Hour
	}
	subs := []map[string]any{}
	for _, a := range c.APIs {
		subs = append(subs, map[string]any{
			"subscriberTenantDomain": "carbon.super", "name": a.Name, "context": a.Context,
			"publisher": "admin", "version": a.Version, "subscriptionTier": orDefault(a.Tier, "Unlimited"),
		})
	}
	scope := "default"
	for _, s := range c.Scopes {
		scope += " " + s
	}
	appID := c.AppID
	if appID == 0 {
		appID = 1
	}
	payload := map[string]any{
		"aud": orDefault(c.Audience, Audience), "iss": orDefault(c.Issuer, Issuer),
		"sub": orDefault(c.Subject, "admin"),
		"application": map[string]any{
			"id": appID, "name": orDefault(c.AppName, "DefaultApplication"),
			"tier": orDefault(c.AppTier, "Unlimited"), "owner": "admin",
		},
		"scope": scope, "keytype": orDefault(c.KeyType, "PRODUCTION"),
		"subscribedAPIs": subs, "consumerKey": "mgwTestConsumerKey",
		"exp": now.Add(ttl).Unix(), "iat": now.UnixMilli(), "jti": fmt.Sprintf("%x", now.UnixNano()),
	}
	ck := orDefault(c.ConsumerKey, "mgwTestConsumerKey")
	payload["consumerKey"] = ck
	switch c.Format {
	case "", FormatAPIM2:
	case FormatAPIM3:
		// API Manager 3.x: the consumer key is the audience and azp, no
		// consumerKey claim; tierInfo per subscription tier; iat in s.
		delete(payload, "consumerKey")
		payload["aud"], payload["azp"], payload["iat"] = orDefault(c.Audience, ck), ck, now.Unix()
		payload["sub"] = orDefault(c.Subject, "admin") + "@carbon.super"
		payload["application"].(map[string]any)["uuid"] = "2b7a5c1e-6f0d-4a43-9c1b-3f7e8d2a9b10"
		tiers := map[string]any{}
		for _, a := range c.APIs {
			tiers[orDefault(a.Tier, "Unlimited")] = map[string]any{"tierQuotaType": "requestCount", "stopOnQuotaReach": true, "spikeArrestLimit": 0, "spikeArrestUnit": nil}
		}
		payload["tierInfo"] = tiers
	case FormatAPIM4:
		// API Manager 4.x JWT access token: who and which client, nothing
		// about subscriptions, the application or the key type.
		payload = map[string]any{
			"sub": orDefault(c.Subject, "admin"), "aut": "APPLICATION_USER",
			"aud": []string{orDefault(c.Audience, ck)}, "nbf": now.Add(-time.Second).Unix(), "azp": ck,
			"scope": scope, "iss": orDefault(c.Issuer, Issuer), "exp": now.Add(ttl).Unix(),
			"iat": now.Unix(), "jti": fmt.Sprintf("%x", now.UnixNano()), "client_id": ck,
		}
	default:
		return "", fmt.Errorf("jwtmint: unknown token format %q; use %s, %s or %s", c.Format, FormatAPIM2, FormatAPIM3, FormatAPIM4)
	}
	if !c.NotBefore.IsZero() {
		payload["nbf"] = c.NotBefore.Unix()
	}
	for k, v := range c.Extra {
		payload[k] = v
	}
	sum := sha1.Sum(m.cert)
	header := map[string]any{"typ": "JWT", "alg": "RS256", "x5t": base64.RawURLEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:])))}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	p, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	digest := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, m.key, crypto.SHA256, digest[:])
	if err != nil {
		return "", fmt.Errorf("jwtmint: %w", err)
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
