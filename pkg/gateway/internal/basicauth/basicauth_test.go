package basicauth

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Known bcrypt hashes (Openwall crypt_blowfish and OpenBSD test suites):
// what users paste from htpasswd or the original gateway must keep working.
var bcryptVectors = []struct{ password, hash string }{
	{"U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
	{"U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"},
	{"U*U*U", "$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a"},
	{"", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"},
	{"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored", "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"},
	{"\xa3", "$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq"},
	{"abcdefghijklmnopqrstuvwxyz", "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC"},
	{"", "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s."},
	{"password", "$2a$05$bvIG6Nmid91Mu9RcmmWZfO5HJIMCT8riNW0hEp8f6/FuA2/mHZFpe"},
}

func TestBcryptVectors(t *testing.T) {
	for _, v := range bcryptVectors {
		h, err := ParseHash(v.hash)
		if err != nil {
			t.Fatalf("%s: %v", v.hash, err)
		}
		if !h.Check(v.password) {
			t.Errorf("%q does not match %s", v.password, v.hash)
		}
		if len(v.password) < 72 && h.Check(v.password+"x") {
			t.Errorf("%q+x matches %s", v.password, v.hash)
		}
	}
	// $2y$ is the same algorithm.
	h, _ := ParseHash(strings.Replace(bcryptVectors[0].hash, "$2a$", "$2y$", 1))
	if !h.Check("U*U") {
		t.Error("$2y$ not accepted")
	}
}

func TestParseHashErrors(t *testing.T) {
	for _, bad := range []string{"", "plain", "sha256$$abc", "sha256$s$zz", "sha256$s$" + strings.Repeat("a", 63),
		strings.Repeat("g", 40), "$2a$03$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "$2x$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
		"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOe", "$2a$05$CCCCCCCCCCCCCCCCCCCCC!E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"} {
		if _, err := ParseHash(bad); err == nil {
			t.Errorf("ParseHash(%q) accepted", bad)
		} else if bad != "" && len(bad) > 8 && strings.Contains(err.Error(), bad) {
			t.Errorf("error repeats the hash: %v", err)
		}
	}
}

func TestSHAHashes(t *testing.T) {
	sum := sha256.Sum256([]byte("pepper" + "hunter2"))
	h, err := ParseHash("sha256$pepper$" + hex.EncodeToString(sum[:]))
	if err != nil || !h.Check("hunter2") || h.Check("hunter3") || h.Check("") {
		t.Fatalf("salted SHA-256: %v", err)
	}
	// The original's b7a.users password: SHA-1 hex, either case.
	for _, s := range []string{"5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"} {
		h, err := ParseHash(s)
		if err != nil || !h.Check("password") || h.Check("Password") {
			t.Fatalf("SHA-1 %s: %v", s, err)
		}
	}
}

func TestStore(t *testing.T) {
	a, _ := ParseHash(bcryptVectors[0].hash)
	s := NewStore(map[string]Hash{"ann": a})
	if !s.Authenticate("ann", "U*U") || s.Authenticate("ann", "U*U*") || s.Authenticate("bob", "U*U") || s.Authenticate("", "") {
		t.Fatal("store")
	}
}

// BenchmarkBcryptCheckCost10 is one password check at the cost htpasswd
// -B uses by default: what a basic-auth request pays on a cache miss.
func BenchmarkBcryptCheckCost10(b *testing.B) {
	hash, err := bcrypt.GenerateFromPassword([]byte("password"), 10)
	if err != nil {
		b.Fatal(err)
	}
	h, err := ParseHash(string(hash))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if !h.Check("password") {
			b.Fatal("no match")
		}
	}
}
