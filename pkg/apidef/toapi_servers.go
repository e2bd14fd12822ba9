package apidef

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// production reads x-wso2-production-endpoints; without it, as in MGW 3.x,
// the servers URLs (of the operation, or of the API at the top level) are
// the production backends, load balanced when there are several.
func (c *converter) production(loc string, ext map[string]any, servers openapi3.Servers) *gateway.Endpoint {
	if _, ok := ext[ExtProductionEndpoints]; ok || len(servers) == 0 {
		return c.endpointExt(loc, ext, ExtProductionEndpoints)
	}
	at := strings.TrimSuffix(loc, "/") + "/servers"
	e := mgwEndpoint{}
	for i, s := range servers {
		u, err := serverURL(s)
		if err != nil {
			c.add(at+"/"+strconv.Itoa(i), "servers URL used as the production backend (no %s): %v", ExtProductionEndpoints, err)
			return nil
		}
		e.URLs = append(e.URLs, u)
	}
	before := len(c.problems)
	ep := c.endpoint(at, e)
	for i := before; i < len(c.problems); i++ {
		c.problems[i].Message = fmt.Sprintf("servers URL used as the production backend (no %s): %s", ExtProductionEndpoints, c.problems[i].Message)
	}
	return ep
}

// serversBasePath is the path of the first servers URL, or false when it has
// none (or only "/").
func (c *converter) serversBasePath(servers openapi3.Servers) (string, bool) {
	if len(servers) == 0 {
		return "", false
	}
	raw, err := serverURL(servers[0])
	if err != nil {
		return "", false
	}
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" || u.Path == "/" {
		return "", false
	}
	return u.Path, true
}

// serverURL substitutes the default values of a server's variables.
func serverURL(s *openapi3.Server) (string, error) {
	if s == nil {
		return "", fmt.Errorf("the server entry is empty")
	}
	var b strings.Builder
	rest := s.URL
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("URL %q has a { without }", s.URL)
		}
		name := rest[open+1 : open+end]
		v := s.Variables[name]
		if v == nil {
			return "", fmt.Errorf("URL %q uses the variable {%s} but declares no default for it", s.URL, name)
		}
		b.WriteString(rest[:open])
		b.WriteString(v.Default)
		rest = rest[open+end+1:]
	}
}
