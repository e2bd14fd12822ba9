// Package h1 is a small HTTP/1.1 client for plain-HTTP backends. Unlike
// net/http's Transport it runs each exchange on the caller's goroutine:
// the request is written and the response read through the connection's
// own buffers with no helper goroutines, which saves the hand-offs and
// allocations that dominate a reverse proxy's profile.
//
// A connection goes back to its pool only when the request was written in
// full, the response body was read to its end and both sides allow
// keep-alive; anything else closes it.
package h1
