package keymanager

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
)

// Client calls the key manager over HTTP.
type Client struct {
	// SOAPURL is {serverUrl}/services/APIKeyValidationService.
	SOAPURL string
	// IntrospectURL is the RFC 7662 endpoint.
	IntrospectURL string
	// Username and Password authenticate the gateway (HTTP basic).
	Username string
	Password string
	// HTTP is the client used; its timeout bounds a call.
	HTTP *http.Client
}

// ErrUnavailable wraps failures to get an answer from the key manager.
var ErrUnavailable = errors.New("key manager unavailable")

// ValidateKey makes the original's validateKey SOAP call.
func (c *Client) ValidateKey(ctx context.Context, r Request) (*Info, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.SOAPURL, bytes.NewReader(ValidateKeyBody(r)))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("SOAPAction", "urn:validateKey")
	req.SetBasicAuth(c.Username, c.Password)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusInternalServerError {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
		return nil, fmt.Errorf("%w: %s answered %s", ErrUnavailable, c.SOAPURL, resp.Status)
	}
	info, err := DecodeValidateKey(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return info, nil
}

// Introspect asks the RFC 7662 endpoint about token and converts the
// answer to an Info (scopes are left for the caller to check).
func (c *Client) Introspect(ctx context.Context, token string) (*Info, error) {
	form := url.Values{"token": {token}, "token_type_hint": {"access_token"}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.IntrospectURL, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(c.Username, c.Password)
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, redactErr(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponseBytes))
		return nil, fmt.Errorf("%w: %s answered %s", ErrUnavailable, c.IntrospectURL, resp.Status)
	}
	in, err := DecodeIntrospection(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return in.Info(), nil
}

// Info converts an introspection answer: inactive tokens are not
// authorized (900901); times become the original's milliseconds.
func (in *Introspection) Info() *Info {
	info := &Info{
		Authorized:      in.Active,
		ConsumerKey:     in.ClientID,
		EndUserName:     in.Username,
		Scopes:          strings.Fields(in.Scope),
		Type:            "PRODUCTION",
		Tier:            "Unauthenticated",
		ApplicationID:   in.ClientID,
		ApplicationName: in.ClientID,
		ValidityPeriod:  math.MaxInt64,
	}
	if !in.Active {
		info.ValidationStatus = 900901
	}
	if in.Exp > 0 && in.Exp < math.MaxInt64/1000 {
		info.IssuedTime = 0
		info.ValidityPeriod = in.Exp * 1000
	}
	return info
}

// redactErr drops the URL an *url.Error repeats (it could hold a token
// in a query) and keeps the cause.
func redactErr(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
