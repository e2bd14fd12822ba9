package keymanager

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func FuzzDecodeValidateKey(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<Envelope><Body><validateKeyResponse><return><authorized>true</authorized></return></validateKeyResponse></Body></Envelope>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := DecodeValidateKey(bytes.NewReader(b))
		if err == nil && info == nil {
			t.Fatal("nil info without error")
		}
	})
}

func FuzzDecodeIntrospection(f *testing.F) {
	f.Add([]byte(`{"active":true,"scope":"a b","client_id":"c","username":"u","exp":1593187742,"nbf":9223372036854775807}`))
	f.Add([]byte(`{"active":false}`))
	f.Add([]byte(`{"active":true,"exp":1e400}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := DecodeIntrospection(bytes.NewReader(b))
		if err == nil {
			_ = in.Info()
		}
	})
}
