package gateway

import (
	"fmt"
	"net/url"
	"testing"
)

// FuzzBackendProxySettings feeds arbitrary backend.proxy_url and
// backend.no_proxy values (operator input) to their parsers: they must
// not panic, an error must never show the URL's password, and a rule
// that parsed must answer for any host.
func FuzzBackendProxySettings(f *testing.F) {
	for _, s := range [][2]string{
		{"http://proxy:3128", "example.com"},
		{"http://u:s3cret@proxy:3128", ".corp.example"},
		{"https://proxy.example.com", "10.0.0.0/8"},
		{"ftp://u:s3cret@x", "*"},
		{"http://u:s3cret@[::1", "::1"},
		{"http://u:s3cret@proxy/path?q", "bad host!"},
		{"", "fe80::/10"},
	} {
		f.Add(s[0], s[1], "api.corp.example")
	}
	f.Fuzz(func(t *testing.T, proxyURL, noProxy, host string) {
		if _, err := parseProxyURL(proxyURL); err != nil {
			// The messages are fixed text; only a scheme (which cannot
			// hold the password) is ever quoted from the URL.
			msg := err.Error()
			scheme := ""
			if u, perr := url.Parse(proxyURL); perr == nil {
				scheme = u.Scheme
			}
			if msg != errProxyNotURL && msg != errProxyNotBare && msg != fmt.Sprintf(errProxyScheme, scheme) {
				t.Fatalf("parseProxyURL(%q): unexpected message %q, which may show the URL", proxyURL, msg)
			}
		}
		r, err := parseNoProxy(noProxy)
		if err != nil {
			return
		}
		p := &outboundProxy{bypass: []noProxyRule{r}}
		if r.all && !p.bypasses(host) {
			t.Fatalf("rule * does not cover %q", host)
		}
		p.bypasses(host)
	})
}
