package apimsim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/mgwio/mgw/pkg/apim"
)

// maxFormBody bounds registration and token request bodies.
const maxFormBody = 64 << 10

// client is a registered OAuth application.
type client struct {
	info apim.DCRResponse
}

// clientStore holds registered applications.
type clientStore struct {
	mu     sync.Mutex
	byName map[string]*client // owner + "\x00" + clientName
	byID   map[string]*client
}

func newClientStore() *clientStore {
	return &clientStore{byName: map[string]*client{}, byID: map[string]*client{}}
}

// register returns the application of owner and clientName, creating it with
// random credentials the first time.
func (s *clientStore) register(req apim.DCRRequest) apim.DCRResponse {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := req.Owner + "\x00" + req.ClientName
	if c, ok := s.byName[key]; ok {
		return c.info
	}
	name := req.Owner + "_" + req.ClientName
	meta, _ := encodeJSON(map[string]string{
		"grant_types":   req.GrantType,
		"redirect_uris": req.CallbackURL,
		"client_name":   name,
	})
	c := &client{info: apim.DCRResponse{
		ClientID:          randomKey(28),
		ClientName:        name,
		CallBackURL:       req.CallbackURL,
		ClientSecret:      randomKey(28),
		IsSaasApplication: apim.FlexBool(req.SaasApp),
		AppOwner:          req.Owner,
		JSONString:        string(meta),
	}}
	s.byName[key] = c
	s.byID[c.info.ClientID] = c
	return c.info
}

// authenticate reports whether id and secret are a registered client's.
func (s *clientStore) authenticate(id, secret string) bool {
	s.mu.Lock()
	c, ok := s.byID[id]
	s.mu.Unlock()
	return ok && subtle.ConstantTimeCompare([]byte(c.info.ClientSecret), []byte(secret)) == 1
}

// authenticateUser checks HTTP Basic user credentials against users.json.
func (s *Server) authenticateUser(r *http.Request) (user, bool) {
	name, password, ok := r.BasicAuth()
	if !ok {
		return user{}, false
	}
	u, ok := s.cat.users[name]
	if !ok || subtle.ConstantTimeCompare([]byte(u.Password), []byte(password)) != 1 {
		return user{}, false
	}
	return u, true
}

// handleRegister serves POST /client-registration/v0.14/register.
func (s *Server) handleRegister(w http.ResponseWriter, r *http.Request) {
	u, ok := s.authenticateUser(r)
	if !ok {
		// CXF answers the Basic interceptor's AuthenticationException with
		// an empty 401.
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBody+1))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, dcrError{Code: "invalid_client_metadata", Description: "cannot read the request body: " + err.Error()})
		return
	}
	if len(body) > maxFormBody {
		writeJSON(w, http.StatusBadRequest, dcrError{Code: "invalid_client_metadata", Description: fmt.Sprintf("the request body is larger than %d bytes", maxFormBody)})
		return
	}
	var req apim.DCRRequest
	if err := json.Unmarshal(body, &req); err != nil {
		writeJSON(w, http.StatusBadRequest, dcrError{Code: "invalid_client_metadata",
			Description: "the body is not a valid registration request (" + err.Error() + `); send JSON like {"callbackUrl":"https://wso2.org","clientName":"Micro Gateway Cli","owner":"admin","grantType":"password","saasApp":true,"tokenScope":"PRODUCTION"}`})
		return
	}
	switch {
	case req.ClientName == "":
		writeJSON(w, http.StatusBadRequest, dcrError{Code: "invalid_client_metadata", Description: "clientName is missing; set it to the application name, e.g. \"Micro Gateway Cli\""})
		return
	case req.GrantType == "":
		writeJSON(w, http.StatusBadRequest, dcrError{Code: "invalid_client_metadata", Description: "grantType is missing; set it to e.g. \"password\""})
		return
	case req.Owner != u.Username:
		writeBadRequest(w, fmt.Sprintf("Logged in user '%s' and application owner '%s' should be same.", u.Username, req.Owner))
		return
	}
	info := s.clients.register(req)
	if s.opts.Version != apim.V26 {
		writeJSON(w, http.StatusOK, dcrResultOf(info))
		return
	}
	writeJSON(w, http.StatusOK, info)
}

// dcrResult is DCR v0.17's DCRResult: every member a string, as its
// definition types them (isSaasApplication included).
type dcrResult struct {
	ClientID          string  `json:"clientId"`
	ClientName        string  `json:"clientName"`
	CallBackURL       string  `json:"callBackURL"`
	ClientSecret      string  `json:"clientSecret"`
	IsSaasApplication string  `json:"isSaasApplication"`
	AppOwner          string  `json:"appOwner"`
	JSONString        string  `json:"jsonString"`
	JSONAppAttribute  string  `json:"jsonAppAttribute"`
	TokenType         *string `json:"tokenType"`
}

func dcrResultOf(info apim.DCRResponse) dcrResult {
	saas := "false"
	if info.IsSaasApplication {
		saas = "true"
	}
	return dcrResult{ClientID: info.ClientID, ClientName: info.ClientName, CallBackURL: info.CallBackURL, ClientSecret: info.ClientSecret,
		IsSaasApplication: saas, AppOwner: info.AppOwner, JSONString: info.JSONString, JSONAppAttribute: "{}"}
}
