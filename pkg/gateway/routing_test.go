package gateway

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

func TestRouting(t *testing.T) {
	be := echoBackend(t, "prod")
	gw := start(t, petstore(be.URL), testConfig(), resourceHeader)
	c := client()
	cases := []struct {
		name, method, path string
		resource           string // matched resource, "" for none
		backendURI         string
	}{
		{"versioned base path", "GET", "/petstore/v1/pet/42", "GET /pet/{petId}", "/api/pet/42"},
		{"default version at context", "GET", "/petstore/pet/42", "GET /pet/{petId}", "/api/pet/42"},
		{"literal beats parameter", "GET", "/petstore/v1/pet/findByStatus?status=sold", "GET /pet/findByStatus", "/api/pet/findByStatus?status=sold"},
		{"query string kept byte for byte", "GET", "/petstore/v1/pet/7?a=1&b=%20x&a=2", "GET /pet/{petId}", "/api/pet/7?a=1&b=%20x&a=2"},
		{"method picks the operation", "DELETE", "/petstore/v1/pet/42", "DELETE /pet/{petId}", "/api/pet/42"},
		{"root resource", "GET", "/petstore/v1", "GET /", "/api"},
		{"root resource with slash", "GET", "/petstore/v1/", "GET /", "/api/"},
		{"wildcard", "GET", "/petstore/v1/x/a/b", "GET /x/*", "/api/x/a/b"},
		{"prefix strip, not string replace", "GET", "/petstore/v1/x/petstore/v1/y", "GET /x/*", "/api/x/petstore/v1/y"},
		{"parameter route", "GET", "/petstore/v1/anything", "GET /{name}", "/api/anything"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, c, tc.method, gw.http+tc.path, nil)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d, body %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("X-Test-Resource"); got != tc.resource {
				t.Errorf("resource %q, want %q", got, tc.resource)
			}
			e := decodeEcho(t, body)
			if e.RequestURI != tc.backendURI || e.Method != tc.method {
				t.Errorf("backend got %s %s, want %s %s", e.Method, e.RequestURI, tc.method, tc.backendURI)
			}
		})
	}
}

