package intercept

import (
	"errors"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
)

func TestRequestReadBodyKeepsIt(t *testing.T) {
	req := NewRequest(nil)
	req.Body, req.ContentLength = io.NopCloser(strings.NewReader("hello")), -1
	b, err := req.ReadBody()
	if err != nil || string(b) != "hello" {
		t.Fatalf("ReadBody = %q, %v", b, err)
	}
	if req.ContentLength != 5 {
		t.Errorf("ContentLength %d after ReadBody", req.ContentLength)
	}
	again, _ := io.ReadAll(req.Body)
	if string(again) != "hello" {
		t.Errorf("body after ReadBody: %q", again)
	}
	req.SetBody(nil)
	if req.Body != http.NoBody || req.ContentLength != 0 {
		t.Errorf("empty SetBody: %v %d", req.Body, req.ContentLength)
	}
	if req.Context() == nil {
		t.Error("nil context")
	}
}

func TestResponseBody(t *testing.T) {
	res := &Response{Status: 200, Header: http.Header{"Content-Length": {"99"}}, Body: io.NopCloser(strings.NewReader(`{"a":1}`)), ContentLength: 99}
	b, err := res.ReadBody()
	if err != nil || string(b) != `{"a":1}` || res.ContentLength != 7 || res.Header.Get("Content-Length") != "7" {
		t.Fatalf("ReadBody = %q, %v; length %d, header %q", b, err, res.ContentLength, res.Header.Get("Content-Length"))
	}
	if err := res.SetJSON(map[string]int{"b": 2}); err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	if string(got) != `{"b":2}` || res.Header.Get("Content-Type") != "application/json" || res.Header.Get("Content-Length") != "7" {
		t.Errorf("SetJSON: %q %v", got, res.Header)
	}
	if err := res.SetJSON(math.Inf(1)); err == nil {
		t.Error("SetJSON(+Inf) did not fail")
	}
}

func TestResponseReadBodyLimit(t *testing.T) {
	res := &Response{Body: io.NopCloser(io.LimitReader(zeros{}, MaxResponseRead+1))}
	_, err := res.ReadBody()
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatalf("err = %v, want *http.MaxBytesError", err)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestAnswers(t *testing.T) {
	res := JSON(400, map[string]string{"error": "Missing required header"})
	b, _ := io.ReadAll(res.Body)
	if res.Status != 400 || string(b) != `{"error":"Missing required header"}` || res.Header.Get("Content-Type") != "application/json" {
		t.Errorf("JSON: %d %q %v", res.Status, b, res.Header)
	}
	res = JSON(200, func() {})
	if res.Status != 500 {
		t.Errorf("JSON of a func: status %d", res.Status)
	}
	res = Text(403, "no")
	if b, _ := io.ReadAll(res.Body); string(b) != "no" || res.ContentLength != 2 {
		t.Errorf("Text: %q %d", b, res.ContentLength)
	}
	a := Auth{Scopes: []string{"read", "write"}}
	if !a.HasScope("write") || a.HasScope("admin") {
		t.Error("HasScope")
	}
}
