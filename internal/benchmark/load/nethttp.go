package main

// netHTTPEnv makes the gateway-nethttp variant reach the backend through
// net/http's Transport instead of the gateway's own HTTP/1.1 client, to
// compare the two engines in one run.
func netHTTPEnv(*Env) []string {
	return []string{"MGW_BACKEND_ENGINE=net/http"}
}

// netHTTPServerEnv makes the gateway-nethttp-server variant serve clients
// with net/http's server instead of the gateway's own HTTP/1.1 server.
func netHTTPServerEnv(*Env) []string {
	return []string{"MGW_SERVER_ENGINE=net/http"}
}
