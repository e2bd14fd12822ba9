package gateway

import (
	"net/http"
	"strconv"
	"strings"
)

// Fault is an error response the gateway writes itself, in the WSO2 form
// {"fault":{"code":N,"message":"…","description":"…"}}.
type Fault struct {
	// Code is the WSO2 error code.
	Code int
	// Status is the HTTP status sent with it.
	Status int
	// Message is the short, fixed text for the code.
	Message string
	// Description explains the fault; for authentication codes it is the
	// message, ". " and a detail, as the original builds it.
	Description string
}

// WSO2 security fault codes (Microgateway 2.6 api_security_constants.bal).
const (
	CodeAuthGeneral          = 900900
	CodeInvalidCredentials   = 900901
	CodeMissingCredentials   = 900902
	CodeTokenExpired         = 900903
	CodeTokenInactive        = 900904
	CodeIncorrectTokenType   = 900905
	CodeNoMatchingResource   = 900906
	CodeAPIBlocked           = 900907
	CodeResourceForbidden    = 900908
	CodeSubscriptionInactive = 900909
	CodeInvalidScope         = 900910
	CodeInvalidBasicAuth     = 900911
	CodeBasicAuthFormat      = 900912
)

// WSO2 throttling fault codes (api_throttle_out_constants.bal and 3.x).
const (
	CodeAPIThrottled          = 900800
	CodeResourceThrottled     = 900802
	CodeApplicationThrottled  = 900803
	CodeSubscriptionThrottled = 900804
	CodeBlocked               = 900805
	CodeCustomPolicyThrottled = 900806
	CodeThrottleInternal      = 900808
	CodePolicyNotFound        = 900809
)

// Backend fault codes (service.mustache), and the mgw-specific codes of
// the same 101xxx family for conditions the original did not detect.
const (
	CodeBackendUnreachable = 101503
	CodeBackendTimeout     = 101504
	CodeBackendBadURL      = 101505
	// CodeBadRequest: the request path is malformed or leaves the API.
	CodeBadRequest = 101400
	// CodeBodyTooLarge: the request body exceeds server.max_body_bytes.
	CodeBodyTooLarge = 101413
	// CodeBadBody: the client's request body is malformed (broken chunked
	// framing) or ended early; the backend never got a whole request.
	CodeBadBody = 101401
	// CodeInternal: an unexpected gateway error.
	CodeInternal = 101500
)

const (
	authGeneralMessage = "Unclassified Authentication Failure"
	throttledMessage   = "Message throttled out"
	quotaDescription   = "You have exceeded your quota"
	runtimeError       = "Runtime Error"
)

// authFault builds a security fault: the description is the message, ". "
// and detail (the original's getFailureMessageDetailDescription, which
// appends the general message when a code has no detail of its own).
func authFault(code, status int, msg, detail string) Fault {
	if detail == "" {
		detail = authGeneralMessage
	}
	return Fault{Code: code, Status: status, Message: msg, Description: msg + ". " + detail}
}

