package main

// throttleEnv turns throttling on for the gateway-throttle variant: every
// request is counted in memory against the label's API-level policy and
// the Unauthenticated policy (see gwbuild's benchPolicies), never reaching
// the quotas.
func throttleEnv(*Env) []string {
	return []string{"MGW_THROTTLING_ENABLED=true"}
}
