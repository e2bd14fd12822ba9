package apimsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// modernState is what a Server serving 3.x or 4.x adds to the catalog: the
// policies in the v1/v4 shapes and the 4.x revisions.
type modernState struct {
	policies  map[string][]byte    // level -> list body
	advanced  map[string][]byte    // policyId -> one advanced policy
	revisions map[string]*apiEntry // 4.x revision UUID -> API
	blacklist []byte               // blocking conditions list body
}

// newModernState renders the catalog's policies for version v.
func newModernState(cat *catalog, v apim.Version) (*modernState, error) {
	m := &modernState{policies: map[string][]byte{}, advanced: map[string][]byte{}, revisions: map[string]*apiEntry{}}
	for _, level := range policyLevels {
		var list apim.ThrottlePolicyList
		if err := json.Unmarshal(cat.policies[level], &list); err != nil {
			return nil, fmt.Errorf("%s policies: %w", level, err)
		}
		out := struct {
			Count int                 `json:"count"`
			List  []apim.ModernPolicy `json:"list"`
		}{List: []apim.ModernPolicy{}}
		for _, p := range list.List {
			mp, err := modernPolicyOf(p, level, false, v)
			if err != nil {
				return nil, err
			}
			out.List = append(out.List, mp)
		}
		out.Count = len(out.List)
		body, err := encodeJSON(out)
		if err != nil {
			return nil, err
		}
		m.policies[level] = body
	}
	for id, raw := range cat.advanced {
		var p apim.ThrottlePolicy
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("advanced policy %s: %w", id, err)
		}
		mp, err := modernPolicyOf(p, levelAdvanced, true, v)
		if err != nil {
			return nil, err
		}
		if m.advanced[id], err = encodeJSON(mp); err != nil {
			return nil, err
		}
	}
	var err error
	if m.blacklist, err = modernBlacklist(cat.blacklist); err != nil {
		return nil, err
	}
	if v == apim.V4 {
		for _, e := range cat.apis {
			if len(environmentsOf(&e.api)) > 0 {
				m.revisions[revisionID(e.api.ID)] = e
			}
		}
	}
	return m, nil
}

// modernBlockingCondition is the v1/v4 BlockingCondition: the value is a
// JSON string (API, APPLICATION, USER) or object (IP, IPRANGE), and the
// condition has a status.
type modernBlockingCondition struct {
	ConditionID     string          `json:"conditionId"`
	ConditionType   string          `json:"conditionType"`
	ConditionValue  json.RawMessage `json:"conditionValue"`
	ConditionStatus bool            `json:"conditionStatus"`
}

// modernBlacklist renders the 2.6 list body (values are strings, IP ones
// JSON text) in the v1/v4 shape.
func modernBlacklist(body []byte) ([]byte, error) {
	var list apim.BlockingConditionList
	if err := json.Unmarshal(body, &list); err != nil {
		return nil, fmt.Errorf("blocking conditions: %w", err)
	}
	out := struct {
		Count int                       `json:"count"`
		List  []modernBlockingCondition `json:"list"`
	}{List: []modernBlockingCondition{}}
	for _, c := range list.List {
		value := json.RawMessage(c.ConditionValue)
		if v := strings.TrimSpace(c.ConditionValue); !strings.HasPrefix(v, "{") || !json.Valid([]byte(v)) {
			raw, err := json.Marshal(c.ConditionValue)
			if err != nil {
				return nil, err
			}
			value = raw
		}
		out.List = append(out.List, modernBlockingCondition{ConditionID: c.ConditionID, ConditionType: c.ConditionType, ConditionValue: value, ConditionStatus: true})
	}
	out.Count = len(out.List)
	return encodeJSON(out)
}

// handleModernBlacklist serves the blocking conditions of Admin v1
// (/throttling/blacklist) and v4 (/throttling/deny-policies).
func (s *Server) handleModernBlacklist(w http.ResponseWriter, r *http.Request) {
	writeRaw(w, http.StatusOK, s.modern.blacklist)
}

