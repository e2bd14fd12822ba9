package gateway

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/ratelimit"
	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

// groupPolicy is a request-count policy of def per hour with groups.
func groupPolicy(name string, def int64, groups ...ConditionalGroup) Policy {
	p := countPolicy(name, def, 1, "hour")
	p.ConditionalGroups = groups
	return p
}

// group is a conditional group of n requests per hour.
func group(n int64, conds ...Condition) ConditionalGroup {
	return ConditionalGroup{Conditions: conds, LimitType: LimitRequestCount, RequestCount: n, UnitTime: 1, TimeUnit: "hour"}
}

func TestThrottleConditionalGroups(t *testing.T) {
	pols := Policies{Advanced: []Policy{
		groupPolicy("APITier", 100,
			group(2, Condition{Type: ConditionIPRange, StartingIP: "10.0.0.0", EndingIP: "10.0.0.255"}),
			group(3, Condition{Type: ConditionHeader, Name: "x-client", Value: "mobile"}, Condition{Type: ConditionQueryParameter, Name: "region", Value: "e u"}),
			group(1, Condition{Type: ConditionHeader, Name: "X-G3", Value: "yes"}, Condition{Type: ConditionJWTClaim, Name: "sub", Value: "admin", Invert: true}),
			group(1, Condition{Type: ConditionIP, IP: "2001:db8::1"}),
		),
		groupPolicy("ResTier", 100, group(1, Condition{Type: ConditionIP, IP: "10.9.9.9", Invert: true})),
	}}
	u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
	want := func(step string, path string, status, code int, header ...string) {
		t.Helper()
		st, c, _ := u.send(t, "GET", path, nil, header...)
		if st != status || c != code {
			t.Fatalf("%s: status %d code %d, want %d %d", step, st, c, status, code)
		}
	}
	// IP range: one counter for the whole group, not per client.
	want("range 1", "/open", 200, 0, "X-Test-IP", "10.0.0.5")
	want("range 2", "/open", 200, 0, "X-Test-IP", "10.0.0.200")
	want("range 3", "/open", 429, CodeAPIThrottled, "X-Test-IP", "10.0.0.9")
	want("outside the range", "/open", 200, 0, "X-Test-IP", "10.0.1.0")
	// Header (any case) and query parameter (decoded), both required.
	mobile := []string{"X-Client", "mobile"}
	for i := 1; i <= 3; i++ {
		want(fmt.Sprintf("mobile %d", i), "/open?a=1&region=e+u", 200, 0, mobile...)
	}
	want("mobile 4", "/open?region=e%20u", 429, CodeAPIThrottled, mobile...)
	want("other region", "/open?region=us", 200, 0, mobile...)
	want("no header", "/open?region=e+u", 200, 0)
	// Inverted claim: anyone but admin.
	want("g3 bob", "/open", 200, 0, "X-G3", "yes", "X-Test-App", "a", "X-Test-User", "bob")
	want("g3 carol", "/open", 429, CodeAPIThrottled, "X-G3", "yes", "X-Test-App", "a", "X-Test-User", "carol")
	want("g3 admin", "/open", 200, 0, "X-G3", "yes", "X-Test-App", "a", "X-Test-User", "admin")
	// IPv6, and a request matching two groups counts in both.
	want("v6", "/open", 200, 0, "X-Test-IP", "2001:db8::1")
	want("v6 again", "/open", 429, CodeAPIThrottled, "X-Test-IP", "2001:db8::1")
	// Resource level: 900802; the inverted IP condition excludes 10.9.9.9.
	want("res 1", "/res", 200, 0)
	want("res 2", "/res", 429, CodeResourceThrottled)
	want("res excluded", "/res", 200, 0, "X-Test-IP", "10.9.9.9")
}

func TestThrottleConditionalGroupCountsInEveryMatchingGroup(t *testing.T) {
	pols := Policies{Advanced: []Policy{groupPolicy("APITier", 100,
		group(5, Condition{Type: ConditionHeader, Name: "X-A", Value: "1"}),
		group(2, Condition{Type: ConditionHeader, Name: "X-B", Value: "1"}),
	)}}
	u := newUnitTest(t, throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), minute0)
	for i := 0; i < 2; i++ {
		if st, _, _ := u.send(t, "GET", "/open", nil, "X-A", "1", "X-B", "1"); st != 200 {
			t.Fatalf("request %d: %d", i+1, st)
		}
	}
	if st, _, _ := u.send(t, "GET", "/open", nil, "X-A", "1", "X-B", "1"); st != 429 {
		t.Fatalf("group B is full but got %d", st)
	}
	// The refused request was taken back from A: 3 more fit there.
	for i := 0; i < 3; i++ {
		if st, _, _ := u.send(t, "GET", "/open", nil, "X-A", "1"); st != 200 {
			t.Fatalf("A request %d: %d", i+1, st)
		}
	}
	if st, _, _ := u.send(t, "GET", "/open", nil, "X-A", "1"); st != 429 {
		t.Fatalf("group A is full but got %d", st)
	}
}

