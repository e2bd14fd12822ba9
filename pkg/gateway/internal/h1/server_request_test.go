package h1

import (
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// TestServerRequestFields checks what a handler sees of a request.
func TestServerRequestFields(t *testing.T) {
	cases := []struct {
		name, raw string
		want      stSeen // only the fields checked below
		header    http.Header
	}{
		{
			name: "origin-form with query and escaped path",
			raw: "GET /a%2Fb/c?x=1&y=%20 HTTP/1.1\r\nHost: example.com:8080\r\n" +
				"X-Multi: one\r\nx-multi: two\r\nX-Ows:   padded value \t\r\nuser-agent: t\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/a/b/c", RawPath: "/a%2Fb/c", RawQuery: "x=1&y=%20",
				RequestURI: "/a%2Fb/c?x=1&y=%20", Host: "example.com:8080", Proto: "HTTP/1.1", Major: 1, Minor: 1,
				ContentLength: 0, NoBody: true},
			header: http.Header{"X-Multi": {"one", "two"}, "X-Ows": {"padded value"}, "User-Agent": {"t"}},
		},
		{
			name: "absolute-form takes the host from the target",
			raw:  "GET http://upstream.test:81/p?q HTTP/1.1\r\nHost: other.test\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/p", RawQuery: "q", RequestURI: "http://upstream.test:81/p?q",
				Host: "upstream.test:81", Proto: "HTTP/1.1", Major: 1, Minor: 1, NoBody: true},
		},
		{
			name: "content-length body",
			raw:  "POST /post HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
			want: stSeen{Method: "POST", Path: "/post", RequestURI: "/post", Host: "h", Proto: "HTTP/1.1",
				Major: 1, Minor: 1, ContentLength: 5, Close: true, Body: []byte("hello")},
		},
		{
			name: "empty content-length body",
			raw:  "POST /e HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
			want: stSeen{Method: "POST", Path: "/e", RequestURI: "/e", Host: "h", Proto: "HTTP/1.1",
				Major: 1, Minor: 1, ContentLength: 0, NoBody: true},
		},
		{
			name: "request line and header longer than 4 KiB",
			raw:  "GET /" + strings.Repeat("p", 10000) + " HTTP/1.1\r\nHost: h\r\nX-Long: " + strings.Repeat("v", 10000) + "\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/" + strings.Repeat("p", 10000), RequestURI: "/" + strings.Repeat("p", 10000),
				Host: "h", Proto: "HTTP/1.1", Major: 1, Minor: 1, NoBody: true},
			header: http.Header{"X-Long": {strings.Repeat("v", 10000)}},
		},
		{
			name: "Connection close among other tokens",
			raw:  "GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/", RequestURI: "/", Host: "h", Proto: "HTTP/1.1",
				Major: 1, Minor: 1, NoBody: true, Close: true},
		},
		{
			name: "chunked body",
			raw:  "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-T: 1\r\n\r\n",
			want: stSeen{Method: "PUT", Path: "/c", RequestURI: "/c", Host: "h", Proto: "HTTP/1.1",
				Major: 1, Minor: 1, ContentLength: -1, Body: []byte("abcde")},
		},
		{
			name: "HTTP/1.0 without keep-alive closes",
			raw:  "GET / HTTP/1.0\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/", RequestURI: "/", Proto: "HTTP/1.0", Major: 1, Minor: 0,
				NoBody: true, Close: true},
		},
		{
			name: "HTTP/1.0 with keep-alive",
			raw:  "GET /k HTTP/1.0\r\nConnection: keep-alive\r\nHost: h\r\n\r\n",
			want: stSeen{Method: "GET", Path: "/k", RequestURI: "/k", Host: "h", Proto: "HTTP/1.0",
				Major: 1, Minor: 0, NoBody: true},
		},
	}
	stEach(t, func(t *testing.T, k stKind) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				rec := &stRecorder{}
				l := stStart(t, k, rec, stOpts{})
				c := stDial(t, l)
				resp := c.roundTrip(tc.raw)
				if resp.StatusCode != 200 {
					t.Fatalf("request %q: status %d, want 200", tc.raw, resp.StatusCode)
				}
				seen := rec.all()
				if len(seen) != 1 {
					t.Fatalf("handler ran %d times, want 1", len(seen))
				}
				got := seen[0]
				if got.RemoteAddr != c.c.LocalAddr().String() {
					t.Errorf("RemoteAddr %q, want the client's %q", got.RemoteAddr, c.c.LocalAddr())
				}
				if got.NilBody || got.TLS || !got.Ctx {
					t.Errorf("Body nil %v, TLS set %v, Context set %v; want false, false, true", got.NilBody, got.TLS, got.Ctx)
				}
				if got.BodyErr != nil {
					t.Errorf("reading the body: %v", got.BodyErr)
				}
				w := tc.want
				type view struct {
					Method, Path, RawPath, RawQuery, RequestURI, Host, Proto string
					Major, Minor                                             int
					ContentLength                                            int64
					NoBody, Close                                            bool
					Body                                                     string
				}
				gv := view{got.Method, got.Path, got.RawPath, got.RawQuery, got.RequestURI, got.Host, got.Proto,
					got.Major, got.Minor, got.ContentLength, got.NoBody, got.Close, string(got.Body)}
				wv := view{w.Method, w.Path, w.RawPath, w.RawQuery, w.RequestURI, w.Host, w.Proto,
					w.Major, w.Minor, w.ContentLength, w.NoBody, w.Close, string(w.Body)}
				if gv != wv {
					t.Errorf("request %q:\n got %+v\nwant %+v", tc.raw, gv, wv)
				}
				for key, vals := range tc.header {
					if !reflect.DeepEqual(got.Header[key], vals) {
						t.Errorf("Header[%q] = %q, want %q (all: %v)", key, got.Header[key], vals, got.Header)
					}
				}
				for key := range got.Header {
					if key != http.CanonicalHeaderKey(key) {
						t.Errorf("header key %q is not canonical", key)
					}
				}
			})
		}
	})
}

