// Package apidef reads, writes and checks API definitions: the OpenAPI 3
// documents with MGW 3.x x-wso2-* extensions that the workspace keeps under
// labels/<label>/apis/.
//
// The flow is:
//
//	apim.API ──FromPublisher──► *openapi3.T ──Marshal──► YAML file
//	YAML/JSON file ──Load──► *openapi3.T ──ToAPI──► gateway.API
//
// FromPublisher turns an API Manager 2.6 API DTO (Swagger 2 definition,
// endpointConfig, CORS, …) into one OpenAPI 3 document that carries every
// setting the gateway needs as an extension, so the workspace file is the
// single source for mgw build. Load reads a workspace file or a file a user
// imports (OpenAPI 3.0/3.1 or Swagger 2, YAML or JSON) and validates it.
// ToAPI derives the runtime model and reports every problem it finds.
//
// Extensions read (MGW 3.x names unless noted):
//
//	x-wso2-basePath                 API   path the API is served at ({version} is replaced)
//	x-wso2-production-endpoints     API, operation  {urls, type, securityConfig, advanceEndpointConfig} or "#/x-wso2-endpoints/<name>"
//	x-wso2-sandbox-endpoints        API, operation  same shape
//	x-wso2-endpoints                API   list of {<name>: endpoint}
//	x-wso2-throttling-tier          API, operation  policy name (x-throttling-tier is read too)
//	x-wso2-cors                     API   {access-control-allow-origins, -headers, -methods, -credentials}
//	                                      (mgw also reads access-control-expose-headers and access-control-max-age)
//	x-wso2-disable-security         API, operation  true turns authentication off
//	x-wso2-auth-header              API   header carrying the credentials
//	x-wso2-application-security     API   {security-types: [oauth2, basic_auth, api_key], optional: true|false}
//	                                      (optional: a request without credentials passes as anonymous)
//	x-wso2-owner                    API   provider of the API
//	x-wso2-transports               API   [http, https]
//	x-wso2-context                  API   (mgw) context without the version
//	x-wso2-default-version          API   (mgw) true: the API also answers at x-wso2-context
//	x-wso2-api-id                   API   (mgw) API Manager id, informational
//	x-wso2-security                 API   (API Manager 2.x) scope catalogue, informational
//	x-wso2-subscription-tiers       API   (mgw) the API's subscription tiers (API Manager "tiers");
//	                                      mgw build needs each among the label's subscription policies
//	x-auth-type, x-scope            operation (API Manager 2.x) "None" disables security; required scope
//
// As in MGW 3.1+, a definition without x-wso2-basePath is served at the path
// of its first servers URL, and without x-wso2-production-endpoints its
// servers URLs are the production backends. Scopes come from security
// requirements on declared oauth2/openIdConnect schemes (and x-scope).
//
// MGW 3.x features mgw does not implement (Ballerina interceptors, mutual
// TLS, response caching, retries, circuit breakers, proxies) are reported as
// problems that name the feature, never silently dropped.
package apidef
