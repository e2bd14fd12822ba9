package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
)

// Key is a public key that may verify tokens.
type Key struct {
	// ID is the key id (JWKS kid); empty for keys from PEM files.
	ID string
	// Alg, when set (JWKS "alg"), is the only algorithm the key accepts.
	Alg string
	// Public is an *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey.
	Public crypto.PublicKey
	// Thumbprints are the certificate's SHA-1 thumbprint forms a token's
	// x5t may carry (standard base64url of the digest, and API Manager's
	// base64url of the hex digest); empty for bare keys.
	Thumbprints []string
}

// NewKey checks that pub is a supported public key type and size.
func NewKey(id, alg string, pub crypto.PublicKey) (Key, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return Key{}, fmt.Errorf("RSA key of %d bits is too small; use at least 2048", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		if curveAlg(k.Curve) == "" {
			return Key{}, errors.New("unsupported elliptic curve; use P-256, P-384 or P-521")
		}
	case ed25519.PublicKey:
		if len(k) != ed25519.PublicKeySize {
			return Key{}, errors.New("bad Ed25519 key size")
		}
	default:
		return Key{}, fmt.Errorf("unsupported key type %T; use RSA, ECDSA or Ed25519", pub)
	}
	if alg != "" && !algFits(alg, pub) {
		return Key{}, fmt.Errorf("algorithm %q does not fit the key type", alg)
	}
	return Key{ID: id, Alg: alg, Public: pub}, nil
}

// ParsePEM reads every CERTIFICATE and PUBLIC KEY block of data.
func ParsePEM(data []byte) ([]Key, error) {
	var keys []Key
	for n := 1; ; n++ {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			c, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			k, err := NewKey("", "", c.PublicKey)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			sum := sha1.Sum(c.Raw)
			k.Thumbprints = []string{
				base64.RawURLEncoding.EncodeToString(sum[:]),
				base64.RawURLEncoding.EncodeToString([]byte(hex.EncodeToString(sum[:]))),
			}
			keys = append(keys, k)
		case "PUBLIC KEY":
			pub, err := x509.ParsePKIXPublicKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			k, err := NewKey("", "", pub)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			keys = append(keys, k)
		default:
			return nil, fmt.Errorf("PEM block %d is a %q; expected CERTIFICATE or PUBLIC KEY", n, b.Type)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("no PEM CERTIFICATE or PUBLIC KEY block found")
	}
	return keys, nil
}

func curveAlg(c elliptic.Curve) string {
	switch c {
	case elliptic.P256():
		return "ES256"
	case elliptic.P384():
		return "ES384"
	case elliptic.P521():
		return "ES512"
	}
	return ""
}

// algFits reports whether a token algorithm may be used with pub.
func algFits(alg string, pub crypto.PublicKey) bool {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch alg {
		case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
			return true
		}
	case *ecdsa.PublicKey:
		return alg == curveAlg(k.Curve)
	case ed25519.PublicKey:
		return alg == "EdDSA"
	}
	return false
}

func curveOf(name string) elliptic.Curve {
	switch name {
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return elliptic.P256()
}
