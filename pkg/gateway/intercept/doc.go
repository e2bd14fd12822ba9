// Package intercept is the interface between a gateway and the request and
// response interceptors its users write in Go: the successor of MGW 3.x's
// Ballerina interceptors (x-wso2-request-interceptor and
// x-wso2-response-interceptor).
//
// Interceptors live in the workspace, in interceptors/ (shared by every
// label) or labels/<label>/interceptors/, as files of one package named
// interceptors. They may import the standard library and this package only.
// An OpenAPI definition names a function of that package:
//
//	x-wso2-request-interceptor: validateRequest
//	x-wso2-response-interceptor: validateResponse
//
// A request interceptor is a RequestFunc, a response interceptor a
// ResponseFunc:
//
//	func validateRequest(req *intercept.Request) *intercept.Response {
//		if req.Header.Get("X-API-Key") == "" {
//			return intercept.JSON(400, map[string]string{"error": "Missing required header"})
//		}
//		req.Header.Set("X-Checked-By", "mgw")
//		return nil // continue to the backend
//	}
//
//	func validateResponse(res *intercept.Response) {
//		res.Header.Set("X-Intercepted", "true")
//	}
//
// The request interceptor runs after authentication and throttling, just
// before the request goes to the backend; returning a non-nil Response
// answers the client without calling the backend (the response interceptor
// does not run then). The response interceptor runs when the backend's
// answer arrived, before anything is sent to the client. A panic in either
// is answered with a 500 fault and logged with its stack; the gateway goes
// on serving. Interceptors run concurrently for concurrent requests: shared
// state needs its own locking.
//
// req.Auth describes the authenticated caller; Auth.Claims, Claim and
// ClaimString give the claims of the caller's verified JWT (access token
// or API key), decoded only when asked.
package intercept

// Set is the interceptors a gateway was built with, by the names OpenAPI
// definitions use. mgw generates it; programs that embed the gateway may
// fill it by hand.
type Set struct {
	Request  map[string]RequestFunc
	Response map[string]ResponseFunc
}

// RequestFunc intercepts a request before it goes to the backend. It may
// change the headers, the query and the body of req. A nil result sends the
// request on; a non-nil Response is the answer to the client.
type RequestFunc func(req *Request) *Response

// ResponseFunc intercepts the backend's response before it goes to the
// client. It may change the status, the headers and the body of res;
// res.Request is the request as it was sent to the backend.
type ResponseFunc func(res *Response)