// TestServerBodyReads checks request bodies are read exactly: io.EOF past
// the end, and bodies of any size stream through.
func TestServerBodyReads(t *testing.T) {
	big := strings.Repeat("0123456789abcdef", 5<<20/16) // 5 MiB
	stEach(t, func(t *testing.T, k stKind) {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			buf := make([]byte, 64<<10)
			n := 0
			for {
				m, err := r.Body.Read(buf)
				n += m
				if err != nil {
					if !errors.Is(err, io.EOF) {
						http.Error(w, err.Error(), 500)
						return
					}
					break
				}
			}
			// Reading again past the end keeps returning io.EOF.
			if m, err := r.Body.Read(buf); m != 0 || !errors.Is(err, io.EOF) {
				http.Error(w, "read past end gave data or no EOF", 500)
				return
			}
			w.Write([]byte(strings.Repeat("x", n%7)))
		})
		l := stStart(t, k, h, stOpts{})
		c := stDial(t, l)
		go func() {
			c.sendAsync("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: 5242880\r\n\r\n" + big)
			c.sendAsync("POST /chunked HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" +
				"100000\r\n" + big[:1<<20] + "\r\n400000;a=b\r\n" + big[:4<<20] + "\r\n0\r\n\r\n")
		}()
		for i, want := range []int{5 << 20, 5 << 20} {
			r := c.read("POST")
			if r.StatusCode != 200 || string(r.body) != strings.Repeat("x", want%7) {
				t.Fatalf("request %d: status %d body %q", i, r.StatusCode, clipRaw(string(r.body)))
			}
		}
	})
}

// TestServerRequestOutlivesHandler checks a request a handler keeps after
// it returns (an asynchronous logger, analytics) is not changed by the
// next request on the connection. net/http allows this: only the
// ResponseWriter and the Body are off limits after ServeHTTP returns.
func TestServerRequestOutlivesHandler(t *testing.T) {
	stEach(t, func(t *testing.T, k stKind) {
		kept := make(chan *http.Request, 2)
		l := stStart(t, k, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			kept <- r
		}), stOpts{})
		c := stDial(t, l)
		c.roundTrip("GET /first HTTP/1.1\r\nHost: h\r\nX-Id: 1\r\n\r\n")
		first := <-kept
		c.roundTrip("GET /second HTTP/1.1\r\nHost: h\r\nX-Id: 2\r\nX-Other: o\r\n\r\n")
		<-kept
		if first.URL.Path != "/first" || first.Header.Get("X-Id") != "1" || first.Header.Get("X-Other") != "" {
			t.Errorf("a kept request changed after the next one: path %q, header %v; want /first with X-Id 1",
				first.URL.Path, first.Header)
		}
	})
}
