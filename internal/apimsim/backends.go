package apimsim

import (
	"bytes"
	"strings"
)

// DemoBackends are the backend base URLs the embedded fixtures use.
var DemoBackends = []string{"http://127.0.0.1:8280", "http://127.0.0.1:8281"}

// rewriteBackends points every endpoint that uses one of DemoBackends at
// base instead, so demos and tests can run their backend on any port.
func (c *catalog) rewriteBackends(base string) {
	base = strings.TrimRight(base, "/")
	for _, e := range c.apis {
		for _, old := range DemoBackends {
			e.api.EndpointConfig = strings.ReplaceAll(e.api.EndpointConfig, old, base)
			e.raw = bytes.ReplaceAll(e.raw, []byte(old), []byte(base))
		}
	}
}
