package gateway

import (
	"fmt"
	"strings"
)

// SpecError lists the structural problems of a Spec.
type SpecError struct {
	Problems []string
}

// Error implements error.
func (e *SpecError) Error() string {
	return "invalid gateway spec:\n  " + strings.Join(e.Problems, "\n  ")
}

// Validate checks what New checks about the spec itself, without any
// deploy-time configuration: names, base paths (unique, not shadowing
// /health or /metrics), path templates (parameters span whole segments,
// "*" only last), methods, duplicate operations, transports and endpoint
// types and URLs. mgw build can call it to fail before compiling.
func (s *Spec) Validate() error {
	_, problems := buildRouter(s)
	for i := range s.APIs {
		a := &s.APIs[i]
		check := func(ep *Endpoint, what string) {
			if ep == nil {
				return
			}
			kind := ep.Type
			if kind == "" {
				kind = EndpointHTTP
			}
			if err := checkEndpoint(kind, ep.URLs); err != nil {
				problems = append(problems, fmt.Sprintf("API %s/%s: %s%v", a.Name, a.Version, what, err))
			}
			if ep.TimeoutMillis < 0 {
				problems = append(problems, fmt.Sprintf("API %s/%s: %s: negative timeout", a.Name, a.Version, what))
			}
		}
		check(a.Production, "production endpoint")
		check(a.Sandbox, "sandbox endpoint")
		problems = append(problems, schemaProblems(a)...)
		for j := range a.Resources {
			r := &a.Resources[j]
			check(r.Production, fmt.Sprintf("resource %s %s production endpoint", r.Method, r.Path))
			check(r.Sandbox, fmt.Sprintf("resource %s %s sandbox endpoint", r.Method, r.Path))
		}
	}
	if _, bp := compileBlocking(s, nil); len(bp) > 0 {
		for _, p := range bp {
			problems = append(problems, "blocking "+p)
		}
	}
	if len(problems) > 0 {
		return &SpecError{Problems: problems}
	}
	return nil
}
