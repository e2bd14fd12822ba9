package redis

import (
	"strings"
	"testing"
)

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in, desc   string
		mode       Mode
		master     string
		user, pass string
		db         int
		tls        bool
	}{
		{"redis://localhost", "localhost:6379", Single, "", "", "", 0, false},
		{"redis://:s3cret@10.0.0.1:7000/2", "10.0.0.1:7000", Single, "", "", "s3cret", 2, false},
		{"redis://alice:s3%2Fcret@h:1", "h:1", Single, "", "alice", "s3/cret", 0, false},
		{"redis://s3cret@h/", "h:6379", Single, "", "", "s3cret", 0, false},
		{"rediss://h:6380", "h:6380", Single, "", "", "", 0, true},
		{"redis://[::1]:6379/0", "[::1]:6379", Single, "", "", "", 0, false},
		{"redis+sentinel://h1,h2:26380/mymaster", "sentinel master mymaster via h1:26379,h2:26380", Sentinel, "mymaster", "", "", 0, false},
		{"rediss+sentinel://u:pw@h1:1/m.1/3", "sentinel master m.1 via h1:1", Sentinel, "m.1", "u", "pw", 3, true},
		{"redis+cluster://:pw@h1:7000,h2:7001,h3:7002", "cluster via h1:7000,h2:7001,h3:7002", Cluster, "", "", "pw", 0, false},
		{"REDIS+CLUSTER://h1", "cluster via h1:6379", Cluster, "", "", "", 0, false},
	} {
		o, err := ParseURL(tc.in)
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if o.String() != tc.desc || o.Mode != tc.mode || o.MasterName != tc.master || o.Username != tc.user || o.Password != tc.pass || o.DB != tc.db || (o.TLS != nil) != tc.tls {
			t.Errorf("%s: got %+v (%s)", tc.in, o, o)
		}
		if strings.Contains(o.String(), "pw") || strings.Contains(o.String(), "s3") {
			t.Errorf("%s: description %q shows the password", tc.in, o)
		}
	}
	for bad, want := range map[string]string{
		"http://h":                       "not supported",
		"h:6379":                         "not a valid URL",
		"redis://":                       "no host",
		"redis://:pw@h:99999":            "not a TCP port",
		"redis://:pw@h:0":                "not a TCP port",
		"redis://:pw@h/x":                "must be a number",
		"redis://:pw@h/1/2":              "too many parts",
		"redis://:pw@h?db=1":             "query",
		"redis://:pw@h#x":                "query or fragment",
		"redis://:pw@h:1/%zz":            "must be a number",
		"redis://:p%zzw@h":               "%-escape",
		"redis://:pw@h1,h2":              "several hosts",
		"redis://:pw@bad host":           "not a host name",
		"redis+sentinel://:pw@h1:26379":  "no master name",
		"redis+sentinel://:pw@h1/":       "no master name",
		"redis+sentinel://:pw@h1/m/x":    "must be a number",
		"redis+sentinel://:pw@h1/m/1/2":  "too many parts",
		"redis+sentinel://:pw@h1,/m":     "not a host name",
		"redis+cluster://:pw@h1,h2/0":    "only database 0",
		"redis+cluster://:pw@h1:x,h2":    "not a TCP port",
		"redis://:pw/with/slash@h":       "not shown",
		"redis://:pw-no-at@h:1:2":        "",
		"redis+sentinel://h1:26379/m a/": "not a name",
	} {
		_, err := ParseURL(bad)
		if err == nil {
			t.Errorf("%s accepted", bad)
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want it to say %q", bad, err, want)
		}
		if strings.Contains(err.Error(), "pw") {
			t.Errorf("%s: error shows the password: %v", bad, err)
		}
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"redis://h", "redis://:secret@h:1/2", "rediss://u:secret@h", "redis://secret@h", "http://h",
		"redis://:secret@[::1]:6379/0", "redis://h:0", "redis+sentinel://:secret@h1:26379,h2/mymaster/1",
		"redis+cluster://:secret@h1:7000,h2:7001", "redis://:sec/ret@h", "redis://:sec@ret@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseURL(s)
		if err != nil {
			// Errors never echo the credentials the URL may hold: the
			// text between :// and the last @.
			if i, at := strings.Index(s, "://"), strings.LastIndex(s, "@"); i >= 0 && at > i+3 {
				// The scheme and the usage text are shown, and may
				// happen to contain the credentials.
				msg := strings.ReplaceAll(strings.ReplaceAll(err.Error(), usage, ""), s[:i], "")
				if cred := s[i+3 : at]; len(cred) >= 6 && strings.Contains(msg, cred) {
					t.Fatalf("error %q shows the credentials %q", err, cred)
				}
			}
			return
		}
		if len(o.Addrs) == 0 || o.DB < 0 || (o.Mode == Sentinel) != (o.MasterName != "") || (o.Mode == Single && len(o.Addrs) != 1) {
			t.Fatalf("accepted %q as %+v", s, o)
		}
		named := strings.Join(o.Addrs, ",") + " " + o.MasterName
		if len(o.Password) >= 6 && strings.Contains(o.String(), o.Password) && !strings.Contains(named, o.Password) {
			t.Fatalf("%q: description %q shows the password", s, o)
		}
	})
}