func TestRoutingErrors(t *testing.T) {
	be := echoBackend(t, "prod")
	spec := petstore(be.URL)
	v2 := spec.APIs[0]
	v2.Version, v2.BasePath, v2.IsDefaultVersion = "2.0.0", "/petstore/v2", false
	spec.APIs = append(spec.APIs, v2)
	gw := start(t, spec, testConfig())
	c := client()

	t.Run("no API", func(t *testing.T) {
		resp, body := do(t, c, "GET", gw.http+"/nothing/here", nil)
		if resp.StatusCode != 404 || body != notFoundFault || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("got %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	})
	t.Run("no resource", func(t *testing.T) {
		resp, body := do(t, c, "GET", gw.http+"/petstore/v1/pet/1/2/3", nil)
		if resp.StatusCode != 404 || body != notFoundFault {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	})
	t.Run("method not allowed", func(t *testing.T) {
		resp, body := do(t, c, "PATCH", gw.http+"/petstore/v1/pet/42", nil)
		if resp.StatusCode != 405 || body != notFoundFault {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
		if allow := resp.Header.Get("Allow"); allow != "DELETE, GET, HEAD" {
			t.Errorf("Allow = %q, want \"DELETE, GET, HEAD\" (HEAD served by GET)", allow)
		}
	})
	t.Run("HEAD served by GET", func(t *testing.T) {
		methods := backend(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Method", r.Method)
			io.WriteString(w, "twelve bytes")
		})
		gw := start(t, petstore(methods.URL), testConfig())
		resp, body := do(t, c, "HEAD", gw.http+"/petstore/v1/pet/42", nil)
		if resp.StatusCode != 200 || body != "" || resp.ContentLength != 12 {
			t.Errorf("HEAD on a GET resource: %d, length %d, body %q", resp.StatusCode, resp.ContentLength, body)
		}
		if m := resp.Header.Get("X-Method"); m != "HEAD" {
			t.Errorf("the backend got %s; want HEAD passed on", m)
		}
		// An explicit HEAD resource is not needed, and POST still is not
		// served by GET.
		if resp, _ := do(t, c, "POST", gw.http+"/petstore/v1/pet/42", nil); resp.StatusCode != 405 {
			t.Errorf("POST on a GET/DELETE resource: %d", resp.StatusCode)
		}
	})
	t.Run("non-default version not at context", func(t *testing.T) {
		// /petstore is v1's context; v2's resources are only under /petstore/v2.
		resp, body := do(t, c, "GET", gw.http+"/petstore/v2/pet/1", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("v2 base path: %d %s", resp.StatusCode, body)
		}
		resp, _ = do(t, c, "GET", gw.http+"/petstore/pet/1", nil)
		if resp.StatusCode != 200 {
			t.Fatalf("default version: %d", resp.StatusCode)
		}
	})
	t.Run("transport not allowed", func(t *testing.T) {
		spec := petstore(be.URL)
		spec.APIs[0].Transports = []string{"https"}
		gw := start(t, spec, testConfig())
		resp, body := do(t, c, "GET", gw.http+"/petstore/v1/pet/1", nil)
		if resp.StatusCode != 404 || body != notFoundFault {
			t.Errorf("https-only API over http: %d %s", resp.StatusCode, body)
		}
	})
}

// TestPathTricks checks that no spelling of a path reaches a resource
// other than the one its normal form names, nor leaves the API.
func TestPathTricks(t *testing.T) {
	be := echoBackend(t, "prod")
	gw := start(t, petstore(be.URL), testConfig(), resourceHeader)
	cases := []struct {
		name, path string
		status     int
		resource   string // when 200
		backendURI string // when 200
	}{
		{"dot-dot inside the API", "/petstore/v1/pet/../admin", 200, "GET /admin", "/api/admin"},
		{"encoded dot-dot inside the API", "/petstore/v1/pet/%2e%2e/admin", 200, "GET /admin", "/api/admin"},
		{"mixed-case encoded dot-dot", "/petstore/v1/pet/%2E./admin", 200, "GET /admin", "/api/admin"},
		{"dot segment", "/petstore/v1/./admin/.", 200, "GET /admin", "/api/admin/"},
		// Normalised first, then routed: this is /petstore/v2/admin, which
		// the default-version mount /petstore does not serve.
		{"dot-dot into another version", "/petstore/v1/../v2/admin", 404, "", ""},
		{"encoded dot-dot into another version", "/petstore/v1/%2e%2e/v2/admin", 404, "", ""},
		{"dot-dot out of the API's base path", "/petstore/v1/pet/../../v1/admin", 400, "", ""},
		{"dot-dot out and back in", "/petstore/v1/../v1/admin", 400, "", ""},
		{"dot-dot above root", "/petstore/v1/../../../etc/passwd", 400, "", ""},
		{"double slashes", "/petstore/v1//admin", 200, "GET /admin", "/api/admin"},
		{"double slashes in base path", "//petstore//v1///admin", 200, "GET /admin", "/api/admin"},
		{"encoded slash", "/petstore/v1/files/a%2fb", 400, "", ""},
		{"encoded slash spelling a secured path", "/petstore/v1/admin%2Fx", 400, "", ""},
		{"encoded backslash", "/petstore/v1/files/a%5cb", 400, "", ""},
		{"trailing dot", "/petstore/v1/admin.", 400, "", ""},
		{"encoded trailing dot", "/petstore/v1/admin%2E", 400, "", ""},
		{"upper case does not fall through to {name}", "/petstore/v1/ADMIN", 404, "", ""},
		{"mixed case does not fall through to {name}", "/petstore/v1/Admin", 404, "", ""},
		{"base path is case-sensitive", "/PetStore/v1/admin", 404, "", ""},
		{"encoded unreserved letters", "/petstore/v1/%61dm%69n", 200, "GET /admin", "/api/admin"},
		{"trailing slash kept", "/petstore/v1/admin/", 200, "GET /admin", "/api/admin/"},
		{"sub-delims decoded", "/petstore/v1/files/a%2Cb", 200, "GET /files/{name}", "/api/files/a,b"},
		{"space stays encoded", "/petstore/v1/files/a%20b", 200, "GET /files/{name}", "/api/files/a%20b"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := rawGet(t, gw.ls.HTTP.Addr().String(), tc.path)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d; body %s", resp.StatusCode, tc.status, body)
			}
			switch tc.status {
			case 200:
				if got := resp.Header.Get("X-Test-Resource"); got != tc.resource {
					t.Errorf("resource %q, want %q", got, tc.resource)
				}
				if e := decodeEcho(t, body); e.RequestURI != tc.backendURI {
					t.Errorf("backend got %q, want %q", e.RequestURI, tc.backendURI)
				}
			case 400:
				if body != badPathFault {
					t.Errorf("body %s", body)
				}
			case 404:
				if body != notFoundFault {
					t.Errorf("body %s", body)
				}
			}
		})
	}
}

func TestMalformedEscape(t *testing.T) {
	gw := start(t, petstore(deadURL(t)), testConfig())
	// Go's server rejects the request line before the gateway sees it.
	if resp, _ := rawGet(t, gw.ls.HTTP.Addr().String(), "/petstore/v1/%zz"); resp.StatusCode != 400 {
		t.Errorf("status %d, want 400", resp.StatusCode)
	}
}

// rawGet sends a request line exactly as given (a Go client would clean
// the path) and reads the response.
func rawGet(t testing.TB, addr, path string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: gateway.test\r\nConnection: close\r\n\r\n", path)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return resp, readAll(t, resp)
}

func TestEncodedSlashesAllowed(t *testing.T) {
	be := echoBackend(t, "prod")
	cfg := testConfig()
	cfg.Server.AllowEncodedSlashes = true
	gw := start(t, petstore(be.URL), cfg, resourceHeader)
	resp, body := rawGet(t, gw.ls.HTTP.Addr().String(), "/petstore/v1/files/a%2fb")
	if resp.StatusCode != 200 || resp.Header.Get("X-Test-Resource") != "GET /files/{name}" {
		t.Fatalf("status %d resource %q", resp.StatusCode, resp.Header.Get("X-Test-Resource"))
	}
	if e := decodeEcho(t, body); e.RequestURI != "/api/files/a%2Fb" {
		t.Errorf("backend got %q, want the slash still encoded", e.RequestURI)
	}
}

func readAll(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return b.String()
}
