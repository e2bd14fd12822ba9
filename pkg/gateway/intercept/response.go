package intercept

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
)

// MaxResponseRead is how much of a backend response Response.ReadBody
// reads at most (32 MiB); larger bodies can still be streamed through Body.
const MaxResponseRead = 32 << 20

// Response is the backend's response on its way to the client, or the
// answer a request interceptor gives instead of calling the backend.
type Response struct {
	// Status is the HTTP status code.
	Status int
	// Header holds the response headers. Hop-by-hop headers are not sent;
	// Content-Length follows the body when the body is replaced.
	Header http.Header
	// Body is the response body, streamed to the client after the
	// interceptor returned; ContentLength is its length, -1 when unknown.
	// Replace both, or use SetBody. Reading Body consumes it: ReadBody
	// reads it and puts the bytes back.
	Body          io.ReadCloser
	ContentLength int64
	// Request is the request as it was sent to the backend (nil on
	// answers a request interceptor builds).
	Request *Request
}

// NewResponse returns a response with status, a Content-Type and body.
func NewResponse(status int, contentType string, body []byte) *Response {
	res := &Response{Status: status, Header: http.Header{}}
	if contentType != "" {
		res.Header.Set("Content-Type", contentType)
	}
	res.SetBody(body)
	return res
}

// Text returns a text/plain response.
func Text(status int, text string) *Response {
	return NewResponse(status, "text/plain; charset=utf-8", []byte(text))
}

// JSON returns an application/json response with v encoded as JSON; a
// value that cannot be encoded gives a 500 response saying so.
func JSON(status int, v any) *Response {
	b, err := json.Marshal(v)
	if err != nil {
		return Text(http.StatusInternalServerError, "interceptor: cannot encode the JSON answer: "+err.Error())
	}
	return NewResponse(status, "application/json", b)
}

// ReadBody reads the whole body (at most MaxResponseRead bytes) and
// leaves an unread copy in its place, so the client still receives it.
func (r *Response) ReadBody() ([]byte, error) {
	b, err := readAll(r.Body, MaxResponseRead)
	if err != nil {
		return nil, err
	}
	r.SetBody(b)
	return b, nil
}

// SetBody replaces the body, its length and the Content-Length header.
func (r *Response) SetBody(b []byte) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	if r.Header == nil {
		r.Header = http.Header{}
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
	if len(b) == 0 {
		r.Body = http.NoBody
	}
	r.Header.Set("Content-Length", strconv.Itoa(len(b)))
}

// SetJSON replaces the body with v encoded as JSON and sets Content-Type.
func (r *Response) SetJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	r.SetBody(b)
	r.Header.Set("Content-Type", "application/json")
	return nil
}
