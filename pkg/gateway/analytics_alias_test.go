package gateway

import (
	"strings"
	"testing"
	"unsafe"
)

// TestLastStringCopies: a value from a request is copied, so a queued
// usage event does not keep the request's header block alive, and a value
// that repeats is copied once.
func TestLastStringCopies(t *testing.T) {
	block := "GET /x HTTP/1.1\r\nHost: gw.example.com\r\nAuthorization: Bearer " + strings.Repeat("t", 900) + "\r\n"
	host := block[strings.Index(block, "gw."):strings.Index(block, "\r\nAuth")]
	var l lastString
	a := l.of(host)
	if a != host {
		t.Fatalf("of(%q) = %q", host, a)
	}
	start := uintptr(unsafe.Pointer(unsafe.StringData(block)))
	if p := uintptr(unsafe.Pointer(unsafe.StringData(a))); p >= start && p < start+uintptr(len(block)) {
		t.Error("the copy still points into the request's header block")
	}
	again := strings.Clone(host)
	if b := l.of(again); unsafe.StringData(b) != unsafe.StringData(a) {
		t.Error("a repeated value was copied again")
	}
	if c := l.of("other"); c != "other" || l.of("other") != c {
		t.Errorf("a new value: %q", c)
	}
}
