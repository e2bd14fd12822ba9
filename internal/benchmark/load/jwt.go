package main

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// jwtBasePath is gwbuild's JWTBasePath: the secured copy of the API.
const jwtBasePath = "/bench-jwt/v1"

// startGatewayJWT runs the benchmark gateway with JWT authentication: a
// fresh RSA key signs one API Manager style token that every request
// carries; the gateway trusts the key through MGW_JWT_CERT_FILE.
func startGatewayJWT(ctx context.Context, env *Env) (Target, error) {
	return startSecured(ctx, env)
}

// startGatewaySecured is the secured scenario of issue 12: JWT
// authentication with its subscription check, throttling by application,
// subscription and API policies (in memory), and usage analytics.
func startGatewaySecured(ctx context.Context, env *Env) (Target, error) {
	return startSecured(ctx, env, throttleEnv, analyticsEnv)
}

// startSecured starts the gateway with the JWT setup of gateway-jwt and
// the extra variables of more.
func startSecured(ctx context.Context, env *Env, more ...func(*Env) []string) (Target, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Target{}, fmt.Errorf("gateway-jwt: %w", err)
	}
	der, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return Target{}, fmt.Errorf("gateway-jwt: %w", err)
	}
	certFile := filepath.Join(env.Dir, "jwt-signer.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		return Target{}, fmt.Errorf("gateway-jwt: %w", err)
	}
	token, err := benchToken(key)
	if err != nil {
		return Target{}, fmt.Errorf("gateway-jwt: %w", err)
	}
	vars := append([]func(*Env) []string{func(*Env) []string { return []string{"MGW_JWT_CERT_FILE=" + certFile} }}, more...)
	t, err := startGateway(false, vars...)(ctx, env)
	if err != nil {
		return Target{}, err
	}
	t.URL = strings.Replace(t.URL, benchBasePath, jwtBasePath, 1)
	t.Headers = []string{"Authorization: Bearer " + token}
	return t, nil
}

// benchToken signs an RS256 token with the default issuer and audience,
// valid for a day, for the application BenchApp subscribed to the
// secured API with the BenchSub tier, as API Manager 2.6 issues them.
func benchToken(key *rsa.PrivateKey) (string, error) {
	now := time.Now()
	header, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT"})
	claims, _ := json.Marshal(map[string]any{
		"iss": "https://localhost:9443/oauth2/token", "aud": "http://org.wso2.apimgt/gateway",
		"sub": "bench", "iat": now.Unix(), "exp": now.Add(24 * time.Hour).Unix(),
		"keytype": "PRODUCTION", "consumerKey": "benchConsumerKey",
		"subscribedAPIs": []any{map[string]any{
			"name": "BenchJWT", "context": jwtBasePath, "version": "v1", "publisher": "admin",
			"subscriptionTier": "BenchSub", "subscriberTenantDomain": "carbon.super",
		}},
		"application": map[string]any{"id": 1, "name": "bench", "tier": "BenchApp", "owner": "bench"},
	})
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(claims)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
