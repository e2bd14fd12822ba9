package gateway

import (
	"errors"
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
