package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// sign builds a compact JWS over header and claims with priv.
func sign(t testing.TB, alg string, priv crypto.Signer, header map[string]any, claims map[string]any) string {
	t.Helper()
	return signEncoded(t, base64.RawURLEncoding, alg, priv, header, claims)
}

// signEncoded is sign with the segments in enc; API Manager 2.x uses the
// padded base64url encoding and signs the padded text.
func signEncoded(t testing.TB, enc *base64.Encoding, alg string, priv crypto.Signer, header map[string]any, claims map[string]any) string {
	t.Helper()
	h := map[string]any{"alg": alg, "typ": "JWT"}
	for k, v := range header {
		h[k] = v
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	input := enc.EncodeToString(hb) + "." + enc.EncodeToString(cb)
	var sig []byte
	var err error
	switch alg {
	case "EdDSA":
		sig = ed25519.Sign(priv.(ed25519.PrivateKey), []byte(input))
	default:
		hash := algHash(alg)
		hh := hash.New()
		hh.Write([]byte(input))
		d := hh.Sum(nil)
		switch alg[0] {
		case 'R':
			sig, err = rsa.SignPKCS1v15(rand.Reader, priv.(*rsa.PrivateKey), hash, d)
		case 'P':
			sig, err = rsa.SignPSS(rand.Reader, priv.(*rsa.PrivateKey), hash, d, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		case 'E':
			k := priv.(*ecdsa.PrivateKey)
			r, s, e := ecdsa.Sign(rand.Reader, k, d)
			err = e
			size := (k.Curve.Params().BitSize + 7) / 8
			sig = make([]byte, 2*size)
			r.FillBytes(sig[:size])
			s.FillBytes(sig[size:])
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc.EncodeToString(sig)
}

func validClaims() map[string]any {
	now := time.Now().Unix()
	return map[string]any{"iss": "https://idp", "aud": "gw", "sub": "alice", "exp": now + 600, "iat": now}
}

type keyPair struct {
	alg  string
	priv crypto.Signer
}

func keyPairs(t testing.TB) []keyPair {
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var out []keyPair
	for _, a := range []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"} {
		out = append(out, keyPair{a, rk})
	}
	for _, c := range []struct {
		alg   string
		curve elliptic.Curve
	}{{"ES256", elliptic.P256()}, {"ES384", elliptic.P384()}, {"ES512", elliptic.P521()}} {
		k, _ := ecdsa.GenerateKey(c.curve, rand.Reader)
		out = append(out, keyPair{c.alg, k})
	}
	_, ek, _ := ed25519.GenerateKey(rand.Reader)
	return append(out, keyPair{"EdDSA", ek})
}

func TestRealAPIManagerToken(t *testing.T) {
	raw, err := os.ReadFile("testdata/apim-2.x-sample-jwt-from-mgw302-readme.jwt")
	if err != nil {
		t.Fatal(err)
	}
	certPEM, err := os.ReadFile("testdata/apim-2.x-wso2carbon-public-cert.pem")
	if err != nil {
		t.Fatal(err)
	}
	keys, err := ParsePEM(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := Parse(strings.TrimSpace(string(raw)), 8192)
	if err != nil {
		t.Fatal(err)
	}
	if err := tok.VerifyWith(keys); err != nil {
		t.Fatalf("the API Manager token must verify with the wso2carbon certificate: %v", err)
	}
	c := tok.Claims
	if c.Issuer != "https://localhost:9443/oauth2/token" || !c.Audience.Contains("http://org.wso2.apimgt/gateway") {
		t.Errorf("iss/aud = %q/%q", c.Issuer, c.Audience)
	}
	if err := c.ValidateTime(time.Now(), 5*time.Second); err != nil {
		t.Errorf("times: %v", err)
	}
	if c.Application == nil || c.Application.ID != "2" || c.Application.Name != "JWT_APP" || c.KeyType != "PRODUCTION" {
		t.Errorf("application/keytype = %+v %q", c.Application, c.KeyType)
	}
	if c.SubscribedAPIs == nil || len(*c.SubscribedAPIs) != 0 {
		t.Errorf("subscribedAPIs must be present and empty: %v", c.SubscribedAPIs)
	}
	if got := c.IssuedAt.Unix(); got != 1555908706 {
		t.Errorf("iat in ms must be read as %d s, got %d", 1555908706, got)
	}
	if k := keys[0]; tok.Header.X5t != k.Thumbprints[1] {
		t.Errorf("x5t %q is not the hex thumbprint form %q", tok.Header.X5t, k.Thumbprints[1])
	}
	// One flipped payload byte breaks it.
	s := strings.TrimSpace(string(raw))
	i := strings.Index(s, ".") + 5
	b := []byte(s)
	b[i] ^= 1
	if tok2, err := Parse(string(b), 0); err == nil {
		if tok2.VerifyWith(keys) == nil {
			t.Error("a tampered API Manager token verified")
		}
	}
}

// TestPaddedSegments pins what rules out libraries that decode strictly
// (go-jose v4, docs/ARCHITECTURE.md): API Manager 2.x pads every segment
// with '=' and signs the padded text, so the signing input must be the
// header and payload exactly as transmitted.
func TestPaddedSegments(t *testing.T) {
	for _, p := range keyPairs(t) {
		t.Run(p.alg, func(t *testing.T) {
			k, err := NewKey("", "", p.priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			claims := validClaims()
			var s string
			for pad := ""; ; pad += "x" {
				claims["pad"] = pad
				s = signEncoded(t, base64.URLEncoding, p.alg, p.priv, nil, claims)
				if h, rest, _ := strings.Cut(s, "."); strings.HasSuffix(h, "=") || strings.Contains(rest[:strings.Index(rest, ".")], "=") {
					break
				}
			}
			tok, err := Parse(s, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(k); err != nil {
				t.Fatalf("padded %s token rejected: %v", p.alg, err)
			}
			// The same token with the padding stripped is signed over
			// other text and must not verify.
			parts := strings.Split(s, ".")
			for i := range parts[:2] {
				parts[i] = strings.TrimRight(parts[i], "=")
			}
			tok, err = Parse(strings.Join(parts, "."), 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(k); !errors.Is(err, ErrSignature) {
				t.Fatalf("padding stripped after signing: %v, want ErrSignature", err)
			}
		})
	}
}

func TestAlgorithms(t *testing.T) {
	pairs := keyPairs(t)
	for _, p := range pairs {
		t.Run(p.alg, func(t *testing.T) {
			k, err := NewKey("", "", p.priv.Public())
			if err != nil {
				t.Fatal(err)
			}
			tok, err := Parse(sign(t, p.alg, p.priv, nil, validClaims()), 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := tok.Verify(k); err != nil {
				t.Fatalf("valid %s token rejected: %v", p.alg, err)
			}
			// Every other key type must refuse the token's algorithm.
			for _, o := range pairs {
				ok, _ := NewKey("", "", o.priv.Public())
				if o.alg[:2] == p.alg[:2] || (o.alg[0] == 'R' || o.alg[0] == 'P') && (p.alg[0] == 'R' || p.alg[0] == 'P') {
					continue
				}
				if err := tok.Verify(ok); !errors.Is(err, ErrAlgorithm) {
					t.Errorf("%s token with a %s key: %v, want ErrAlgorithm", p.alg, o.alg, err)
				}
			}
		})
	}
}

func TestAttacks(t *testing.T) {
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	key, _ := NewKey("", "", rk.Public())
	other, _ := rsa.GenerateKey(rand.Reader, 2048)
	good := sign(t, "RS256", rk, nil, validClaims())
	parts := strings.Split(good, ".")

	pubDER, _ := x509.MarshalPKIXPublicKey(rk.Public())
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	hmacToken := func(secret []byte) string {
		hb := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
		input := hb + "." + parts[1]
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(input))
		return input + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}
	noneHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none"}`))
	tamperedPayload := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(mustB64(t, parts[1]), "alice", "admin", 1)))
	sig := mustB64(t, parts[2])
	tamperedSig := []byte(sig)
	tamperedSig[10] ^= 0xff

	cases := []struct {
		name  string
		token string
		want  error
	}{
		{"alg none", noneHeader + "." + parts[1] + ".", ErrMalformed},
		{"alg none with signature", noneHeader + "." + parts[1] + "." + parts[2], ErrAlgorithm},
		{"HMAC with the PEM public key", hmacToken(pubPEM), ErrAlgorithm},
		{"HMAC with the DER public key", hmacToken(pubDER), ErrAlgorithm},
		{"swapped algorithm ES256", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256"}`)) + "." + parts[1] + "." + parts[2], ErrAlgorithm},
		{"swapped algorithm PS256", base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"PS256"}`)) + "." + parts[1] + "." + parts[2], ErrSignature},
		{"tampered payload", parts[0] + "." + tamperedPayload + "." + parts[2], ErrSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(tamperedSig), ErrSignature},
		{"other key", sign(t, "RS256", other, nil, validClaims()), ErrSignature},
		{"truncated", good[:len(good)-20], ErrSignature},
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"four parts", good + ".x", ErrMalformed},
		{"oversized", sign(t, "RS256", rk, nil, map[string]any{"pad": strings.Repeat("x", 9000)}), ErrTooLarge},
		{"crit header", sign(t, "RS256", rk, map[string]any{"crit": []string{"exp"}}, validClaims()), ErrMalformed},
		{"payload not JSON", parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte("hello")) + "." + parts[2], ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Parse(c.token, 8192)
			if err == nil {
				err = tok.VerifyWith([]Key{key})
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("got %v, want %v", err, c.want)
			}
		})
	}
	// The good token passes, so the cases above fail for their reason.
	tok, err := Parse(good, 8192)
	if err != nil || tok.VerifyWith([]Key{key}) != nil {
		t.Fatalf("good token rejected: %v", err)
	}
}

func mustB64(t *testing.T, s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestTimes(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	skew := 30 * time.Second
	at := func(d time.Duration) *NumericDate { return &NumericDate{now.Add(d)} }
	cases := []struct {
		name string
		c    Claims
		want error
	}{
		{"valid", Claims{Expiry: at(time.Minute)}, nil},
		{"no exp", Claims{}, ErrClaims},
		{"expired", Claims{Expiry: at(-time.Minute)}, ErrExpired},
		{"expired within skew", Claims{Expiry: at(-10 * time.Second)}, nil},
		{"nbf future", Claims{Expiry: at(time.Hour), NotBefore: at(time.Minute)}, ErrNotYetValid},
		{"nbf within skew", Claims{Expiry: at(time.Hour), NotBefore: at(10 * time.Second)}, nil},
		{"iat future", Claims{Expiry: at(time.Hour), IssuedAt: at(time.Minute)}, ErrNotYetValid},
	}
	for _, c := range cases {
		if err := c.c.ValidateTime(now, skew); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
}

func TestKeyIDSelection(t *testing.T) {
	k1, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	k2, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key1, _ := NewKey("one", "", k1.Public())
	key2, _ := NewKey("two", "ES256", k2.Public())
	tok, _ := Parse(sign(t, "ES256", k2, map[string]any{"kid": "two"}, validClaims()), 0)
	if err := tok.VerifyWith([]Key{key1, key2}); err != nil {
		t.Fatalf("kid two: %v", err)
	}
	tok, _ = Parse(sign(t, "ES256", k2, map[string]any{"kid": "three"}, validClaims()), 0)
	if err := tok.VerifyWith([]Key{key1, key2}); !errors.Is(err, ErrNoKey) {
		t.Fatalf("unknown kid: %v, want ErrNoKey", err)
	}
	tok, _ = Parse(sign(t, "ES256", k1, map[string]any{"kid": "two"}, validClaims()), 0)
	if err := tok.VerifyWith([]Key{key1, key2}); !errors.Is(err, ErrSignature) {
		t.Fatalf("kid two signed by key one: %v, want ErrSignature", err)
	}
}

func TestParseJWKS(t *testing.T) {
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	ek, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	b := base64.RawURLEncoding.EncodeToString
	ecX, ecY := make([]byte, 48), make([]byte, 48)
	ecb, _ := ek.PublicKey.Bytes()
	copy(ecX, ecb[1:49])
	copy(ecY, ecb[49:])
	doc, _ := json.Marshal(map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "r", "use": "sig", "alg": "RS256", "n": b(rk.N.Bytes()), "e": "AQAB"},
		{"kty": "EC", "kid": "e", "crv": "P-384", "x": b(ecX), "y": b(ecY)},
		{"kty": "OKP", "kid": "d", "crv": "Ed25519", "x": b(edPub)},
		{"kty": "RSA", "kid": "enc", "use": "enc", "n": "AA", "e": "AQAB"},
		{"kty": "oct", "kid": "h", "k": "c2VjcmV0"},
	}})
	keys, err := ParseJWKS(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 3 {
		t.Fatalf("got %d keys, want 3 (enc and oct skipped)", len(keys))
	}
	for _, c := range []struct {
		alg  string
		kid  string
		priv crypto.Signer
	}{{"RS256", "r", rk}, {"ES384", "e", ek}, {"EdDSA", "d", edPriv}} {
		tok, _ := Parse(sign(t, c.alg, c.priv, map[string]any{"kid": c.kid}, validClaims()), 0)
		if err := tok.VerifyWith(keys); err != nil {
			t.Errorf("%s via JWKS: %v", c.alg, err)
		}
	}
	// The RSA key is pinned to RS256 by its alg.
	tok, _ := Parse(sign(t, "PS256", rk, map[string]any{"kid": "r"}, validClaims()), 0)
	if err := tok.VerifyWith(keys); !errors.Is(err, ErrAlgorithm) {
		t.Errorf("PS256 with an RS256 JWK: %v", err)
	}
	for _, bad := range []string{`{`, `{"keys":[]}`, `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`, `{"keys":[{"kty":"RSA","n":"","e":"AQAB"}]}`} {
		if _, err := ParseJWKS([]byte(bad)); err == nil {
			t.Errorf("ParseJWKS(%s) accepted", bad)
		}
	}
}

func TestParsePEMErrors(t *testing.T) {
	if _, err := ParsePEM([]byte("not pem")); err == nil {
		t.Error("non-PEM accepted")
	}
	if _, err := ParsePEM(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: []byte{1}})); err == nil || !strings.Contains(err.Error(), "CERTIFICATE or PUBLIC KEY") {
		t.Errorf("private key block: %v", err)
	}
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	der, _ := x509.MarshalPKIXPublicKey(small.Public())
	if _, err := ParsePEM(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})); err == nil {
		t.Error("1024-bit RSA key accepted")
	}
}
