package apimsim

import (
	"crypto/rand"
	"fmt"
)

// alnum is the alphabet of client ids and secrets (like API Manager's
// 28-character consumer keys).
const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// randomKey returns n random alphanumeric characters.
func randomKey(n int) string {
	b := make([]byte, n)
	randomBytes(b)
	for i := range b {
		b[i] = alnum[int(b[i])%len(alnum)]
	}
	return string(b)
}

// randomUUID returns a random version 4 UUID, the form of API Manager's
// opaque access tokens.
func randomUUID() string {
	b := make([]byte, 16)
	randomBytes(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// randomBytes fills b from crypto/rand, which never fails on supported
// platforms (it panics itself if the system source is broken).
func randomBytes(b []byte) {
	_, _ = rand.Read(b)
}
