package jwt

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	_ "crypto/sha256" // SHA-256 for RS256, PS256, ES256
	_ "crypto/sha512" // SHA-384 and SHA-512
	"fmt"
	"math/big"
)

func algHash(alg string) crypto.Hash {
	switch alg[len(alg)-3:] {
	case "256":
		return crypto.SHA256
	case "384":
		return crypto.SHA384
	case "512":
		return crypto.SHA512
	}
	return 0
}

// Verify checks the token's signature with k. The token's alg must fit
// the key's type (and equal k.Alg when set).
func (t *Token) Verify(k Key) error {
	alg := t.Header.Alg
	if (k.Alg != "" && alg != k.Alg) || !algFits(alg, k.Public) {
		return fmt.Errorf("%w: %q with this key", ErrAlgorithm, alg)
	}
	if alg == "EdDSA" {
		if !ed25519.Verify(k.Public.(ed25519.PublicKey), []byte(t.signingInput), t.signature) {
			return ErrSignature
		}
		return nil
	}
	h := algHash(alg)
	hh := h.New()
	hh.Write([]byte(t.signingInput))
	digest := hh.Sum(nil)
	switch pub := k.Public.(type) {
	case *rsa.PublicKey:
		var err error
		if alg[0] == 'P' {
			err = rsa.VerifyPSS(pub, h, digest, t.signature, &rsa.PSSOptions{SaltLength: rsa.PSSSaltLengthEqualsHash})
		} else {
			err = rsa.VerifyPKCS1v15(pub, h, digest, t.signature)
		}
		if err != nil {
			return ErrSignature
		}
	case *ecdsa.PublicKey:
		size := (pub.Curve.Params().BitSize + 7) / 8
		if len(t.signature) != 2*size {
			return ErrSignature
		}
		r := new(big.Int).SetBytes(t.signature[:size])
		s := new(big.Int).SetBytes(t.signature[size:])
		if !ecdsa.Verify(pub, digest, r, s) {
			return ErrSignature
		}
	default:
		return ErrAlgorithm
	}
	return nil
}

// VerifyWith verifies t with the first fitting key of keys: the one whose
// ID equals the token's kid, and every key without an ID.
// It returns ErrNoKey when no key may verify the token.
func (t *Token) VerifyWith(keys []Key) error {
	var tried bool
	var last error
	kid := t.Header.Kid
	for _, k := range keys {
		if kid != "" && k.ID != "" && k.ID != kid {
			continue
		}
		if !algFits(t.Header.Alg, k.Public) || (k.Alg != "" && k.Alg != t.Header.Alg) {
			last = fmt.Errorf("%w: %q with the configured key", ErrAlgorithm, t.Header.Alg)
			continue
		}
		tried = true
		if err := t.Verify(k); err != nil {
			last = err
			continue
		}
		return nil
	}
	if !tried {
		if last != nil {
			return last
		}
		return ErrNoKey
	}
	return last
}
