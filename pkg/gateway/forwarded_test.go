package gateway

import (
	"net/http"
	"net/netip"
	"strings"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted := trustedProxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		remote  string
		xff     []string
		want    string
		trusted bool
	}{
		{"192.0.2.1:1234", []string{"1.2.3.4"}, "192.0.2.1", false},
		{"10.0.0.5:1234", nil, "10.0.0.5", true},
		{"10.0.0.5:1234", []string{"1.2.3.4"}, "1.2.3.4", true},
		{"10.0.0.5:1234", []string{"6.6.6.6, 1.2.3.4, 10.0.0.9"}, "1.2.3.4", true},
		{"10.0.0.5:1234", []string{"6.6.6.6", "1.2.3.4,10.0.0.9"}, "1.2.3.4", true},
		{"10.0.0.5:1234", []string{"10.1.1.1, 10.2.2.2"}, "10.1.1.1", true},
		{"10.0.0.5:1234", []string{"garbage, 10.2.2.2"}, "10.2.2.2", true},
		{"[::1]:80", []string{"[bad"}, "::1", true},
		{"[::ffff:10.0.0.1]:80", []string{"::ffff:1.2.3.4"}, "1.2.3.4", true},
		{"not an address", nil, "invalid IP", false},
	}
	for _, c := range cases {
		r := &http.Request{RemoteAddr: c.remote, Header: http.Header{"X-Forwarded-For": c.xff}}
		got, tr := trusted.clientIP(r)
		if got.String() != c.want || tr != c.trusted {
			t.Errorf("clientIP(%s, %q) = %s, %v; want %s, %v", c.remote, c.xff, got, tr, c.want, c.trusted)
		}
	}
}

func FuzzForwarded(f *testing.F) {
	f.Add("10.0.0.1:80", "1.2.3.4, 10.0.0.2")
	f.Add("[::1]:1", "::1,,  ,fe80::1%eth0")
	f.Add("192.0.2.1:5", "")
	trusted := trustedProxies{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	f.Fuzz(func(t *testing.T, remote, xff string) {
		r := &http.Request{RemoteAddr: remote, Header: http.Header{"X-Forwarded-For": {xff}}}
		got, tr := trusted.clientIP(r)
		if !tr {
			return
		}
		// Behind a trusted peer the client is the peer or an entry of the
		// header, never an address made up from elsewhere.
		ap, _ := netip.ParseAddrPort(remote)
		if got == ap.Addr().Unmap() {
			return
		}
		for _, e := range strings.Split(xff, ",") {
			if a, err := netip.ParseAddr(strings.TrimSpace(e)); err == nil && a.Unmap() == got {
				return
			}
		}
		t.Fatalf("clientIP(%q, %q) = %s, which is neither the peer nor in the header", remote, xff, got)
	})
}

func FuzzTraceHeaders(f *testing.F) {
	f.Add("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	f.Add("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")
	f.Add("req-42")
	f.Fuzz(func(t *testing.T, s string) {
		if validTraceparent(s) {
			if len(s) < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-' || strings.ContainsAny(s[:55], "ABCDEFGHIJKLMNOPQRSTUVWXYZ ") {
				t.Fatalf("accepted malformed traceparent %q", s)
			}
		}
		if validRequestID(s) && (len(s) > 128 || strings.ContainsAny(s, " \t\r\n\"\\")) {
			t.Fatalf("accepted unsafe request id %q", s)
		}
		if tp := newTraceparent(); !validTraceparent(tp) {
			t.Fatalf("generated invalid traceparent %q", tp)
		}
	})
}
