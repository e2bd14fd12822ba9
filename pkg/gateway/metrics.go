package gateway

import (
	"net/http"
	"runtime"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/prom"
)

// latencyBuckets are the histogram bounds for request and backend time.
var latencyBuckets = []time.Duration{
	time.Millisecond, 2500 * time.Microsecond, 5 * time.Millisecond, 10 * time.Millisecond,
	25 * time.Millisecond, 50 * time.Millisecond, 100 * time.Millisecond, 250 * time.Millisecond,
	500 * time.Millisecond, time.Second, 2500 * time.Millisecond, 5 * time.Second, 10 * time.Second,
}

// routeStats are the counters of one API resource and method, created
// when the gateway starts so the hot path only touches atomics.
type routeStats struct {
	labels  []prom.Label // api, version, resource, method
	status  prom.StatusCounts
	total   *prom.Histogram
	backend *prom.Histogram
}

func newRouteStats(api, version, resource, method string) *routeStats {
	return &routeStats{
		labels:  []prom.Label{prom.L("api", api), prom.L("version", version), prom.L("resource", resource), prom.L("method", method)},
		total:   prom.NewHistogram(latencyBuckets),
		backend: prom.NewHistogram(latencyBuckets),
	}
}

// backendErrorKinds are the kind label values of mgw_backend_errors_total.
var backendErrorKinds = [...]string{errConnect, errTLS, errTimeout, errProtocol}

// apiStats hold an API's backend errors and its requests that matched no
// resource (resource label ""), by method.
type apiStats struct {
	api, version string
	errors       [len(backendErrorKinds)]atomic.Uint64
	unmatched    [numMethods + 1]atomic.Pointer[routeStats]
}

func (s *apiStats) backendError(kind string) {
	for i, k := range backendErrorKinds {
		if k == kind {
			s.errors[i].Add(1)
			return
		}
	}
}

// unmatchedFor returns the stats for requests with method that matched no
// resource; methods outside the standard set share "OTHER".
func (s *apiStats) unmatchedFor(method string) *routeStats {
	i := methodIndex(method)
	if i < 0 {
		i, method = numMethods, "OTHER"
	}
	if rs := s.unmatched[i].Load(); rs != nil {
		return rs
	}
	s.unmatched[i].CompareAndSwap(nil, newRouteStats(s.api, s.version, "", method))
	return s.unmatched[i].Load()
}

// metrics is the gateway's metric registry.
type metrics struct {
	inFlight  atomic.Int64
	routes    []*route    // every route; their stats are made on first use
	apis      []*apiStats // sorted by api, version
	noAPI     *apiStats   // requests that matched no API
	buildInfo []prom.Label
	extra     []func(w *prom.Writer) // middleware metrics, added during New
}

func newMetrics(spec *Spec, rt *router) *metrics {
	m := &metrics{
		noAPI: &apiStats{},
		buildInfo: []prom.Label{
			prom.L("label", spec.Label), prom.L("mgw_version", spec.MgwVersion), prom.L("go_version", runtime.Version()),
		},
	}
	for _, ar := range rt.apis {
		ar.stats = &apiStats{api: ar.api.Name, version: ar.api.Version}
		m.apis = append(m.apis, ar.stats)
		m.routes = append(m.routes, ar.routes...)
	}
	sort.SliceStable(m.apis, func(i, j int) bool {
		a, b := m.apis[i], m.apis[j]
		return a.api < b.api || a.api == b.api && a.version < b.version
	})
	return m
}

func lessLabels(a, b []prom.Label) bool {
	for i := range a {
		if a[i].Value != b[i].Value {
			return a[i].Value < b[i].Value
		}
	}
	return false
}

// record counts a finished request.
func (m *metrics) record(rs *routeStats, status int, total, backend time.Duration) {
	rs.status.Inc(status)
	rs.total.Observe(total)
	if backend > 0 {
		rs.backend.Observe(backend)
	}
}

// statsFor returns the route's stats, creating them on first use so that
// start-up stays fast for labels with thousands of resources.
func (r *route) statsFor() *routeStats {
	if rs := r.stats.Load(); rs != nil {
		return rs
	}
	r.stats.CompareAndSwap(nil, newRouteStats(r.api.api.Name, r.api.api.Version, r.res.Path, r.res.Method))
	return r.stats.Load()
}

// all returns the stats of every route that served a request, including
// those for unmatched requests, in label order.
func (m *metrics) all() []*routeStats {
	var out []*routeStats
	for _, r := range m.routes {
		if rs := r.stats.Load(); rs != nil {
			out = append(out, rs)
		}
	}
	for _, s := range append([]*apiStats{m.noAPI}, m.apis...) {
		for i := range s.unmatched {
			if rs := s.unmatched[i].Load(); rs != nil {
				out = append(out, rs)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return lessLabels(out[i].labels, out[j].labels) })
	return out
}

// write renders the exposition.
func (m *metrics) write() string {
	var w prom.Writer
	routes := m.all()
	w.Family("mgw_requests_total", "Requests served, by API, resource, method and status.", "counter")
	for _, rs := range routes {
		rs.status.Each(func(code int, n uint64) {
			w.Sample("mgw_requests_total", append(rs.labels[:4:4], prom.L("status", strconv.Itoa(code))), float64(n))
		})
	}
	w.Family("mgw_request_duration_seconds", "Time from receiving a request to the end of its response.", "histogram")
	for _, rs := range routes {
		if rs.total.Count() > 0 {
			w.Histogram("mgw_request_duration_seconds", rs.labels, rs.total)
		}
	}
	w.Family("mgw_backend_duration_seconds", "Time the backend took to send response headers, over all attempts.", "histogram")
	for _, rs := range routes {
		if rs.backend.Count() > 0 {
			w.Histogram("mgw_backend_duration_seconds", rs.labels, rs.backend)
		}
	}
	w.Family("mgw_backend_errors_total", "Failed backend attempts, by API and kind (connect, tls, timeout, protocol).", "counter")
	for _, s := range m.apis {
		for i, k := range backendErrorKinds {
			if n := s.errors[i].Load(); n > 0 {
				w.Sample("mgw_backend_errors_total", []prom.Label{prom.L("api", s.api), prom.L("version", s.version), prom.L("kind", k)}, float64(n))
			}
		}
	}
	w.Family("mgw_requests_in_flight", "Requests being served.", "gauge")
	w.Sample("mgw_requests_in_flight", nil, float64(m.inFlight.Load()))
	for _, f := range m.extra {
		f(&w)
	}
	w.Family("mgw_build_info", "The gateway's label and versions.", "gauge")
	w.Sample("mgw_build_info", m.buildInfo, 1)
	return w.String()
}

func (m *metrics) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		WriteFault(w, Fault{Code: CodeNoMatchingResource, Status: http.StatusMethodNotAllowed,
			Message: FaultFor(CodeNoMatchingResource).Message, Description: FaultFor(CodeNoMatchingResource).Description})
		return
	}
	body := m.write()
	w.Header().Set("Content-Type", prom.ContentType)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write([]byte(body))
}