func TestThrottleConditionalGroupsExactUnderConcurrency(t *testing.T) {
	const limit, requests = 10, 60
	pols := Policies{Advanced: []Policy{groupPolicy("APITier", 1000, group(limit,
		Condition{Type: ConditionQueryParameter, Name: "region", Value: "eu"},
		Condition{Type: ConditionIPRange, StartingIP: "127.0.0.0", EndingIP: "127.0.0.255"},
	))}}
	for _, store := range []string{"memory", "redis"} {
		t.Run(store, func(t *testing.T) {
			cfg := testConfig()
			if store == "redis" {
				cfg = redisConfig(redistest.Start(t, "").URL())
				cfg.Throttling.RedisTimeout = 10 * time.Second
			}
			var hits atomic.Int64
			be := backend(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1) })
			rg := start(t, throttleSpec(be.URL, pols, "APITier"), cfg)
			got := burst(t, concurrentClient(), requests, rg.http+"/pizza/1.0.0/open?region=eu")
			if got[200] != limit || got[429] != requests-limit || hits.Load() != limit {
				t.Fatalf("statuses %v, backend %d; want exactly %d through the group", got, hits.Load(), limit)
			}
			got = burst(t, concurrentClient(), 40, rg.http+"/pizza/1.0.0/open?region=us")
			if got[200] != 40 {
				t.Fatalf("requests outside the group: %v; want all under the default limit", got)
			}
		})
	}
}

func TestThrottleBadConditionsStopTheGateway(t *testing.T) {
	for _, tc := range []struct {
		c    Condition
		want string
	}{
		{Condition{Type: ConditionIP, IP: "10.0.0.256"}, `"10.0.0.256"`},
		{Condition{Type: ConditionIPRange, StartingIP: "10.0.0.9", EndingIP: "10.0.0.1"}, "range"},
		{Condition{Type: ConditionHeader, Name: ""}, "header name"},
		{Condition{Type: ConditionJWTClaim, Name: "http://wso2.org/claims/role", Value: "x"}, `claim "http://wso2.org/claims/role"`},
		{Condition{Type: "cookie", Name: "a"}, `"cookie"`},
	} {
		pols := Policies{Advanced: []Policy{groupPolicy("APITier", 5, group(1, tc.c))}}
		_, problems := newThrottler(throttleSpec("http://127.0.0.1:1", pols, "APITier"), testConfig(), nil, nil)
		msg := strings.Join(problems, "\n")
		if !strings.Contains(msg, `"APITier"`) || !strings.Contains(msg, tc.want) {
			t.Errorf("%+v: problems %q, want the policy and %s", tc.c, msg, tc.want)
		}
	}
}

func TestQueryHasMatchesParseQuery(t *testing.T) {
	for _, raw := range []string{"a=1&b=2", "xa=1&a=12", "b=a=1&a=1", "a=1&", "&a=1", "a=1 2", "a=1+2", "a=%31", "a=%zz&a=1", "a;b=1&a=1", "=1&a", "a", "a=1=2", "%61=1", "a=%"} {
		vals, _ := url.ParseQuery(raw)
		for _, kv := range [][2]string{{"a", "1"}, {"a", ""}, {"a", "1 2"}, {"a", "1=2"}, {"b", "2"}} {
			want := false
			for _, v := range vals[kv[0]] {
				want = want || v == kv[1]
			}
			if got := queryCond(t, raw, kv[0], kv[1]); got != want {
				t.Errorf("query condition %q=%q on %q = %v, url.ParseQuery says %v", kv[0], kv[1], raw, got, want)
			}
		}
	}
}

// queryCond evaluates a compiled query condition on a raw query through
// a policy's condition set, as the middleware does, and checks it against
// the decoding scan.
func queryCond(t *testing.T, raw, name, value string) bool {
	t.Helper()
	c, err := compileCond(&Condition{Type: ConditionQueryParameter, Name: name, Value: value})
	if err != nil {
		t.Fatal(err)
	}
	r := &http.Request{URL: &url.URL{RawQuery: raw}}
	set := newCondSet([]condGroup{{conds: []cond{c}}})
	got := set.matched(set.fill(&reqView{r: r}, nil), nil)[0] == 1
	if slow := queryHas(raw, name, value); slow != got {
		t.Fatalf("the condition set says %v, the decoding scan %v for %q=%q on %q", got, slow, name, value, raw)
	}
	return got
}

