package jwt

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// jwk is one JSON Web Key (RFC 7517) as a JWKS document lists it.
type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// ParseJWKS reads a JWKS document ({"keys":[…]}). Keys whose use is not
// "sig", and key types it does not know, are skipped; a key that is
// broken is an error. It returns an error when no usable key remains.
func ParseJWKS(data []byte) ([]Key, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not a JWKS document: %w", err)
	}
	var keys []Key
	for i, raw := range doc.Keys {
		var k jwk
		if err := json.Unmarshal(raw, &k); err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		key, ok, err := k.key()
		if err != nil {
			return nil, fmt.Errorf("key %d (kid %q): %w", i+1, k.Kid, err)
		}
		if ok {
			keys = append(keys, key)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("the JWKS document holds no RSA, EC or Ed25519 signing key")
	}
	return keys, nil
}

func b64(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func (k *jwk) key() (Key, bool, error) {
	switch k.Kty {
	case "RSA":
		n, err := b64(k.N)
		if err != nil || len(n) == 0 {
			return Key{}, false, errors.New("bad modulus n")
		}
		e, err := b64(k.E)
		if err != nil || len(e) == 0 || len(e) > 4 {
			return Key{}, false, errors.New("bad exponent e")
		}
		exp := int(new(big.Int).SetBytes(e).Int64())
		if exp < 3 || exp%2 == 0 {
			return Key{}, false, errors.New("bad exponent e")
		}
		key, err := NewKey(k.Kid, k.Alg, &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp})
		return key, err == nil, err
	case "EC":
		x, errX := b64(k.X)
		y, errY := b64(k.Y)
		if errX != nil || errY != nil {
			return Key{}, false, errors.New("bad x or y")
		}
		var size int
		var curve string
		switch k.Crv {
		case "P-256":
			size, curve = 32, "P-256"
		case "P-384":
			size, curve = 48, "P-384"
		case "P-521":
			size, curve = 66, "P-521"
		default:
			return Key{}, false, fmt.Errorf("unsupported curve %q", k.Crv)
		}
		if len(x) != size || len(y) != size {
			return Key{}, false, fmt.Errorf("x and y of a %s key must be %d bytes", curve, size)
		}
		point := append(append([]byte{4}, x...), y...)
		pub, err := ecdsa.ParseUncompressedPublicKey(curveOf(curve), point)
		if err != nil {
			return Key{}, false, fmt.Errorf("point is not on %s", curve)
		}
		key, err := NewKey(k.Kid, k.Alg, pub)
		return key, err == nil, err
	case "OKP":
		if k.Crv != "Ed25519" {
			return Key{}, false, nil
		}
		x, err := b64(k.X)
		if err != nil || len(x) != ed25519.PublicKeySize {
			return Key{}, false, errors.New("bad Ed25519 x")
		}
		key, err := NewKey(k.Kid, k.Alg, ed25519.PublicKey(x))
		return key, err == nil, err
	}
	return Key{}, false, nil
}
