package apimsim

import (
	"net/url"
	"reflect"
	"testing"
)

func TestParseTokenFormAsOriginalCLISendsIt(t *testing.T) {
	body := "grant_type=password&clientSecret=s3&clientId=id1&password=p@ss w+rd%zz&scope=apim:tier_view apim:api_view&username=admin"
	got, err := parseTokenForm(body)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"grant_type": "password", "clientSecret": "s3", "clientId": "id1",
		"password": "p@ss w+rd%zz", // invalid escape: taken as it is
		"scope":    "apim:tier_view apim:api_view", "username": "admin",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if s := splitScopes(got["scope"]); !reflect.DeepEqual(s, []string{"apim:tier_view", "apim:api_view"}) {
		t.Errorf("scopes = %q", s)
	}
	if _, err := parseTokenForm("a=1&a=2"); err == nil {
		t.Error("repeated parameter accepted")
	}
}

func FuzzParseTokenForm(f *testing.F) {
	for _, seed := range []string{
		"grant_type=password&username=admin&password=admin&scope=apim:api_view apim:tier_view",
		"grant_type=password&scope=apim:api_view+apim:tier_view", "scope=a%20b", "a=1&a=2", "=x&&y", "%zz=%",
		"password=p&ss", "k=v=w",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		form, err := parseTokenForm(body)
		if err != nil {
			return
		}
		// A form encoded properly parses back to the same values.
		v := url.Values{}
		for k, val := range form {
			if k == "" {
				t.Fatalf("empty key from %q", body)
			}
			v.Set(k, val)
		}
		again, err := parseTokenForm(v.Encode())
		if err != nil || !reflect.DeepEqual(again, form) {
			t.Fatalf("%q: re-encoded form parses to %v, %v; want %v", body, again, err, form)
		}
	})
}
