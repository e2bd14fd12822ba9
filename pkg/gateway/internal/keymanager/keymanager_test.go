package keymanager

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"math"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeValidateKeyFixtures(t *testing.T) {
	raw := strings.NewReplacer("$APINAME", "PizzaShackAPI", "$APPLICATION_ID", "3", "$APPLICATION_NAME", "App",
		"$APPLICATION_TIER", "Gold", "$TIER", "Silver", "$KEY_TYPE", "SANDBOX").Replace(string(fixture(t, "mgw260-test-km-validateKey-response-authorized.xml")))
	info, err := DecodeValidateKey(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	want := Info{Authorized: true, Tier: "Silver", ApplicationID: "3", ApplicationName: "App", ApplicationTier: "Gold", Subscriber: "admin",
		ConsumerKey: "fxzmNBTonG00FViQELefepgKF2Qa", EndUserName: "admin@carbon.super", APIPublisher: "admin", Type: "SANDBOX",
		IssuedTime: 1528825112163, ValidityPeriod: math.MaxInt64, StopOnQuotaReach: true, SubscriberTenantDomain: "carbon.super",
		Scopes: []string{"default", "am_application_scope"}}
	if got, _ := json.Marshal(info); string(got) != mustJSON(want) {
		t.Errorf("got  %s\nwant %s", got, mustJSON(want))
	}
	for file, status := range map[string]int{
		"mgw260-test-km-validateKey-response-error.xml":                900901,
		"mgw260-test-km-validateKey-response-unauthorized.xml":         900910,
		"mgw260-test-km-validateKey-response-invalid-subscription.xml": 900908,
	} {
		info, err := DecodeValidateKey(bytes.NewReader(fixture(t, file)))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if info.Authorized || info.ValidationStatus != status {
			t.Errorf("%s: authorized %v status %d, want false %d", file, info.Authorized, info.ValidationStatus, status)
		}
	}
	for _, bad := range []string{"", "<html/>", "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"><soapenv:Body/></soapenv:Envelope>",
		`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault><faultcode>soapenv:Server</faultcode><faultstring>boom</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`} {
		if _, err := DecodeValidateKey(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestValidateKeyBody(t *testing.T) {
	body := ValidateKeyBody(Request{Context: "/pizzashack/1.0.0", Version: "1.0.0", Token: "a<b&c", Resource: "/menu/{id}", Verb: "GET"})
	var env struct {
		Body struct {
			V struct {
				XMLName                     xml.Name
				Context                     string `xml:"context"`
				Version                     string `xml:"version"`
				AccessToken                 string `xml:"accessToken"`
				RequiredAuthenticationLevel string `xml:"requiredAuthenticationLevel"`
				ClientDomain                string `xml:"clientDomain"`
				MatchingResource            string `xml:"matchingResource"`
				HTTPVerb                    string `xml:"httpVerb"`
			} `xml:"validateKey"`
		}
	}
	if err := xml.Unmarshal(body, &env); err != nil {
		t.Fatalf("%s: %v", body, err)
	}
	v := env.Body.V
	if v.XMLName.Space != "http://org.apache.axis2/xsd" || v.Context != "/pizzashack/1.0.0" || v.Version != "1.0.0" || v.AccessToken != "a<b&c" ||
		v.RequiredAuthenticationLevel != "Any" || v.ClientDomain != "*" || v.MatchingResource != "/menu/{id}" || v.HTTPVerb != "GET" {
		t.Errorf("envelope %s decoded to %+v", body, v)
	}
}

func TestDecodeIntrospection(t *testing.T) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(fixture(t, "mgw320-test-introspection-response.json"), &all); err != nil {
		t.Fatal(err)
	}
	in, err := DecodeIntrospection(bytes.NewReader(all["PRODUCTION"]))
	if err != nil {
		t.Fatal(err)
	}
	info := in.Info()
	if !info.Authorized || info.ConsumerKey != "PRODUCTION_CK" || info.EndUserName != "admin@carbon.super" || len(info.Scopes) != 2 {
		t.Errorf("info %+v", info)
	}
	if !Expired(info, time.Unix(1593187742+10, 0), 5*time.Second) || Expired(info, time.Unix(1593187742, 0), 0) {
		t.Error("introspection exp not applied")
	}
	in, err = DecodeIntrospection(bytes.NewReader(all["inactive"]))
	if err != nil || in.Info().Authorized || in.Info().ValidationStatus != 900901 {
		t.Errorf("inactive: %+v %v", in, err)
	}
	for _, bad := range []string{"", "[]", `{"scope":"x"}`, `{"active":"yes"}`} {
		if _, err := DecodeIntrospection(strings.NewReader(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestValidatorCachesAndSingleFlight(t *testing.T) {
	var calls atomic.Int32
	release := make(chan struct{})
	now := time.Unix(1_700_000_000, 0)
	var mu sync.Mutex
	v := &Validator{
		Key: func(r Request) string { return r.Token },
		Fetch: func(ctx context.Context, r Request) (*Info, error) {
			calls.Add(1)
			<-release
			if r.Token == "good" {
				return &Info{Authorized: true, ConsumerKey: "ck", ValidityPeriod: math.MaxInt64}, nil
			}
			return &Info{ValidationStatus: 900908}, nil
		},
		TTL: time.Minute, NegativeTTL: 10 * time.Second, Timeout: time.Second, Size: 100,
		Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now },
	}
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			info, err := v.Validate(context.Background(), Request{Token: "good"})
			if err != nil || !info.Authorized {
				t.Errorf("%+v %v", info, err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if n := calls.Load(); n != 1 {
		t.Fatalf("20 concurrent requests made %d calls, want 1", n)
	}
	v.Validate(context.Background(), Request{Token: "good"})
	if n := calls.Load(); n != 1 {
		t.Fatalf("cached answer not reused: %d calls", n)
	}
	info, _ := v.Validate(context.Background(), Request{Token: "bad"})
	info2, _ := v.Validate(context.Background(), Request{Token: "bad"})
	if calls.Load() != 2 || info.ValidationStatus != 900908 || info2.ValidationStatus != 900908 {
		t.Fatalf("negative cache: %d calls, %+v", calls.Load(), info2)
	}
	mu.Lock()
	now = now.Add(2 * time.Minute)
	mu.Unlock()
	v.Validate(context.Background(), Request{Token: "good"})
	v.Validate(context.Background(), Request{Token: "bad"})
	if n := calls.Load(); n != 4 {
		t.Fatalf("expired entries reused: %d calls, want 4", n)
	}
}

func TestValidatorTimeoutAndErrors(t *testing.T) {
	var calls atomic.Int32
	v := &Validator{
		Key: func(r Request) string { return r.Token },
		Fetch: func(ctx context.Context, r Request) (*Info, error) {
			calls.Add(1)
			<-ctx.Done()
			return nil, ErrUnavailable
		},
		TTL: time.Minute, NegativeTTL: time.Minute, Timeout: 100 * time.Millisecond, Size: 10,
	}
	start := time.Now()
	_, err := v.Validate(context.Background(), Request{Token: "t"})
	if !errors.Is(err, ErrUnavailable) || time.Since(start) > 2*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
	v.Validate(context.Background(), Request{Token: "t"})
	if calls.Load() != 2 {
		t.Fatalf("errors must not be cached: %d calls", calls.Load())
	}
	// A caller whose own context ends does not wait for the call.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := v.Validate(ctx, Request{Token: "u"}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}

func TestExpired(t *testing.T) {
	now := time.UnixMilli(10_000)
	cases := []struct {
		issued, validity int64
		want             bool
	}{
		{0, math.MaxInt64, false}, {5_000, math.MaxInt64, false}, {1_000, 3_000, true}, {1_000, 8_000, false}, {1_000, 0, false},
	}
	for _, c := range cases {
		if got := Expired(&Info{IssuedTime: c.issued, ValidityPeriod: c.validity}, now, time.Second); got != c.want {
			t.Errorf("%+v: %v", c, got)
		}
	}
}