func FuzzQueryHas(f *testing.F) {
	f.Add("a=1&b=%20x", "b", " x")
	f.Add("a;b=1", "a", "1")
	f.Fuzz(func(t *testing.T, raw, name, value string) {
		if name == "" {
			return
		}
		vals, _ := url.ParseQuery(raw)
		want := false
		for _, v := range vals[name] {
			want = want || v == value
		}
		if got := queryCond(t, raw, name, value); got != want {
			t.Fatalf("query condition %q=%q on %q = %v, url.ParseQuery says %v", name, value, raw, got, want)
		}
	})
}

// BenchmarkConditionalGroups checks one request against an API policy of
// 50 conditional groups (all four condition types, the last group
// matching), in memory, without the HTTP server.
func BenchmarkConditionalGroups(b *testing.B) {
	var groups []ConditionalGroup
	for i := 0; i < 49; i++ {
		var c Condition
		switch i % 5 {
		case 0:
			c = Condition{Type: ConditionIPRange, StartingIP: fmt.Sprintf("10.%d.0.0", i), EndingIP: fmt.Sprintf("10.%d.255.255", i)}
		case 1:
			c = Condition{Type: ConditionHeader, Name: fmt.Sprintf("x-h%d", i), Value: "v"}
		case 2:
			c = Condition{Type: ConditionQueryParameter, Name: fmt.Sprintf("q%d", i), Value: "v"}
		case 3:
			c = Condition{Type: ConditionJWTClaim, Name: "sub", Value: fmt.Sprintf("user%d", i)}
		case 4:
			c = Condition{Type: ConditionIP, IP: fmt.Sprintf("192.168.0.%d", i)}
		}
		groups = append(groups, group(1<<60, c))
	}
	groups = append(groups, group(1<<60,
		Condition{Type: ConditionHeader, Name: "x-client", Value: "mobile"},
		Condition{Type: ConditionQueryParameter, Name: "region", Value: "eu"},
		Condition{Type: ConditionJWTClaim, Name: "sub", Value: "admin", Invert: true}))
	pols := Policies{Advanced: []Policy{groupPolicy("APITier", 1<<60, groups...)}}
	spec := throttleSpec("http://127.0.0.1:1", pols, "APITier")
	th, problems := newThrottler(spec, testConfig(), nil, nil)
	if len(problems) > 0 {
		b.Fatal(problems)
	}
	ex := &exchange{}
	ex.info.API, ex.info.Resource = &spec.APIs[0], &spec.APIs[0].Resources[1]
	ex.info.Auth = AuthContext{Authenticated: true, Username: "alice"}
	ex.info.ClientIP = netip.MustParseAddr("198.51.100.7")
	ex.info.Start = time.Now()
	var matched atomic.Int64
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { matched.Add(1) })
	h := th.middleware(next)
	req := httptest.NewRequest("GET", "/pizza/1.0.0/open?page=2&region=eu&sort=name", nil)
	req.Header.Set("X-Client", "mobile")
	req.Header.Set("Accept", "application/json")
	req = req.WithContext(context.WithValue(req.Context(), exchangeKey{}, ex))
	w := httptest.NewRecorder()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.ServeHTTP(w, req)
	}
	b.StopTimer()
	if w.Code != 200 || matched.Load() != int64(b.N) {
		b.Fatalf("status %d", w.Code)
	}
	if v := th.mem.Incr([]byte("A|APITier|/pizza:1.0.0|c50"), 0, ratelimit.WindowAt(ex.info.Start, time.Hour)); v != int64(b.N) {
		b.Fatalf("the last group counted %d of %d requests", v, b.N)
	}
}

// TestCondSetHeaders checks both ways the set reads headers: asking per
// condition name (few names) and ranging over the request (many).
func TestCondSetHeaders(t *testing.T) {
	for _, names := range []int{1, 12} {
		var groups []condGroup
		for i := 0; i < names; i++ {
			c, err := compileCond(&Condition{Type: ConditionHeader, Name: fmt.Sprintf("x-h%d", i), Value: "v"})
			if err != nil {
				t.Fatal(err)
			}
			groups = append(groups, condGroup{conds: []cond{c}})
		}
		c, _ := compileCond(&Condition{Type: ConditionHeader, Name: "x-h0", Value: "w", Invert: true})
		groups = append(groups, condGroup{conds: []cond{c}})
		set := newCondSet(groups)
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Add("X-H0", "no")
		r.Header.Add("X-H0", "v")
		r.Header.Set("Accept", "v")
		matched := set.matched(set.fill(&reqView{r: r}, make([]uint64, 0, 1)), nil)
		for i := range groups {
			want := i == 0 || i == len(groups)-1 // x-h0 is v; x-h0 is not w
			if got := matched[i/64]>>(i%64)&1 == 1; got != want {
				t.Errorf("%d names: group %d matches = %v, want %v", names, i, got, want)
			}
		}
	}
}

