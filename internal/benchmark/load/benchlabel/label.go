// Package benchlabel is the load benchmark's synthetic label, shared by
// the programs that build or serve it.
package benchlabel

import (
	"fmt"
	"strconv"
	"strings"

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
// security off at basePath, a secured copy at JWTBasePath and a validated
// one at ValidBasePath.
func Files(basePath, backend string) workspace.LabelFiles {
	return workspace.LabelFiles{
		"apis/Bench-v1.yaml":      benchAPI("Bench", basePath, backend, false),
		"apis/BenchJWT-v1.yaml":   benchAPI("BenchJWT", JWTBasePath, backend, true),
		"apis/BenchValid-v1.yaml": validatedAPI(backend),
		workspace.PoliciesFile:    []byte(benchPolicies),
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

// ValidBasePath is where the validated copy of the benchmark API is
// served (the gateway-validation variant POSTs OrderBody to it).
const ValidBasePath = "/bench-valid/v1"

// validatedAPI is the benchmark API with request validation: POST
// /size/{n} takes a 20-property order (the schema of pkg/gateway's
// BenchmarkRequestValidation), security and throttling off.
func validatedAPI(backend string) []byte {
	return fmt.Appendf(nil, `openapi: 3.0.3
info:
  title: BenchValid
  version: v1
x-wso2-basePath: %s
x-wso2-disable-security: true
x-wso2-request-validation: true
x-wso2-production-endpoints:
  urls:
    - %s
paths:
  /size/{n}:
    post:
      parameters:
        - {name: n, in: path, required: true, schema: {type: integer, minimum: 0}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Order"}
      responses:
        '200': {description: n bytes}
components:
  schemas:
    Str: {type: string, maxLength: 64}
    Text: {type: string, maxLength: 4096}
    Price: {type: number, minimum: 0}
    Stamp: {type: string, format: date-time}
    Flag: {type: boolean}
    Order:
      type: object
      additionalProperties: false
      required: [id, code, quantity, price, status]
      properties:
        address:
          type: object
          required: [street, city]
          properties:
            city: {$ref: "#/components/schemas/Str"}
            street: {$ref: "#/components/schemas/Str"}
            zip: {$ref: "#/components/schemas/Str"}
        code: {type: string, pattern: "^[A-Z]{3}-[0-9]{4}$"}
        comment: {$ref: "#/components/schemas/Text"}
        country: {$ref: "#/components/schemas/Str"}
        created: {$ref: "#/components/schemas/Stamp"}
        currency: {$ref: "#/components/schemas/Str"}
        customer: {$ref: "#/components/schemas/Str"}
        discount: {$ref: "#/components/schemas/Price"}
        email: {type: string, format: email}
        gift: {$ref: "#/components/schemas/Flag"}
        id: {type: integer, format: int64, minimum: 1}
        note: {$ref: "#/components/schemas/Text"}
        paid: {$ref: "#/components/schemas/Flag"}
        price: {$ref: "#/components/schemas/Price"}
        quantity: {type: integer, format: int32, minimum: 0, maximum: 1000}
        ref: {type: string, format: uuid}
        shipped: {$ref: "#/components/schemas/Stamp"}
        status: {type: string, enum: [placed, approved, delivered]}
        tags: {type: array, maxItems: 10, items: {$ref: "#/components/schemas/Str"}}
        total: {$ref: "#/components/schemas/Price"}
`, strconv.Quote(ValidBasePath), strconv.Quote(backend))
}

// OrderBody is a valid order of exactly 1 KiB for the validated API.
func OrderBody() []byte {
	head := `{"id":123456789,"code":"ABC-1234","quantity":12,"price":19.99,"total":239.88,"discount":0,` +
		`"status":"approved","email":"jane.doe@example.com","ref":"123e4567-e89b-12d3-a456-426614174000",` +
		`"created":"2024-05-01T10:20:30.123Z","shipped":"2024-05-02T08:00:00+02:00","gift":false,"paid":true,` +
		`"currency":"EUR","country":"Netherlands","customer":"Jane Doe",` +
		`"address":{"street":"Keizersgracht 123","city":"Amsterdam","zip":"1015 CJ"},` +
		`"tags":["priority","fragile","gift-wrap","express","insured"],` +
		`"comment":"Please deliver between nine and five on weekdays only",`
	const tail = `"note":""}`
	return []byte(head + `"note":"` + strings.Repeat("n", 1024-len(head)-len(tail)) + `"}`)
}
