package gateway

import "fmt"

// ValidationConfig controls schema validation (fault 900915 for requests,
// 900916 for responses). Which operations are validated is written in the
// API definitions (x-wso2-request-validation); this section lets the
// operator force it off, or on for every operation.
type ValidationConfig struct {
	// Request is "auto" (default: validate the requests of operations
	// whose definition sets x-wso2-request-validation), "all" (every
	// operation, as MGW 3.x's enableRequestValidation) or "off"
	// (MGW_VALIDATION_REQUEST).
	Request string `yaml:"request"`
	// Response is "off" (default), "log" (log invalid JSON responses and
	// pass them on) or "reject" (replace them with 500, fault 900916),
	// for the operations Request selects (the marked ones under "off")
	// (MGW_VALIDATION_RESPONSE).
	Response string `yaml:"response"`
	// MaxResponseBytes bounds the response bodies held back to validate;
	// a larger one is passed on unvalidated and logged. 0 means the
	// server.max_body_bytes bound.
	MaxResponseBytes ByteSize `yaml:"max_response_bytes"`
}

// Values of ValidationConfig.Request and Response.
const (
	validateAuto   = "auto"
	validateAll    = "all"
	validateOff    = "off"
	validateLog    = "log"
	validateReject = "reject"
)

func defaultValidationConfig() ValidationConfig {
	return ValidationConfig{Request: validateAuto, Response: validateOff}
}

// validateValidation checks the validation section.
func (c *Config) validateValidation() []string {
	var out []string
	bad := func(path, format string, args ...any) {
		out = append(out, c.where(path)+": "+fmt.Sprintf(format, args...))
	}
	switch c.Validation.Request {
	case validateAuto, validateAll, validateOff:
	default:
		bad("validation.request", "%q is not allowed; use auto (as the API definitions say), all or off", c.Validation.Request)
	}
	switch c.Validation.Response {
	case validateOff, validateLog, validateReject:
	default:
		bad("validation.response", "%q is not allowed; use off, log or reject", c.Validation.Response)
	}
	if c.Validation.MaxResponseBytes < 0 {
		bad("validation.max_response_bytes", "must not be negative")
	}
	return out
}