// refMatches is the plain reading of a conditional group, the oracle for
// condSet: every condition tested on its own, the query decoded by
// url.ParseQuery.
func refMatches(g *condGroup, v *reqView) bool {
	for _, c := range g.conds {
		var ok bool
		switch c.kind {
		case condIP:
			ok = v.ip.IsValid() && v.ip == c.lo
		case condIPRange:
			ok = v.ip.IsValid() && c.lo.Compare(v.ip) <= 0 && v.ip.Compare(c.hi) <= 0
		case condHeader:
			for _, hv := range v.r.Header.Values(c.name) {
				ok = ok || hv == c.value
			}
		case condHost:
			ok = v.r.Host == c.value
		case condQuery:
			vals, _ := url.ParseQuery(v.r.URL.RawQuery)
			for _, qv := range vals[c.name] {
				ok = ok || qv == c.value
			}
		case condClaim:
			ok = v.info.Auth.Authenticated && c.claim == claimUsername && v.info.Auth.Username == c.value
		}
		if ok == c.invert {
			return false
		}
	}
	return true
}

// FuzzCondSet builds conditional groups from the fuzzer's bytes (all
// condition kinds, inverted or not, values from a small pool so that
// they match often) and checks every group's verdict on a fuzzed request
// against refMatches.
func FuzzCondSet(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, "a=a&b=e+u", "a", "10.0.0.7", "a")
	f.Add([]byte{2, 0, 18, 1, 10, 3, 4, 0, 20, 2, 13, 1}, "b=%41", "e u", "2001:db8::5", "")
	f.Add([]byte{1, 4, 0, 5, 17, 1, 9, 2, 25, 0}, "a;b=1&a=", "", "10.0.1.0", "b")
	f.Add(bytes.Repeat([]byte{3, 1, 19, 0}, 40), "x-h=a", "b", "::ffff:10.0.0.1", "a")
	f.Add([]byte{1, 2, 17, 0, 25, 1}, "", "", "10.0.0.7", "")
	f.Add([]byte{1, 0, 17, 0, 9, 1}, "", "", "10.0.0.0", "")
	pool := []string{"a", "b", "", "e u", "A"}
	ips := []string{"10.0.0.7", "2001:db8::5", "10.0.0.255"}
	ranges := [][2]string{{"10.0.0.0", "10.0.0.255"}, {"2001:db8::", "2001:db8::ffff"}, {"10.0.0.7", "10.0.0.7"}}
	f.Fuzz(func(t *testing.T, spec []byte, rawQuery, header, ip, user string) {
		var groups []condGroup
		for i := 0; i+1 < len(spec) && i < 400; i += 2 {
			k, x := spec[i], int(spec[i+1])
			c := Condition{Invert: k&8 != 0, Name: []string{"a", "b", "x-h"}[x%3], Value: pool[x%len(pool)]}
			switch k % 6 {
			case 0:
				c.Type, c.IP = ConditionIP, ips[x%len(ips)]
			case 1:
				c.Type, c.StartingIP, c.EndingIP = ConditionIPRange, ranges[x%3][0], ranges[x%3][1]
			case 2:
				c.Type = ConditionHeader
			case 3:
				c.Type = ConditionQueryParameter
			case 4:
				c.Type, c.Name = ConditionHeader, "host"
			case 5:
				c.Type, c.Name = ConditionJWTClaim, "sub"
			}
			cc, err := compileCond(&c)
			if err != nil {
				t.Fatalf("%+v: %v", c, err)
			}
			if len(groups) == 0 || k&16 != 0 {
				groups = append(groups, condGroup{})
			}
			g := &groups[len(groups)-1]
			g.conds = append(g.conds, cc)
		}
		set := newCondSet(groups)
		if set == nil {
			return
		}
		r := &http.Request{URL: &url.URL{RawQuery: rawQuery}, Header: http.Header{}, Host: header}
		for _, hv := range strings.Split(header, ",") {
			r.Header.Add("A", hv)
			r.Header.Add("X-H", hv)
		}
		addr, _ := netip.ParseAddr(ip)
		info := &RequestInfo{Auth: AuthContext{Authenticated: user != "", Username: user}}
		v := reqView{r: r, info: info, ip: addr.Unmap().WithZone("")}
		matched := set.matched(set.fill(&v, nil), nil)
		for i := range groups {
			if got, want := matched[i/64]>>(i%64)&1 == 1, refMatches(&groups[i], &v); got != want {
				t.Fatalf("group %d of %d: the set says %v, the plain reading %v (query %q, header %q, ip %q, user %q)", i+1, len(groups), got, want, rawQuery, header, ip, user)
			}
		}
	})
}
