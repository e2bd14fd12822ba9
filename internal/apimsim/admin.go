package apimsim

import (
	"fmt"
	"net/http"
	"strings"
)

// handlePolicies serves GET /api/am/admin/v0.14/throttling/policies/{level}.
func (s *Server) handlePolicies(w http.ResponseWriter, r *http.Request) {
	level := r.PathValue("level")
	body, ok := s.cat.policies[level]
	if !ok {
		writeNotFound(w, fmt.Sprintf("Throttling policy level '%s' does not exist; use one of %s", level, strings.Join(policyLevels, ", ")))
		return
	}
	writeRaw(w, http.StatusOK, body)
}

// handleAdvancedPolicy serves GET
// /api/am/admin/v0.14/throttling/policies/advanced/{policyId}: one advanced
// policy with its conditional groups.
func (s *Server) handleAdvancedPolicy(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("policyId")
	body, ok := s.cat.advanced[id]
	if !ok {
		writeNotFound(w, fmt.Sprintf("Requested Advanced Throttling Policy with Id '%s' not found", id))
		return
	}
	writeRaw(w, http.StatusOK, body)
}
