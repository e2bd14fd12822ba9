package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// Variant is one thing to measure: a name and a function that starts it.
// A later variant (gateway-jwt, gateway-throttle...) is one more entry in
// variants.
type Variant struct {
	// Name is what -targets selects and the report prints.
	Name string
	// About says in a few words what is measured.
	About string
	// Tools are the commands Start needs besides wrk and go, checked
	// before anything runs.
	Tools []string
	// Goal, when set, is the requests/s target the variant is judged
	// on; the p99 and RSS targets apply to it too.
	Goal *Goal
	// Reference is the variant the table's ratio columns divide by:
	// nginx under the same load ("nginx" when empty; "nginx-post" for the
	// POSTing variants).
	Reference string
	// Start starts the target, registering every process it starts in
	// env.Procs (the benchmark stops them after the measurement), and
	// returns the URL to load and the process whose memory is reported.
	Start func(ctx context.Context, env *Env) (Target, error)
}

// Target is a started variant.
type Target struct {
	// URL is what wrk requests; it answers 200 with Env.Body bytes.
	URL string
	// PID is the process (with its children) whose peak RSS is reported.
	PID int
	// Headers ("Name: value") are sent with every request.
	Headers []string
	// Post, when set, is the JSON body every request POSTs (with
	// Content-Type application/json); requests are GETs otherwise.
	Post []byte
}

// Env is what a variant's Start gets.
type Env struct {
	// Dir is a fresh directory for this variant's files.
	Dir string
	// Backend is the shared backend's base URL (http://127.0.0.1:port);
	// GET Backend+"/size/N" answers N bytes.
	Backend string
	// Body is the response body size in bytes.
	Body int
	// BackendBin is the built backend program (see backend/).
	BackendBin string
	// Go is the go command; Nginx the nginx command (when needed).
	Go    string
	Nginx string
	// NginxWorkers is nginx's worker_processes value.
	NginxWorkers string
	// Procs receives every process Start starts.
	Procs *Procs
	// built holds programs built by earlier variants, by key, so that
	// variants of one program build it once.
	built map[string]string
}

// once returns the path that build made for key, calling build only the
// first time key is asked for in this run.
func (e *Env) once(key string, build func() (string, error)) (string, error) {
	if p, ok := e.built[key]; ok {
		return p, nil
	}
	p, err := build()
	if err != nil {
		return "", err
	}
	e.built[key] = p
	return p, nil
}

// start runs path as a process named name, logging to Dir/name.log.
func (e *Env) start(name, path string, args, env []string) (*Proc, error) {
	return e.Procs.Start(name, filepath.Join(e.Dir, name+".log"), path, args, env)
}

// variants lists every known variant in the order they run.
func variants() []Variant {
	return []Variant{
		{Name: "direct", About: "the backend alone", Start: startDirect},
		{Name: "nginx", About: "nginx reverse proxy, upstream keepalive", Tools: []string{"nginx"}, Start: startNginx},
		{Name: "bare", About: "bare httputil.ReverseProxy", Start: startBare},
		{Name: "gateway", About: "mgw gateway, routing only, no access log", Goal: &Goal{Rate: 0.85, Scenario: "routing only (issue 12)", Floor: "bare-fasthttp"}, Start: startGateway(false)},
		{Name: "gateway-accesslog", About: "mgw gateway, routing only, access log on", Start: startGateway(true)},
		{Name: "gateway-nethttp", About: "mgw gateway, routing only, net/http backend client", Start: startGateway(false, netHTTPEnv)},
		{Name: "gateway-nethttp-server", About: "mgw gateway, routing only, net/http server for clients", Start: startGateway(false, netHTTPServerEnv)},
		{Name: "bare-fasthttp", About: "bare fasthttp server + HostClient proxy", Start: startBareFasthttp},
		{Name: "bare-fasthttp-post", About: "bare fasthttp proxy, POSTing the 1 KiB JSON order of gateway-validation", Reference: "nginx-post", Start: posting(startBareFasthttp)},
		{Name: "gateway-fasthttp-server", About: "mgw gateway's handler behind a fasthttp server (fasthttpadaptor)", Start: startGatewayFasthttp},
		{Name: "gateway-throttle", About: "mgw gateway, in-memory throttling: API-level and Unauthenticated policies", Start: startGateway(false, throttleEnv)},
		{Name: "gateway-jwt", About: "mgw gateway, JWT authentication (RS256, verified-token cache) on a secured copy of the API", Start: startGatewayJWT},
		{Name: "gateway-secured", About: "mgw gateway, JWT authentication + throttling (application, subscription, API) + analytics",
			Goal: &Goal{Rate: 0.80, Scenario: "JWT + throttling + analytics (issue 12)", Floor: "bare-fasthttp", Baseline: "gateway"}, Start: startGatewaySecured},
		{Name: "nginx-post", About: "nginx reverse proxy, POSTing a 1 KiB JSON order (the reference of gateway-validation)", Tools: []string{"nginx"}, Start: posting(startNginx)},
		{Name: "gateway-validation", About: "mgw gateway, request validation of a POSTed 1 KiB JSON order (20 properties)",
			Goal: &Goal{Rate: 0.75, Scenario: "request validation (issue 14)", Floor: "bare-fasthttp-post", Baseline: "gateway-post"}, Reference: "nginx-post", Start: startGatewayValidation},
		{Name: "gateway-post", About: "mgw gateway, gateway-validation's POSTs with request validation off (MGW_VALIDATION_REQUEST=off)",
			Reference: "nginx-post", Start: startGatewayPost},
		{Name: "gateway-analytics", About: "mgw gateway, usage analytics written to files (no upload)", Start: startGateway(false, analyticsEnv)},
	}
}

// defaultTargets is the -targets default.
const defaultTargets = "direct,nginx,bare,gateway,gateway-secured"

// selectVariants returns the variants named in the comma-separated list.
func selectVariants(list string) ([]Variant, error) {
	all := variants()
	var names []string
	for _, v := range all {
		names = append(names, v.Name)
	}
	var out []Variant
	seen := map[string]bool{}
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		found := false
		for _, v := range all {
			if v.Name == name {
				out = append(out, v)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("-targets: unknown target %q; the targets are %s", name, strings.Join(names, ", "))
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-targets: no target given; the targets are %s", strings.Join(names, ", "))
	}
	return out, nil
}
