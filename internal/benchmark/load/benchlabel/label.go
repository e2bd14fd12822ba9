// Package benchlabel is the load benchmark's synthetic label, shared by
// the programs that build or serve it.
package benchlabel

import (
	"fmt"
	"strconv"

	"github.com/mgwio/mgw/internal/workspace"
)

// benchPolicies are quotas the load never reaches: with throttling on
// (the gateway-throttle variant) each request is counted twice, by the
// API-level policy and, as security is off, by Unauthenticated per client
// IP; through the secured copy (gateway-secured) three times: the
// application's BenchApp, the subscription's BenchSub and the API's
// BenchAPI. The other variants turn throttling off.
const benchPolicies = `application:
  - name: BenchApp
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
subscription:
  - name: Unauthenticated
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
  - name: BenchSub
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
advanced:
  - name: BenchAPI
    limit: {type: requestCount, requestCount: 1000000000, unitTime: 1, timeUnit: min}
`

// Files are the workspace files of the benchmark label: the API with
// security off at basePath, and a secured copy at JWTBasePath.
func Files(basePath, backend string) workspace.LabelFiles {
	return workspace.LabelFiles{
		"apis/Bench-v1.yaml":    benchAPI("Bench", basePath, backend, false),
		"apis/BenchJWT-v1.yaml": benchAPI("BenchJWT", JWTBasePath, backend, true),
		workspace.PoliciesFile:  []byte(benchPolicies),
	}
}

// JWTBasePath is where the secured copy of the benchmark API is served
// (the gateway-jwt variant calls it with a JWT).
const JWTBasePath = "/bench-jwt/v1"

// benchAPI is the benchmark API: GET /size/{n} answers n bytes. Both
// carry the API-level tier the throttling variants enforce.
func benchAPI(title, basePath, backend string, secured bool) []byte {
	extra := "x-wso2-disable-security: true\nx-wso2-throttling-tier: BenchAPI\n"
	if secured {
		extra = "x-wso2-throttling-tier: BenchAPI\n"
	}
	return fmt.Appendf(nil, `openapi: 3.0.0
info:
  title: %s
  version: v1
x-wso2-basePath: %s
%sx-wso2-production-endpoints:
  urls:
    - %s
paths:
  /size/{n}:
    get:
      parameters:
        - {name: n, in: path, required: true, schema: {type: integer}}
      responses:
        '200': {description: n bytes}
`, title, strconv.Quote(basePath), extra, strconv.Quote(backend))
}
