package basicauth

import "testing"

func FuzzParseHash(f *testing.F) {
	for _, v := range bcryptVectors {
		f.Add(v.hash, v.password)
	}
	f.Add("sha256$salt$6c67acdce481a2554d5266b6acbc7e01ed67341be59aa647a60126149f5f1fc9", "password")
	f.Add("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", "password")
	f.Fuzz(func(t *testing.T, hash, password string) {
		h, err := ParseHash(hash)
		if err != nil {
			return
		}
		if h.kind == "bcrypt" && hash[4:6] != "04" && hash[4:6] != "05" {
			return // keep the fuzzer fast: high costs take seconds
		}
		_ = h.Check(password)
	})
}