// faults is the one table of every fault the gateway and its middleware
// send; it is never modified. Status codes follow the original (900906 aside: no matching
// resource is 404, or 405 when only the method differs).
var faults = map[int]Fault{
	CodeAuthGeneral:          authFault(CodeAuthGeneral, 500, authGeneralMessage, ""),
	CodeInvalidCredentials:   authFault(CodeInvalidCredentials, 401, "Invalid Credentials", "Make sure you have given the correct access token"),
	CodeMissingCredentials:   authFault(CodeMissingCredentials, 401, "Missing Credentials", `Make sure your API invocation call has a header: "Authorization: Bearer ACCESS_TOKEN"`),
	CodeTokenExpired:         authFault(CodeTokenExpired, 401, "Access Token Expired", "Renew the access token and try again"),
	CodeTokenInactive:        authFault(CodeTokenInactive, 401, "Access Token Inactive", ""),
	CodeIncorrectTokenType:   authFault(CodeIncorrectTokenType, 401, "Incorrect Access Token Type is provided", ""),
	CodeNoMatchingResource:   authFault(CodeNoMatchingResource, 404, "No matching resource found in the API for the given request", "Check the API documentation and add a proper REST resource path to the invocation URL"),
	CodeAPIBlocked:           authFault(CodeAPIBlocked, 401, "The requested API is temporarily blocked", ""),
	CodeResourceForbidden:    authFault(CodeResourceForbidden, 403, "Resource forbidden ", ""),
	CodeSubscriptionInactive: authFault(CodeSubscriptionInactive, 401, "The subscription to the API is inactive", ""),
	CodeInvalidScope:         authFault(CodeInvalidScope, 403, "The access token does not allow you to access the requested resource", ""),
	CodeInvalidBasicAuth:     authFault(CodeInvalidBasicAuth, 401, "Invalid Credentials", "Make sure you have given the correct username and password"),
	CodeBasicAuthFormat:      authFault(CodeBasicAuthFormat, 401, "Invalid Format", `Make sure you have given the credentials in correct format with ":" character`),

	CodeAPIThrottled:          {CodeAPIThrottled, 429, throttledMessage, quotaDescription},
	CodeResourceThrottled:     {CodeResourceThrottled, 429, throttledMessage, quotaDescription},
	CodeApplicationThrottled:  {CodeApplicationThrottled, 429, throttledMessage, quotaDescription},
	CodeSubscriptionThrottled: {CodeSubscriptionThrottled, 429, throttledMessage, quotaDescription},
	CodeBlocked:               {CodeBlocked, 403, "Message blocked", "You have been blocked from accesing the resource"},
	CodeCustomPolicyThrottled: {CodeCustomPolicyThrottled, 429, throttledMessage, quotaDescription},
	CodeThrottleInternal:      {CodeThrottleInternal, 500, "Internal server error occured", "Internal server error occured"},
	CodePolicyNotFound:        {CodePolicyNotFound, 500, "Internal server error occured", "POLICY ENFORCEMENT ERROR"},

	CodeInvalidRequest:  {CodeInvalidRequest, 400, "Bad Request", "The request does not match the API's schema"},
	CodeInvalidResponse: {CodeInvalidResponse, 500, "Bad Response", "The backend's response does not match the API's schema"},

	CodeBackendUnreachable: {CodeBackendUnreachable, 502, runtimeError, "Error connecting to the back end"},
	CodeBackendTimeout:     {CodeBackendTimeout, 504, runtimeError, "Connection timed out"},
	CodeBackendBadURL:      {CodeBackendBadURL, 500, runtimeError, "Malformed URL"},
	CodeBadRequest:         {CodeBadRequest, 400, "Bad Request", "The request path is malformed or leaves the API"},
	CodeBodyTooLarge:       {CodeBodyTooLarge, 413, "Request Entity Too Large", "The request body exceeds the gateway's limit"},
	CodeBadBody:            {CodeBadBody, 400, "Bad Request", "The request body is malformed or incomplete"},
	CodeInternal:           {CodeInternal, 500, runtimeError, "Internal gateway error"},
}

// FaultFor returns the fault of a code; unknown codes yield the general
// authentication failure with that code.
func FaultFor(code int) Fault {
	if f, ok := faults[code]; ok {
		return f
	}
	f := faults[CodeAuthGeneral]
	f.Code = code
	return f
}

// WriteFault sends f as a JSON fault body. Descriptions are fixed strings
// from the table, or supplied by middleware; they are JSON-escaped.
func WriteFault(w http.ResponseWriter, f Fault) {
	h := w.Header()
	h["Content-Type"] = []string{"application/json"}
	h.Del("Content-Length")
	w.WriteHeader(f.Status)
	var b strings.Builder
	b.Grow(64 + len(f.Message) + len(f.Description))
	b.WriteString(`{"fault":{"code":`)
	b.WriteString(strconv.Itoa(f.Code))
	b.WriteString(`,"message":`)
	writeJSONString(&b, f.Message)
	b.WriteString(`,"description":`)
	writeJSONString(&b, f.Description)
	b.WriteString("}}")
	_, _ = w.Write([]byte(b.String()))
}

// writeJSONString writes s as a JSON string literal.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c == '<' || c == '>' || c == '&':
			b.WriteString(`\u00`)
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// writeMissingEndpoint sends the original's 403 body for a key type whose
// endpoint the API lacks; unlike other faults it is not in the fault form
// (service.mustache noSandAvailableError / noProdAvailableError).
func writeMissingEndpoint(w http.ResponseWriter, keyType string) {
	msg := "Sandbox key offered to the API with no sandbox endpoint"
	if keyType == KeyTypeProduction {
		msg = "Production key offered to the API with no production endpoint"
	}
	w.Header()["Content-Type"] = []string{"application/json"}
	w.WriteHeader(http.StatusForbidden)
	_, _ = w.Write([]byte(`{"ERROR_CODE":"900901","ERROR_MESSAGE":"` + msg + `"}`))
}
