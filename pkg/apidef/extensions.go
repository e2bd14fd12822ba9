package apidef

// Names of the vendor extensions this package reads and writes.
const (
	ExtBasePath            = "x-wso2-basePath"
	ExtProductionEndpoints = "x-wso2-production-endpoints"
	ExtSandboxEndpoints    = "x-wso2-sandbox-endpoints"
	ExtEndpoints           = "x-wso2-endpoints"
	ExtThrottlingTier      = "x-wso2-throttling-tier"
	ExtCORS                = "x-wso2-cors"
	ExtDisableSecurity     = "x-wso2-disable-security"
	ExtAuthHeader          = "x-wso2-auth-header"
	ExtApplicationSecurity = "x-wso2-application-security"
	ExtOwner               = "x-wso2-owner"
	ExtTransports          = "x-wso2-transports"
	ExtContext             = "x-wso2-context"
	ExtDefaultVersion      = "x-wso2-default-version"
	ExtAPIID               = "x-wso2-api-id"
	ExtAPIMSecurity        = "x-wso2-security"
	ExtSubscriptionTiers   = "x-wso2-subscription-tiers"
	// ExtRequestValidation asks the gateway to validate requests against
	// the schemas, for the whole API or one operation.
	ExtRequestValidation = "x-wso2-request-validation"

	// ExtRequestInterceptor and ExtResponseInterceptor name Go functions
	// of the workspace's interceptors package.
	ExtRequestInterceptor  = "x-wso2-request-interceptor"
	ExtResponseInterceptor = "x-wso2-response-interceptor"

	ExtMutualSSL     = "x-wso2-mutual-ssl"
	ExtResponseCache = "x-wso2-response-cache"

	// API Manager 2.x per-operation extensions.
	ExtAPIMThrottlingTier = "x-throttling-tier"
	ExtAPIMAuthType       = "x-auth-type"
	ExtAPIMScope          = "x-scope"
)

// EndpointRefPrefix starts a reference from an endpoint extension to an
// entry of x-wso2-endpoints.
const EndpointRefPrefix = "#/" + ExtEndpoints + "/"

// DefaultSecurityScheme is the OAuth2 security scheme FromPublisher defines
// to carry the API Manager's per-operation scopes, as MGW 3.x does.
const DefaultSecurityScheme = "default"

// apiExtensions are the x-wso2-* extensions understood at the document root.
var apiExtensions = map[string]bool{
	ExtBasePath: true, ExtProductionEndpoints: true, ExtSandboxEndpoints: true,
	ExtEndpoints: true, ExtThrottlingTier: true, ExtCORS: true,
	ExtDisableSecurity: true, ExtAuthHeader: true, ExtApplicationSecurity: true,
	ExtOwner: true, ExtTransports: true, ExtContext: true,
	ExtDefaultVersion: true, ExtAPIID: true, ExtAPIMSecurity: true,
	ExtSubscriptionTiers:  true,
	ExtRequestValidation:  true,
	ExtRequestInterceptor: true, ExtResponseInterceptor: true,
}

// operationExtensions are the x-wso2-* extensions understood on operations.
var operationExtensions = map[string]bool{
	ExtProductionEndpoints: true, ExtSandboxEndpoints: true,
	ExtThrottlingTier: true, ExtDisableSecurity: true,
	ExtRequestValidation:  true,
	ExtRequestInterceptor: true, ExtResponseInterceptor: true,
}

// unsupportedFeatures explains the MGW 3.x extensions mgw does not implement.
var unsupportedFeatures = map[string]string{
	ExtMutualSSL:     "per-API mutual TLS is not implemented; remove it and require client certificates on the HTTPS listener (MGW_TLS_CLIENT_CA_FILE)",
	ExtResponseCache: "the gateway does not cache responses; remove it (cache in the backend or in front of the gateway)",
}
