package apim

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every error the Client returns matches exactly one of them
// with errors.Is, and is a *RequestError (errors.As) carrying the details.
// The messages are meant for the people running mgw: they say what went
// wrong and what to do about it.
var (
	// ErrUnreachable: the API Manager could not be reached (connection
	// refused, unknown host, connection dropped on every attempt).
	ErrUnreachable = errors.New("cannot reach the API Manager")
	// ErrTLS: the TLS handshake failed, usually because the server's
	// certificate is not trusted.
	ErrTLS = errors.New("the API Manager's TLS certificate is not trusted")
	// ErrCredentials: the user name/password, the client registration or
	// the access token was rejected.
	ErrCredentials = errors.New("invalid user credentials or the user does not have required permissions")
	// ErrScope: the access token lacks a scope the call needs.
	ErrScope = errors.New("the access token lacks a required scope")
	// ErrNotFound: the API Manager has no such resource, or a search found
	// nothing.
	ErrNotFound = errors.New("not found on the API Manager")
	// ErrMalformed: an answer could not be decoded.
	ErrMalformed = errors.New("malformed answer from the API Manager")
	// ErrTimeout: the API Manager did not answer in time.
	ErrTimeout = errors.New("the API Manager did not answer in time")
	// ErrServer: the API Manager kept failing with 5xx after all retries.
	ErrServer = errors.New("the API Manager failed")
	// ErrRejected: the API Manager refused the request for another reason
	// (an unexpected 4xx or 3xx status).
	ErrRejected = errors.New("the API Manager rejected the request")
)

// RequestError describes a failed call to the API Manager. It never holds
// passwords, client secrets or tokens.
type RequestError struct {
	// Kind is one of the Err* values of this package.
	Kind error
	// Op says what mgw was doing, e.g. `list the APIs of label "internal"`.
	Op string
	// Method and URL identify the request (the URL holds no secrets).
	Method string
	URL    string
	// Status is the HTTP status of the last answer, 0 if there was none.
	Status int
	// ServerMessage is the error text the server sent, if any.
	ServerMessage string
	// Scopes are the missing scopes (ErrScope only).
	Scopes []string
	// Attempts is how many times the request was sent.
	Attempts int

	msg   string
	cause error
}

// Error returns the full, user-facing message.
func (e *RequestError) Error() string { return e.msg }

// Unwrap exposes the error kind and the underlying cause to errors.Is and
// errors.As.
func (e *RequestError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.cause}
}

// DecodeError reports a payload that could not be decoded. It matches
// ErrMalformed with errors.Is.
type DecodeError struct {
	// What names the payload, e.g. "API list" or `API "Pizza" 1.0.0`.
	What string
	// Line and Column locate the problem in the payload (1-based; 0 if
	// unknown).
	Line, Column int
	// Problem is the description of what is wrong.
	Problem string

	offset int64 // byte offset of the problem in the decoded text, -1 if unknown
}

// Error returns "malformed <what>: <problem> (line L, column C)".
func (e *DecodeError) Error() string {
	var b strings.Builder
	b.WriteString("malformed ")
	b.WriteString(e.What)
	b.WriteString(": ")
	b.WriteString(e.Problem)
	if e.Line > 0 {
		fmt.Fprintf(&b, " (line %d, column %d)", e.Line, e.Column)
	}
	return b.String()
}

// Unwrap makes errors.Is(err, ErrMalformed) true.
func (e *DecodeError) Unwrap() error { return ErrMalformed }
