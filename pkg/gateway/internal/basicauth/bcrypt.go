package basicauth

import (
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strconv"
)

// bcryptEncoding is bcrypt's base64 alphabet, without padding.
var bcryptEncoding = base64.NewEncoding("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789").WithPadding(base64.NoPadding)

const (
	bcryptMinCost = 4
	bcryptMaxCost = 31
	// bcryptHashLen is "$2b$10$" + 22 salt + 31 digest characters.
	bcryptHashLen = 60
)

var errBcryptFormat = errors.New(`a bcrypt hash is "$2a$", "$2b$" or "$2y$", a two-digit cost (04-31), "$", then 53 characters`)

// bcryptParts splits a bcrypt hash into cost, salt and digest.
func bcryptParts(s string) (cost int, salt, digest []byte, err error) {
	if len(s) != bcryptHashLen || s[0] != '$' || s[1] != '2' || (s[2] != 'a' && s[2] != 'b' && s[2] != 'y') || s[3] != '$' || s[6] != '$' {
		return 0, nil, nil, errBcryptFormat
	}
	cost, err = strconv.Atoi(s[4:6])
	if err != nil || cost < bcryptMinCost || cost > bcryptMaxCost {
		return 0, nil, nil, errBcryptFormat
	}
	salt, err = bcryptEncoding.DecodeString(s[7:29])
	if err != nil || len(salt) != 16 {
		return 0, nil, nil, errBcryptFormat
	}
	digest, err = bcryptEncoding.DecodeString(s[29:])
	if err != nil || len(digest) != 23 {
		return 0, nil, nil, errBcryptFormat
	}
	return cost, salt, digest, nil
}

// checkBcrypt validates the form of a bcrypt hash.
func checkBcrypt(s string) error {
	_, _, _, err := bcryptParts(s)
	return err
}

// bcryptCheck compares password with a bcrypt hash.
func bcryptCheck(hash, password string) bool {
	cost, salt, digest, err := bcryptParts(hash)
	if err != nil {
		return false
	}
	got := bcryptDigest(cost, salt, []byte(password))
	return subtle.ConstantTimeCompare(got, digest) == 1
}

// bcryptDigest is the 23-byte bcrypt digest of password (as $2b$: the key
// is the password and a NUL byte, at most 72 bytes).
func bcryptDigest(cost int, salt, password []byte) []byte {
	key := make([]byte, 0, len(password)+1)
	key = append(append(key, password...), 0)
	if len(key) > 72 {
		key = key[:72]
	}
	var st blowfish
	st.P, st.S = piP, piS
	st.expand(salt, key)
	for i := uint64(0); i < 1<<uint(cost); i++ {
		st.expand(nil, key)
		st.expand(nil, salt)
	}
	ctext := []byte("OrpheanBeholderScryDoubt")
	var words [6]uint32
	for i := range words {
		words[i] = uint32(ctext[4*i])<<24 | uint32(ctext[4*i+1])<<16 | uint32(ctext[4*i+2])<<8 | uint32(ctext[4*i+3])
	}
	for i := 0; i < 64; i++ {
		for j := 0; j < 6; j += 2 {
			words[j], words[j+1] = st.encrypt(words[j], words[j+1])
		}
	}
	out := make([]byte, 24)
	for i, w := range words {
		out[4*i], out[4*i+1], out[4*i+2], out[4*i+3] = byte(w>>24), byte(w>>16), byte(w>>8), byte(w)
	}
	return out[:23]
}

// blowfish is the cipher state bcrypt's EksBlowfishSetup prepares.
type blowfish struct {
	P [18]uint32
	S [4][256]uint32
}

func (b *blowfish) f(x uint32) uint32 {
	return ((b.S[0][x>>24] + b.S[1][x>>16&0xff]) ^ b.S[2][x>>8&0xff]) + b.S[3][x&0xff]
}

func (b *blowfish) encrypt(l, r uint32) (uint32, uint32) {
	for i := 0; i < 16; i += 2 {
		l ^= b.P[i]
		r ^= b.f(l)
		r ^= b.P[i+1]
		l ^= b.f(r)
	}
	l ^= b.P[16]
	r ^= b.P[17]
	return r, l
}

// streamWord reads the next 32-bit word of data, cycling, from *pos.
func streamWord(data []byte, pos *int) uint32 {
	var w uint32
	for i := 0; i < 4; i++ {
		if *pos >= len(data) {
			*pos = 0
		}
		w = w<<8 | uint32(data[*pos])
		*pos++
	}
	return w
}

// expand is Blowfish's key schedule with key, where every block
// encrypted is first XORed with the next words of salt (when non-nil):
// bcrypt's ExpandKey.
func (b *blowfish) expand(salt, key []byte) {
	kp := 0
	for i := range b.P {
		b.P[i] ^= streamWord(key, &kp)
	}
	sp := 0
	var l, r uint32
	next := func() {
		if salt != nil {
			l ^= streamWord(salt, &sp)
			r ^= streamWord(salt, &sp)
		}
		l, r = b.encrypt(l, r)
	}
	for i := 0; i < 18; i += 2 {
		next()
		b.P[i], b.P[i+1] = l, r
	}
	for s := 0; s < 4; s++ {
		for i := 0; i < 256; i += 2 {
			next()
			b.S[s][i], b.S[s][i+1] = l, r
		}
	}
}
