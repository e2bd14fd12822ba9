package gateway

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// FuzzConfigFile feeds arbitrary documents to the config loader (yaml.v3
// and the strict decoder): it never panics, a problem that names the
// document names a line of it, and a password written in the document
// never shows up in an error.
func FuzzConfigFile(f *testing.F) {
	for _, s := range []string{
		benchConfig, "", "---\n", "http: {port: 1}\n", "- a\n", "http: *a\n", "a: 1\n---\nb: 2\n",
		"http: &a\n  port: 1\nhttps: *a\n", "apis:\n  \"PetStore/1.0.0\":\n    sandbox: &e {urls: [http://x]}\n    production: {<<: *e, timeout: 1s}\n",
		"log:\n  level: |\n    debug\n", "server:\n  max_body_bytes: 10MiB\n  shutdown_grace: 0\n", "http:\n\tport: 1\n",
		"key_manager:\n  password: fuzz-secret-1\n", "http:\n  port: !!str 1\n", "x: &a [*a]\n",
		"jwt:\n  issuers:\n    - issuer: https://idp\n      cert_file: k.pem\n      consumer_key_claim: azp\n      claim_mapping:\n        - {remote: scp, local: scope}\n        - {remote: x, local: exp}\n",
	} {
		f.Add(s)
	}
	spec := petstore("http://127.0.0.1:1")
	linePrefix := regexp.MustCompile(`^` + regexp.QuoteMeta(compiledInName) + `:(\d+): `)
	f.Fuzz(func(t *testing.T, doc string) {
		spec := *spec
		spec.DefaultConfig = doc
		_, err := LoadConfig(&spec, "", nil)
		if err == nil {
			return
		}
		lines := yamlLines(doc)
		for _, p := range problems(t, err) {
			if !strings.HasPrefix(p, compiledInName) {
				continue
			}
			m := linePrefix.FindStringSubmatch(p)
			if m == nil {
				t.Fatalf("problem without a line: %q", p)
			}
			if n, _ := strconv.Atoi(m[1]); n < 1 || n > lines {
				t.Fatalf("line %d outside 1..%d: %q", n, lines, p)
			}
		}
		if strings.Contains(doc, "fuzz-secret-1") && strings.Contains(err.Error(), "fuzz-secret-1") {
			t.Fatalf("a secret from the document leaked: %v", err)
		}
	})
}

// yamlLines counts lines as YAML does: \r\n, \r and \n end a line, and so
// do NEL, LS and PS (YAML 1.1, which yaml.v3 follows).
func yamlLines(s string) int {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	n := 1
	for _, r := range s {
		switch r {
		case '\n', '\r', '\u0085', '\u2028', '\u2029':
			n++
		}
	}
	return n
}
