package main

import "path/filepath"

// analyticsEnv turns usage analytics on for the gateway-analytics variant:
// one event per request written to a file in the variant's folder, rotated
// as by default, without uploads (the cost measured is the request path,
// the queue and the writer).
func analyticsEnv(env *Env) []string {
	return []string{
		"MGW_ANALYTICS_ENABLED=true",
		"MGW_ANALYTICS_DIR=" + filepath.Join(env.Dir, "api-usage-data"),
		"MGW_ANALYTICS_UPLOAD=false",
	}
}
