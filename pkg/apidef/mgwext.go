package apidef

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// mgwEndpoint is the MGW 3.x shape of x-wso2-production-endpoints,
// x-wso2-sandbox-endpoints and the entries of x-wso2-endpoints.
type mgwEndpoint struct {
	// URLs are the backends; for failover the primary comes first.
	URLs []string `json:"urls"`
	// Type is "load_balance" or "failover"; empty means one http URL (or
	// load_balance when there are several, as in MGW 3.x). "http" is read too.
	Type string `json:"type,omitempty"`
	// SecurityConfig holds the backend's basic-auth user name; the password
	// is set at deploy time and never written here.
	SecurityConfig *mgwEndpointSecurity `json:"securityConfig,omitempty"`
	// AdvanceEndpointConfig holds the backend timeout.
	AdvanceEndpointConfig *mgwAdvance `json:"advanceEndpointConfig,omitempty"`

	// ProxyConfig is an MGW 3.x field mgw does not support; it is decoded
	// only to report it.
	ProxyConfig json.RawMessage `json:"proxyConfig,omitempty"`
}

// mgwEndpointSecurity is an endpoint's securityConfig.
type mgwEndpointSecurity struct {
	Type     string `json:"type"`
	Username string `json:"username,omitempty"`

	// Password is decoded only to reject it: it must not be in a
	// definition.
	Password json.RawMessage `json:"password,omitempty"`
}

// mgwAdvance is an endpoint's advanceEndpointConfig.
type mgwAdvance struct {
	TimeoutInMillis *int64 `json:"timeoutInMillis,omitempty"`

	// RetryConfig and CircuitBreaker are MGW 3.x features mgw does not
	// support; they are decoded only to report them.
	RetryConfig    json.RawMessage `json:"retryConfig,omitempty"`
	CircuitBreaker json.RawMessage `json:"circuitBreaker,omitempty"`
}

// mgwCORS is the MGW 3.x shape of x-wso2-cors. mgw also reads
// access-control-expose-headers and access-control-max-age.
type mgwCORS struct {
	AllowOrigins     []string `json:"access-control-allow-origins,omitempty"`
	AllowHeaders     []string `json:"access-control-allow-headers,omitempty"`
	AllowMethods     []string `json:"access-control-allow-methods,omitempty"`
	AllowCredentials bool     `json:"access-control-allow-credentials,omitempty"`
	ExposeHeaders    []string `json:"access-control-expose-headers,omitempty"`
	MaxAgeSeconds    int      `json:"access-control-max-age,omitempty"`
}

// mgwAppSecurity is the MGW 3.x shape of x-wso2-application-security.
type mgwAppSecurity struct {
	SecurityTypes []string `json:"security-types"`
	Optional      bool     `json:"optional,omitempty"`
}

// decodeStrict decodes an extension value (already decoded as JSON-like Go
// values, or a typed value set in memory) into dst, refusing unknown fields.
// The error says which field is wrong.
func decodeStrict(v any, dst any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("cannot read the value: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return describeJSONError(err)
	}
	return nil
}

// describeJSONError rewrites encoding/json decoding errors for users.
func describeJSONError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return fmt.Errorf("expected %s, found a %s", jsonKind(te.Type.String()), te.Value)
		}
		return fmt.Errorf("field %s must be %s, found a %s", te.Field, jsonKind(te.Type.String()), te.Value)
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Errorf("unknown field %s; check the spelling", f)
	}
	return errors.New(strings.TrimPrefix(err.Error(), "json: "))
}

// jsonKind names a Go type the way a YAML author thinks of it.
func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "string":
		return "a string"
	case goType == "bool":
		return "true or false"
	case strings.Contains(goType, "int"):
		return "a whole number"
	case strings.HasPrefix(goType, "map"), strings.Contains(goType, "."):
		return "a mapping"
	}
	return goType
}

// decodeLoose is decodeStrict that ignores unknown fields.
func decodeLoose(v any, dst any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, dst)
}

// stringExt reads an optional string extension.
func stringExt(ext map[string]any, name string) (string, error) {
	v, ok := ext[name]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a string, found %s", name, describeValue(v))
	}
	return s, nil
}

// boolExt reads an optional boolean extension.
func boolExt(ext map[string]any, name string) (value, set bool, err error) {
	v, ok := ext[name]
	if !ok || v == nil {
		return false, false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, false, fmt.Errorf("%s must be true or false, found %s", name, describeValue(v))
	}
	return b, true, nil
}

// describeValue names the kind of a decoded value for messages.
func describeValue(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case nil:
		return "null"
	default:
		return "a number"
	}
}
