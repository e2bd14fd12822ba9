package usage

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func sampleRequest() *Event {
	start := time.UnixMilli(1_700_000_000_123)
	return &Event{
		Kind: KindRequest, Time: start.Add(15 * time.Millisecond),
		ClientType: "PRODUCTION", CorrelationID: "req-1",
		ConsumerKey: "ck", ApplicationName: "app", ApplicationID: "7", ApplicationOwner: "owner",
		APIContext: "/petstore/v1", APIName: "PetStore", APIVersion: "1.0.0",
		ResourcePath: "/pet/1", ResourceTemplate: "/pet/{petId}", Method: "GET",
		APICreator: "admin", APICreatorTenant: "carbon.super", APITier: "Gold", Hostname: "gw.local",
		UserName: "alice", UserTenant: "carbon.super", UserIP: netip.MustParseAddr("10.1.2.3"), UserAgent: "curl/8",
		RequestTime: start, ThrottledOut: true,
		ResponseTime: 15 * time.Millisecond, ServiceTime: 5 * time.Millisecond, BackendTime: 10 * time.Millisecond,
		ResponseSize: 1024, Protocol: "http", ResponseCode: 200, Destination: "http://backend/api",
		BackendLatency: 10 * time.Millisecond, OtherLatency: 5 * time.Millisecond, Label: "internal",
	}
}

func TestRequestLineFieldOrder(t *testing.T) {
	line := string(AppendLine(nil, sampleRequest()))
	if !strings.HasSuffix(line, "\n") || strings.Count(line, "\n") != 1 {
		t.Fatalf("not one line: %q", line)
	}
	wantPrefix := "streamId-KS-org.wso2.apimgt.statistics.request:3.0.0-ES-timestamp-KS-1700000000138-ES-metadata-KS-" +
		`{"clientType":"PRODUCTION","correlationID":"req-1"}` + "-ES-correlationData-KS-null-ES-payLoadData-KS-"
	if !strings.HasPrefix(line, wantPrefix) {
		t.Fatalf("line starts %q, want %q", line[:min(len(line), len(wantPrefix))], wantPrefix)
	}
	l, err := ParseLine(line)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ck", "app", "7", "owner", "/petstore/v1", "PetStore", "1.0.0", "/pet/1", "/pet/{petId}", "GET",
		"admin", "carbon.super", "Gold", "gw.local", "alice", "carbon.super", "10.1.2.3", "curl/8",
		"1700000000123", "true", "15", "5", "10", "false", "1024", "http", "200", "http://backend/api",
		"0", "0", "0", "0", "10", "5", "MICRO", "internal"}
	if len(l.Payload) != len(want) {
		t.Fatalf("%d fields, want %d", len(l.Payload), len(want))
	}
	for i := range want {
		if l.Payload[i] != want[i] {
			t.Errorf("field %d = %q, want %q", i+1, l.Payload[i], want[i])
		}
	}
}

func TestFaultAndThrottleLines(t *testing.T) {
	e := sampleRequest()
	e.Kind, e.ErrorCode, e.ErrorMessage = KindFault, 101503, "Error connecting to the back end"
	l, err := ParseLine(string(AppendLine(nil, e)))
	if err != nil {
		t.Fatal(err)
	}
	wantFault := []string{"ck", "PetStore", "1.0.0", "/petstore/v1", "/pet/1", "GET", "admin", "alice", "carbon.super",
		"carbon.super", "gw.local", "7", "app", "http", "101503", "Error connecting to the back end", "1700000000138"}
	if l.StreamID != StreamFault || strings.Join(l.Payload, "|") != strings.Join(wantFault, "|") {
		t.Errorf("fault line %s %q", l.StreamID, l.Payload)
	}
	e.Kind, e.Subscriber, e.ThrottledOutReason = KindThrottle, "owner", "SUBSCRIPTION_LIMIT_EXCEEDED"
	l, err = ParseLine(string(AppendLine(nil, e)))
	if err != nil {
		t.Fatal(err)
	}
	wantThrottle := []string{"alice", "carbon.super", "PetStore", "1.0.0", "/petstore/v1", "admin", "carbon.super",
		"7", "app", "owner", "SUBSCRIPTION_LIMIT_EXCEEDED", "MICRO", "1700000000138", "gw.local"}
	if l.StreamID != StreamThrottle || strings.Join(l.Payload, "|") != strings.Join(wantThrottle, "|") {
		t.Errorf("throttle line %s %q", l.StreamID, l.Payload)
	}
}

