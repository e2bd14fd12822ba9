package apimsim

import (
	"net/http"
	"strconv"

	"github.com/mgwio/mgw/pkg/apim"
)

// restError is the Publisher and Admin REST APIs' Error body
// (#/definitions/Error) with every field present, as the real server
// serializes its ErrorDTO.
type restError struct {
	Code        int64                `json:"code"`
	Message     string               `json:"message"`
	Description string               `json:"description"`
	MoreInfo    string               `json:"moreInfo"`
	Error       []apim.ErrorListItem `json:"error"`
}

// dcrError is the registration endpoint's fault body.
type dcrError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := encodeJSON(v)
	if err != nil {
		http.Error(w, "encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, body)
}

// writeRaw writes a JSON body that is already encoded.
func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeRESTError writes an Error body with the HTTP status as its code.
func writeRESTError(w http.ResponseWriter, status int, message, description string) {
	writeJSON(w, status, restError{Code: int64(status), Message: message, Description: description, Error: []apim.ErrorListItem{}})
}

// writeUnauthenticated writes the REST APIs' answer to a request without a
// valid token with the needed scope.
func writeUnauthenticated(w http.ResponseWriter) {
	writeRESTError(w, http.StatusUnauthorized, "", "Unauthenticated request")
}

// writeBadRequest writes a 400 Error body.
func writeBadRequest(w http.ResponseWriter, description string) {
	writeRESTError(w, http.StatusBadRequest, "Bad Request", description)
}

// writeNotFound writes a 404 Error body.
func writeNotFound(w http.ResponseWriter, description string) {
	writeRESTError(w, http.StatusNotFound, "Not Found", description)
}