// handleModernList serves GET /apis of Publisher v1/v4: APIInfo items and
// the paging links inside pagination.
func (s *Server) handleModernList(w http.ResponseWriter, r *http.Request) {
	lr, ok := parseListRequest(w, r)
	if !ok {
		return
	}
	offset, limit, query, terms := lr.offset, lr.limit, lr.query, lr.terms
	label := strings.ToLower(labelOf(terms))
	if s.misbehave(w, r, label) {
		return
	}
	page, total := s.cat.page(terms, offset, limit)
	list := modernList{List: []modernAPIInfo{}, Pagination: apim.ModernPagination{Offset: offset, Limit: limit, Total: total}}
	for _, e := range page {
		list.List = append(list.List, infoOf(&e.api))
	}
	list.Count = len(list.List)
	list.Pagination.Next, list.Pagination.Previous = pageLinks(offset, limit, total, query)
	body, err := encodeJSON(list)
	if err != nil {
		http.Error(w, "encode list: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if label == labelBrokenJSON {
		body = body[:len(body)/2]
	}
	writeRaw(w, http.StatusOK, body)
}

// modernEntry finds an API, or a 4.x revision, by UUID.
func (s *Server) modernEntry(w http.ResponseWriter, id string) (*apiEntry, string) {
	if e, ok := s.modern.revisions[id]; ok {
		return e, id
	}
	if e, ok := s.cat.byID[id]; ok {
		return e, ""
	}
	writeNotFound(w, fmt.Sprintf("Requested API with Id '%s' not found", id))
	return nil, ""
}

// handleModernGet serves GET /apis/{apiId}: an API or a 4.x revision.
func (s *Server) handleModernGet(w http.ResponseWriter, r *http.Request) {
	e, rev := s.modernEntry(w, r.PathValue("apiId"))
	if e == nil {
		return
	}
	body, err := modernOf(&e.api, s.opts.Version, rev)
	if err != nil {
		http.Error(w, "encode API: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, http.StatusOK, body)
}

// handleModernSwagger serves GET /apis/{apiId}/swagger.
func (s *Server) handleModernSwagger(w http.ResponseWriter, r *http.Request) {
	if e, _ := s.modernEntry(w, r.PathValue("apiId")); e != nil {
		writeRaw(w, http.StatusOK, []byte(e.api.APIDefinition))
	}
}

// handleDeployments serves GET /apis/{apiId}/deployments (4.x): the
// APIRevisionDeploymentList of an API, one entry per gateway environment
// its revision is deployed to.
func (s *Server) handleDeployments(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("apiId")
	e, ok := s.cat.byID[id]
	if !ok {
		writeNotFound(w, fmt.Sprintf("Requested API with Id '%s' not found", id))
		return
	}
	// APIRevisionDeploymentList has a list and, unlike most lists, no count.
	list := struct {
		List []deployment `json:"list"`
	}{List: []deployment{}}
	for _, env := range environmentsOf(&e.api) {
		list.List = append(list.List, deployment{RevisionUUID: revisionID(e.api.ID), Name: env, VHost: "localhost", DisplayOnDevportal: true})
	}
	writeJSON(w, http.StatusOK, list)
}

// modernPolicies serves GET /throttling/policies/<level> of Admin v1/v4:
// every policy of one level (application, subscription or advanced).
func (s *Server) modernPolicies(level string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		writeRaw(w, http.StatusOK, s.modern.policies[level])
	}
}

// handleModernAdvanced serves GET /throttling/policies/advanced/{policyId}
// of Admin v1/v4.
func (s *Server) handleModernAdvanced(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("policyId")
	body, ok := s.modern.advanced[id]
	if !ok {
		writeNotFound(w, fmt.Sprintf("Requested Advanced Throttling Policy with Id '%s' not found", id))
		return
	}
	writeRaw(w, http.StatusOK, body)
}
