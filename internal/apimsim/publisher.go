package apimsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// apiList is the Publisher's APIList with the items already encoded.
type apiList struct {
	Count      int               `json:"count"`
	Next       string            `json:"next"`
	Previous   string            `json:"previous"`
	List       []json.RawMessage `json:"list"`
	Pagination apim.Pagination   `json:"pagination"`
}

// apiInfo is the Publisher's APIInfo, the list item without expand=true.
// Unset description and thumbnailUri are null, as on the real server.
type apiInfo struct {
	ID           string  `json:"id"`
	Name         string  `json:"name"`
	Description  *string `json:"description"`
	Context      string  `json:"context"`
	Version      string  `json:"version"`
	Provider     string  `json:"provider"`
	Status       string  `json:"status"`
	ThumbnailURI *string `json:"thumbnailUri"`
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// handleListAPIs serves GET /api/am/publisher/v0.14/apis.
func (s *Server) handleListAPIs(w http.ResponseWriter, r *http.Request) {
	lr, ok := parseListRequest(w, r)
	if !ok {
		return
	}
	params, offset, limit, query, terms := lr.params, lr.offset, lr.limit, lr.query, lr.terms
	expand := strings.EqualFold(params.Get("expand"), "true")

	label := strings.ToLower(labelOf(terms))
	if s.misbehave(w, r, label) {
		return
	}

	page, total := s.cat.page(terms, offset, limit)
	list := apiList{List: make([]json.RawMessage, 0, len(page)), Pagination: apim.Pagination{Offset: offset, Limit: limit, Total: total}}
	for _, e := range page {
		item := e.raw
		if !expand {
			a := &e.api
			var err error
			item, err = encodeJSON(apiInfo{ID: a.ID, Name: a.Name, Description: nullable(a.Description), Context: a.Context,
				Version: a.Version, Provider: a.Provider, Status: a.Status, ThumbnailURI: nullable(a.ThumbnailURI)})
			if err != nil {
				http.Error(w, "encode API: "+err.Error(), http.StatusInternalServerError)
				return
			}
		}
		list.List = append(list.List, item)
	}
	list.Count = len(list.List)
	list.Next, list.Previous = pageLinks(offset, limit, total, query)
	body, err := encodeJSON(list)
	if err != nil {
		http.Error(w, "encode list: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if label == labelBrokenJSON {
		// Cut the answer in the middle, as a broken transfer would.
		body = body[:len(body)/2]
	}
	writeRaw(w, http.StatusOK, body)
}

// handleGetAPI serves GET /api/am/publisher/v0.14/apis/{apiId}.
func (s *Server) handleGetAPI(w http.ResponseWriter, r *http.Request) {
	if e := s.findAPI(w, r.PathValue("apiId")); e != nil {
		writeRaw(w, http.StatusOK, e.raw)
	}
}

// handleGetSwagger serves GET /api/am/publisher/v0.14/apis/{apiId}/swagger.
func (s *Server) handleGetSwagger(w http.ResponseWriter, r *http.Request) {
	if e := s.findAPI(w, r.PathValue("apiId")); e != nil {
		writeRaw(w, http.StatusOK, []byte(e.api.APIDefinition))
	}
}

// findAPI looks an API up by UUID or by "provider-name-version", as the
// real server accepts both, and writes the error answer when there is none.
func (s *Server) findAPI(w http.ResponseWriter, id string) *apiEntry {
	if e, ok := s.cat.byID[id]; ok {
		return e
	}
	if !looksLikeUUID(id) {
		parts := strings.Split(id, "-")
		if len(parts) < 3 {
			writeBadRequest(w, fmt.Sprintf("Provided API identifier '%s' is invalid; use the API's UUID or provider-name-version", id))
			return nil
		}
		for _, e := range s.cat.apis {
			if e.api.Provider == parts[0] && e.api.Name == parts[1] && e.api.Version == parts[2] {
				return e
			}
		}
	}
	writeNotFound(w, fmt.Sprintf("Requested API with Id '%s' not found", id))
	return nil
}

// looksLikeUUID reports whether s has the 8-4-4-4-12 hex form of a UUID.
func looksLikeUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}