// A client controls its User-Agent and request id; neither may add
// fields, entries or lines.
func TestHostileValuesStayInTheirField(t *testing.T) {
	e := sampleRequest()
	e.UserAgent = "x-OS-evil-ES-metadata-KS-{}\nstreamId-KS-forged"
	e.CorrelationID = `a-ES-b"c`
	line := string(AppendLine(nil, e))
	l, err := ParseLine(line)
	if err != nil {
		t.Fatalf("%v in %q", err, line)
	}
	if got := l.Payload[17]; got != "x_OS-evil_ES-metadata_KS-{} streamId_KS-forged" {
		t.Errorf("user agent field %q", got)
	}
	if l.Metadata != `{"clientType":"PRODUCTION","correlationID":"a_ES-b\"c"}` {
		t.Errorf("metadata %q", l.Metadata)
	}
}

func TestParseLineErrors(t *testing.T) {
	good := string(AppendLine(nil, sampleRequest()))
	cases := map[string]string{
		"empty":           "",
		"unknown stream":  strings.Replace(good, StreamRequest, "org.example:1", 1),
		"bad timestamp":   strings.Replace(good, "timestamp-KS-1700000000138", "timestamp-KS-soon", 1),
		"missing field":   strings.Replace(good, "-OS-MICRO", "", 1),
		"renamed entry":   strings.Replace(good, "metadata-KS-", "meta-KS-", 1),
		"metadata no obj": strings.Replace(good, `-KS-{"clientType"`, `-KS-["clientType"`, 1),
	}
	for name, line := range cases {
		if _, err := ParseLine(line); err == nil {
			t.Errorf("%s: no error for %q", name, line)
		}
	}
}

func TestZipNames(t *testing.T) {
	n := ZipName(time.UnixMilli(1538123456789))
	if !IsZipName(n) || !strings.HasPrefix(n, "api-usage-data.dat.1538123456789.") || len(n) != len("api-usage-data.dat.1538123456789.")+36+4 {
		t.Errorf("zip name %q", n)
	}
	if ZipName(time.Now()) == ZipName(time.Now()) {
		t.Error("zip names repeat")
	}
	for _, bad := range []string{"api-usage-data.dat", "api-usage-data.dat.12.zip", "x.zip", "api-usage-data.dat.-1." + strconv.Itoa(0) + ".zip"} {
		if IsZipName(bad) {
			t.Errorf("%q taken for a usage zip", bad)
		}
	}
}

func FuzzParseLine(f *testing.F) {
	f.Add(string(AppendLine(nil, sampleRequest())))
	e := sampleRequest()
	e.Kind = KindFault
	f.Add(string(AppendLine(nil, e)))
	e.Kind = KindThrottle
	f.Add(string(AppendLine(nil, e)))
	f.Add("streamId-KS--ES-timestamp-KS-0-ES-metadata-KS-{}-ES-correlationData-KS-null-ES-payLoadData-KS-")
	f.Fuzz(func(t *testing.T, s string) {
		l, err := ParseLine(s)
		if err != nil {
			return
		}
		// Whatever parses can be written back as an event of its stream
		// whose payload re-parses to the same number of fields.
		if l.Timestamp < 0 || len(l.Payload) == 0 {
			t.Fatalf("accepted %q as %+v", s, l)
		}
		e := &Event{Kind: KindRequest, Time: time.UnixMilli(l.Timestamp), UserAgent: strings.Join(l.Payload, ""), CorrelationID: l.Metadata}
		if _, err := ParseLine(string(AppendLine(nil, e))); err != nil {
			t.Fatalf("written line does not parse: %v", err)
		}
	})
}

// refAppendClean is appendClean's definition, one byte at a time.
func refAppendClean(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\n' || c == '\r':
			c = ' '
		case c == '-' && startsSeparator(s[i:]):
			c = '_'
		}
		dst = append(dst, c)
	}
	return dst
}

func FuzzAppendClean(f *testing.F) {
	for _, s := range []string{"", "Mozilla/5.0", "a\r\nb", "x-OS-y", "--KS--ES-", "-O", "-OS", "trailing-", "a-ES-\n-KS-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := appendClean([]byte("p:"), s), refAppendClean([]byte("p:"), s)
		if string(got) != string(want) {
			t.Fatalf("appendClean(%q) = %q, want %q", s, got, want)
		}
		if strings.ContainsAny(string(got), "\r\n") {
			t.Fatalf("appendClean(%q) = %q keeps a line end", s, got)
		}
	})
}
