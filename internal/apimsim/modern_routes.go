package apimsim

import (
	"net/http"

	"github.com/mgwio/mgw/pkg/apim"
)

// modernRoute is one GET endpoint of Publisher or Admin v1 (3.x) or v4
// (4.x). Its path is written as in the real definition (the contract test
// checks that each one is there), below the API's base path.
type modernRoute struct {
	admin   bool   // under /api/am/admin/<v>, else /api/am/publisher/<v>
	path    string // e.g. /apis/{apiId}; a ServeMux pattern as well
	scope   string // the scope the bearer token needs
	handler http.HandlerFunc
}

// modernRoutes lists the Publisher and Admin endpoints the simulator serves
// for the selected version: the answers mgw setup reads.
func (s *Server) modernRoutes() []modernRoute {
	routes := []modernRoute{
		{path: "/apis", scope: scopeAPIView, handler: s.handleModernList},
		{path: "/apis/{apiId}", scope: scopeAPIView, handler: s.handleModernGet},
		{path: "/apis/{apiId}/swagger", scope: scopeAPIView, handler: s.handleModernSwagger},
	}
	blocking := "/throttling/blacklist"
	if s.opts.Version == apim.V4 {
		routes = append(routes, modernRoute{path: "/apis/{apiId}/deployments", scope: scopeAPIView, handler: s.handleDeployments})
		blocking = "/throttling/deny-policies" // 4.x renamed the resource
	}
	for _, level := range policyLevels {
		routes = append(routes, modernRoute{admin: true, path: "/throttling/policies/" + level, scope: scopeTierView, handler: s.modernPolicies(level)})
	}
	return append(routes,
		modernRoute{admin: true, path: "/throttling/policies/advanced/{policyId}", scope: scopeTierView, handler: s.handleModernAdvanced},
		modernRoute{admin: true, path: blocking, scope: scopeBlacklistView, handler: s.handleModernBlacklist},
	)
}

// modernBase returns the base path of the Publisher or Admin API of v.
func modernBase(v apim.Version, admin bool) string {
	if admin {
		return "/api/am/admin/" + v.RESTVersion()
	}
	return "/api/am/publisher/" + v.RESTVersion()
}

// routeModern registers DCR and the 3.x (v1) or 4.x (v4) endpoints.
func (s *Server) routeModern(mux *http.ServeMux) {
	mux.HandleFunc("POST /client-registration/"+s.opts.Version.DCRVersion()+"/register", s.handleRegister)
	for _, r := range s.modernRoutes() {
		mux.Handle("GET "+modernBase(s.opts.Version, r.admin)+r.path, s.requireScope(r.scope, r.handler))
	}
}
