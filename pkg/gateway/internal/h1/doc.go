// Package h1 is a small HTTP/1.1 client for plain-HTTP backends and a
// small HTTP/1.1 server for plain-HTTP clients, both built for a reverse
// proxy's hot path.
//
// The client (Transport) runs each exchange on the caller's goroutine:
// the request is written and the response read through the connection's
// own buffers with no helper goroutines, which saves the hand-offs and
// allocations that dominate a reverse proxy's profile. A connection goes
// back to its pool only when the request was written in full, the
// response body was read to its end and both sides allow keep-alive;
// anything else closes it.
//
// The server (Server) serves an http.Handler on one goroutine per
// connection. It watches for a client that goes away only once a request
// has run for a while, holds a small response back to send it with a
// Content-Length, refuses ambiguous request framing (Content-Length with
// Transfer-Encoding, obsolete line folding) and never sniffs a
// Content-Type. The context of a request it serves lets the Transport
// hook cancellation without allocating.
package h1
