package apim

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Scopes mgw asks for: apim:api_view for the Publisher API and
// apim:tier_view for the Admin API's throttling policies.
const (
	ScopeAPIView  = "apim:api_view"
	ScopeTierView = "apim:tier_view"
)

// DefaultScopes returns the scopes PasswordToken asks for when given none.
func DefaultScopes() []string { return []string{ScopeTierView, ScopeAPIView} }

// dcrClientName etc. are the registration the original Micro Gateway CLI
// makes; the API Manager reuses the application "<owner>_Micro Gateway Cli".
const (
	dcrCallbackURL = "https://wso2.org"
	dcrClientName  = "Micro Gateway Cli"
	dcrGrantType   = "password"
	dcrTokenScope  = "PRODUCTION"
)

// Register registers (or finds) mgw's OAuth client for username with the
// API Manager's dynamic client registration endpoint.
func (c *Client) Register(ctx context.Context, username, password string) (DCRResponse, error) {
	if username == "" {
		return DCRResponse{}, fmt.Errorf("no user name to register the mgw client with: pass --username or set MGW_USERNAME")
	}
	c.rememberSecrets(password)
	c.rememberBasic(username, password)
	body, err := json.Marshal(DCRRequest{
		CallbackURL: dcrCallbackURL,
		ClientName:  dcrClientName,
		Owner:       username,
		GrantType:   dcrGrantType,
		SaasApp:     true,
		TokenScope:  dcrTokenScope,
	})
	if err != nil {
		return DCRResponse{}, fmt.Errorf("encode the client registration: %w", err)
	}
	rq := request{
		kind:        kindDCR,
		op:          fmt.Sprintf("register the mgw client for user %q", username),
		method:      http.MethodPost,
		url:         c.dcr,
		body:        body,
		contentType: "application/json",
		basicUser:   username,
		basicPass:   password,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return DCRResponse{}, err
	}
	if resp.status != http.StatusOK && resp.status != http.StatusCreated {
		return DCRResponse{}, c.statusError(rq, resp)
	}
	var out DCRResponse
	if err := decodeObject(resp.body, "client registration", &out); err != nil {
		return DCRResponse{}, c.malformed(rq, resp, err)
	}
	if out.ClientID == "" || out.ClientSecret == "" {
		return DCRResponse{}, c.malformed(rq, resp, &DecodeError{What: "client registration", Problem: "clientId or clientSecret is missing"})
	}
	c.rememberSecrets(out.ClientSecret)
	return out, nil
}

// PasswordToken obtains an access token with the password grant. scopes
// nil means DefaultScopes. A token that lacks a requested scope is an
// ErrScope error naming the missing scopes.
func (c *Client) PasswordToken(ctx context.Context, clientID, clientSecret, username, password string, scopes []string) (TokenResponse, error) {
	c.rememberSecrets(clientSecret, password)
	c.rememberBasic(clientID, clientSecret)
	if clientID == "" || clientSecret == "" {
		return TokenResponse{}, fmt.Errorf("no OAuth client to obtain a token with: register the mgw client first")
	}
	if username == "" {
		return TokenResponse{}, fmt.Errorf("no user name to log in with: pass --username or set MGW_USERNAME")
	}
	if scopes == nil {
		scopes = DefaultScopes()
	}
	form := url.Values{
		"grant_type":   {"password"},
		"username":     {username},
		"password":     {password},
		"scope":        {strings.Join(scopes, " ")},
		"clientId":     {clientID},
		"clientSecret": {clientSecret},
	}
	rq := request{
		kind:        kindToken,
		op:          fmt.Sprintf("obtain an access token for user %q", username),
		method:      http.MethodPost,
		url:         c.token,
		body:        []byte(strings.ReplaceAll(form.Encode(), "+", "%20")),
		contentType: "application/x-www-form-urlencoded",
		basicUser:   clientID,
		basicPass:   clientSecret,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return TokenResponse{}, err
	}
	if resp.status != http.StatusOK {
		return TokenResponse{}, c.statusError(rq, resp)
	}
	var out TokenResponse
	if err := decodeObject(resp.body, "token response", &out); err != nil {
		return TokenResponse{}, c.malformed(rq, resp, err)
	}
	if out.AccessToken == "" {
		return TokenResponse{}, c.malformed(rq, resp, &DecodeError{What: "token response", Problem: "access_token is missing"})
	}
	c.rememberSecrets(out.AccessToken, out.RefreshToken)
	if missing := missingScopes(scopes, out.Scope); len(missing) > 0 {
		e := c.newError(rq, ErrScope, resp.attempts, nil)
		e.Status = resp.status
		e.Scopes = missing
		e.msg = fmt.Sprintf("user %q may not use scope%s %s on the API Manager at %s (the token grants only %q); log in as a user whose role grants %s (e.g. admin)",
			username, plural(len(missing)), strings.Join(missing, ", "), c.siteOf(rq.url), out.Scope, strings.Join(missing, " and "))
		return TokenResponse{}, e
	}
	return out, nil
}

// missingScopes returns the requested scopes absent from the granted,
// space-separated list.
func missingScopes(requested []string, granted string) []string {
	have := map[string]bool{}
	for _, s := range strings.Fields(granted) {
		have[s] = true
	}
	var missing []string
	for _, s := range requested {
		if s != "" && !have[s] {
			missing = append(missing, s)
		}
	}
	return missing
}
