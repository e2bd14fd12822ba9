package gateway

import (
	"errors"
	"net/http"
	"strings"
)

// SchemaValidator validates JSON texts against an API's compiled schemas
// the way the gateway does. It is for tests and tools (mgw's conformance
// suite compares it with kin-openapi); it is not safe for concurrent use.
type SchemaValidator struct {
	set *schemaSet
	v   jsonValidator
}

// NewSchemaValidator compiles schemas (an API's Schemas).
func NewSchemaValidator(schemas []Schema) (*SchemaValidator, error) {
	set, problems := compileSchemas(schemas)
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	return &SchemaValidator{set: set}, nil
}

// ValidationError says why a JSON text failed: the JSON pointer of the
// value ("" when the text is not JSON) and the rule it broke.
type ValidationError struct {
	Pointer string
	Reason  string
}

// Error implements error.
func (e *ValidationError) Error() string {
	if e.Pointer == "" {
		return e.Reason
	}
	return e.Pointer + ": " + e.Reason
}

// ValidateJSON checks data against schema (1-based, 0 for any JSON).
func (s *SchemaValidator) ValidateJSON(schema int, data []byte) error {
	if reason := s.v.validate(s.set, schema-1, data); reason != "" {
		return &ValidationError{Pointer: s.v.where, Reason: reason}
	}
	return nil
}

// RequestValidator checks one operation's request parameters the way the
// gateway does. It is for tests and tools (mgw's parameter conformance
// suite compares it with kin-openapi's openapi3filter); it is not safe
// for concurrent use.
type RequestValidator struct {
	o  *opValidator
	st validationState
}

// NewRequestValidator compiles the parameters of an API's resource
// (res is one of api.Resources).
func NewRequestValidator(api *API, res *Resource) (*RequestValidator, error) {
	if ps := schemaProblems(api); len(ps) > 0 {
		return nil, errors.New(strings.Join(ps, "; "))
	}
	set, _ := compileSchemas(api.Schemas)
	o := &opValidator{set: set, request: true, bodyJSON: -1}
	if res.Validation != nil {
		o.params = newParamChecks(set, res.Validation.Params, res.Path)
	}
	return &RequestValidator{o: o}, nil
}

// CheckParams validates r's parameters; backendPath is the request path
// without the API's base path. The error's text is the description the
// gateway would send with fault 900915.
func (v *RequestValidator) CheckParams(r *http.Request, backendPath string) error {
	if msg := v.o.checkParams(&v.st, r, backendPath); msg != "" {
		return errors.New(msg)
	}
	return nil
}
