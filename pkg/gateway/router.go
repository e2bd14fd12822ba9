package gateway

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/mgwio/mgw/pkg/gateway/internal/pathnorm"
	"github.com/mgwio/mgw/pkg/gateway/internal/segtrie"
)

// Paths the gateway answers itself, before any API.
const (
	healthPath  = "/health"
	readyPath   = "/health/ready"
	metricsPath = "/metrics"
)

// router finds the API (by base-path prefix) and then the resource (by
// path template) of a normalised path, both through segment tries.
type router struct {
	mounts segtrie.Tree[*mount]
	apis   []*apiRoute
}

// mount is one path an API is served at: its base path, and for a
// default-version API also its plain context.
type mount struct {
	api *apiRoute
	// prefix is the canonical path without a trailing "/"; "" for "/".
	prefix string
	depth  int
}

// apiRoute is an API ready to serve.
type apiRoute struct {
	api         *API
	label       string // "name/version"
	resources   segtrie.Tree[*methodSet]
	http, https bool
	routes      []*route // in Spec order
	stats       *apiStats
}

// methodSet holds the operations of one path template.
type methodSet struct {
	template string
	known    [numMethods]*route
	other    []*route
	allow    string
}

// route is one operation: the unit the proxy serves.
type route struct {
	api   *apiRoute
	res   *Resource
	prod  *endpointGroup
	sand  *endpointGroup
	stats atomic.Pointer[routeStats]
	// validator checks requests (and responses) against the operation's
	// schemas; nil when validation is off for it (validation.go).
	validator *opValidator
	icpt      *routeInterceptors // nil without Go interceptors (interceptors.go)
}

// Standard methods get array slots; others a short list.
const numMethods = 9

func methodIndex(m string) int {
	switch m {
	case "GET":
		return 0
	case "POST":
		return 1
	case "PUT":
		return 2
	case "DELETE":
		return 3
	case "PATCH":
		return 4
	case "HEAD":
		return 5
	case "OPTIONS":
		return 6
	case "TRACE":
		return 7
	case "CONNECT":
		return 8
	}
	return -1
}

func (ms *methodSet) get(method string) *route {
	if i := methodIndex(method); i >= 0 {
		return ms.known[i]
	}
	for _, r := range ms.other {
		if r.res.Method == method {
			return r
		}
	}
	return nil
}

// serving returns the operation that serves a request with method: its
// own, or for HEAD the GET operation when the API defines no HEAD (HEAD
// is GET without the body, RFC 9110 9.3.2; the backend gets HEAD).
func (ms *methodSet) serving(method string) *route {
	if r := ms.get(method); r != nil || method != "HEAD" {
		return r
	}
	return ms.known[0]
}

func (ms *methodSet) add(r *route) *route {
	if old := ms.get(r.res.Method); old != nil {
		return old
	}
	if i := methodIndex(r.res.Method); i >= 0 {
		ms.known[i] = r
	} else {
		ms.other = append(ms.other, r)
	}
	var names []string
	for _, k := range ms.known {
		if k != nil {
			names = append(names, k.res.Method)
		}
	}
	for _, o := range ms.other {
		names = append(names, o.res.Method)
	}
	if ms.known[0] != nil && ms.known[5] == nil {
		names = append(names, "HEAD") // served by GET
	}
	sort.Strings(names)
	ms.allow = strings.Join(names, ", ")
	return nil
}

// mountSegments parses a base path or context: literal segments only.
func mountSegments(p string) ([]segtrie.Segment, error) {
	segs, err := segtrie.ParseTemplate(p)
	if err != nil {
		return nil, err
	}
	for _, s := range segs {
		if s.Kind != segtrie.Literal {
			return nil, fmt.Errorf("%q must not contain parameters or wildcards", p)
		}
	}
	return segs, nil
}

// buildRouter checks the structure of spec's APIs and builds the router.
// It reports every problem found.
func buildRouter(spec *Spec) (*router, []string) {
	rt := &router{}
	var problems []string
	mountedBy := map[string]string{}
	for i := range spec.APIs {
		a := &spec.APIs[i]
		ar := &apiRoute{api: a, label: a.Name + "/" + a.Version}
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("API %s: %s", ar.label, fmt.Sprintf(format, args...)))
		}
		if a.Name == "" || a.Version == "" {
			bad("name and version must not be empty")
		}
		ar.http, ar.https = len(a.Transports) == 0, len(a.Transports) == 0
		for _, t := range a.Transports {
			switch t {
			case "http":
				ar.http = true
			case "https":
				ar.https = true
			default:
				bad("transport %q is not http or https", t)
			}
		}
		paths := []string{a.BasePath}
		if a.IsDefaultVersion && a.Context != "" {
			paths = append(paths, a.Context)
		}
		for _, p := range paths {
			segs, err := mountSegments(p)
			if err != nil {
				bad("base path: %v", err)
				continue
			}
			key := segtrie.Key(segs)
			if len(segs) > 0 && (segs[0].Text == "health" || segs[0].Text == "metrics") {
				bad("base path %q is reserved for the gateway's /health and /metrics endpoints", p)
				continue
			}
			if other, dup := mountedBy[key]; dup {
				if other != ar.label {
					bad("is served at %s, as is API %s", key, other)
				}
				continue
			}
			mountedBy[key] = ar.label
			m, _ := rt.mounts.Slot(segs)
			prefix := key
			if prefix == "/" {
				prefix = ""
			}
			*m = &mount{api: ar, prefix: prefix, depth: len(segs)}
		}
		for j := range a.Resources {
			res := &a.Resources[j]
			segs, err := segtrie.ParseTemplate(res.Path)
			if err != nil {
				bad("resource %s: %v", res.Path, err)
				continue
			}
			if !validMethod(res.Method) {
				bad("resource %s: %q is not an upper-case HTTP method", res.Path, res.Method)
				continue
			}
			ms, created := ar.resources.Slot(segs)
			if created {
				*ms = &methodSet{template: res.Path}
			}
			r := &route{api: ar, res: res}
			if old := (*ms).add(r); old != nil {
				bad("resource %s %s is defined twice (also as %s %s)", res.Method, res.Path, old.res.Method, old.res.Path)
				continue
			}
			ar.routes = append(ar.routes, r)
		}
		rt.apis = append(rt.apis, ar)
	}
	for _, p := range []string{healthPath, readyPath, metricsPath} {
		norm, _ := pathnorm.Normalize(p, nil)
		if m, ms, _, _ := rt.find(norm); ms != nil {
			problems = append(problems, fmt.Sprintf("API %s: resource %s would answer %s, which the gateway serves itself; change the API's base path",
				m.api.label, ms.template, p))
		}
	}
	return rt, problems
}

// validMethod accepts HTTP tokens in upper case.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// Outcomes of find beyond a match.
const (
	findOK = iota
	findNoAPI
	findOutside // the path climbed above the API's base path
	findNoResource
)

// find locates the mount and method set of a normalised path.
func (rt *router) find(norm pathnorm.Result) (*mount, *methodSet, int, int) {
	mp, depth := rt.mounts.LongestPrefix(norm.Segments)
	if mp == nil {
		return nil, nil, 0, findNoAPI
	}
	m := *mp
	if norm.MinDepth < depth {
		return m, nil, depth, findOutside
	}
	ms := m.api.resources.Lookup(norm.Segments[depth:])
	if ms == nil {
		return m, nil, depth, findNoResource
	}
	return m, *ms, depth, findOK
}
