// Package apimsim is a simulator of WSO2 API Manager for what `mgw setup`
// uses. Options.Version selects the release line: 2.6 (below), 3.x
// (Publisher and Admin v1, DCR v0.17: the same calls with the v1 payloads;
// APIs of a label found with "label:") or 4.x (Publisher and Admin v4, DCR
// v0.17; each published API has one revision deployed to the gateway
// environments named like its labels, listed by GET
// /apis/{apiId}/deployments; GET /apis/{revisionId} and its /swagger serve
// the revision). The fixtures are the same for every version, rendered in
// each dialect; only the selected version's paths exist. For 2.6 it serves:
// dynamic client registration, the password-grant token endpoint, the
// Publisher v0.14 API list/get/swagger calls, the Admin v0.14 throttling
// policy lists, and the analytics usage-file receiver. It answers with the
// same paths, query syntax, JSON shapes, status codes and error bodies as the
// real server, so a client that works against it works against API Manager.
//
// # Endpoints
//
//	POST /client-registration/v0.14/register         Basic user:password, JSON body
//	POST /oauth2/token                                Basic clientId:clientSecret, form body
//	GET  /api/am/publisher/v0.14/apis                 Bearer, scope apim:api_view
//	GET  /api/am/publisher/v0.14/apis/{apiId}         Bearer, scope apim:api_view
//	GET  /api/am/publisher/v0.14/apis/{apiId}/swagger Bearer, scope apim:api_view
//	GET  /api/am/admin/v0.14/throttling/policies/{application|subscription|advanced}
//	                                                  Bearer, scope apim:tier_view
//	GET  /api/am/admin/v0.14/throttling/policies/advanced/{policyId}
//	                                                  Bearer, scope apim:tier_view (with conditionalGroups)
//	GET  /api/am/admin/v0.14/throttling/blacklist     Bearer, scope apim:bl_view (blocking conditions, no paging)
//	POST /analytics/v1.0/usage/upload-file            Basic user:password, multipart "file"
//
// # Behaviour copied from API Manager 2.6 (carbon-apimgt 6.4.x)
//
//   - A missing, unknown or expired token, and also a token that lacks the
//     scope of the resource, get 401 with the REST API's Error body
//     {"code":401,"message":"","description":"Unauthenticated request",
//     "moreInfo":"","error":[]}: the 2.6 REST authenticator (WebAppAuthenticatorImpl)
//     returns false for a failed scope check and GlobalThrowableMapper turns
//     that into 401. Clients that want to explain a missing scope must compare
//     the token response's "scope" with what they asked for.
//   - The token endpoint grants the intersection of the requested scopes and
//     the user's scopes; when that is empty the granted scope is "default".
//   - Registration reuses the application of the same owner and clientName
//     (same clientId and clientSecret); the application is named
//     "<owner>_<clientName>". A wrong or missing Basic credential gets 401 with
//     an empty body (CXF's answer to the interceptor's AuthenticationException).
//   - The list is paged with limit (default 25) and offset (default 0). "next"
//     and "previous" are links relative to the Publisher base path, in the
//     real server's form "/apis?limit=L&offset=O&query=Q"; they do not carry
//     expand=true, so a client following them must add it again. The real
//     server inserts Q unescaped; the simulator escapes it (spaces as %20) so
//     the link is a valid URL.
//   - The query is space-separated attribute:value terms (name, version,
//     context, status, description, provider, label), all of which must match.
//     Values match case-insensitively and may use * as a wildcard. name: and
//     description: match a part of the value (name:Pizza finds PizzaShackAPI),
//     so a client looking for one API must compare names exactly itself. A
//     term without attribute searches names. Other attributes get 400.
//   - Unset fields are serialized as null, as Jackson does on the real server.
//
// # Special labels
//
// Besides the labels of the fixtures, these labels are always served:
//
//	big            1,200 small generated APIs (paging past the original CLI's limit of 500)
//	hostile        APIs with quotes, backticks, backslashes, newlines, "*/", "{{", "../",
//	               Go keywords and non-ASCII in names, contexts, paths and URLs; some are
//	               valid API Manager data, some clearly invalid (see hostile.go). They
//	               refer to the policies Options.HostilePolicies adds to the Admin lists.
//	broken-json    the list answer is malformed JSON
//	bad-definition the API named BrokenDefinitionAPI has an apiDefinition that is not JSON
//	bad-endpoint   the API named BrokenEndpointAPI has an endpointConfig that is not JSON
//	flaky          the first 2 list requests of a server instance get 503
//	slow           the list request sleeps Options.SlowDelay (30 s) unless the client goes away
//	drop           the first list request of a server instance has its connection closed
//	               (Go's transport retries a GET that fails on a reused keep-alive
//	               connection, so only a request on a new connection sees it)
//
// A label nobody uses answers count 0 and an empty list, like the real server.
//
// # Fixtures folder
//
// Options.Fixtures (flag --fixtures DIR) holds the data; by default an
// embedded demo set (label "demo", and "internal") is used:
//
//	apis/*.json                one API DTO per file, exactly as the Publisher returns it
//	                           from GET /apis/{apiId}: "apiDefinition" (Swagger 2) and
//	                           "endpointConfig" are JSON documents carried as strings,
//	                           "labels" is [{"name":..,"description":..}]. Required: id
//	                           (unique), name, version, context, status. Unknown fields
//	                           are errors (they are usually typos).
//	policies/application.json  the Admin list body {"count":N,"list":[...]} of each level;
//	policies/subscription.json count must equal the number of items and policy names
//	policies/advanced.json     must be unique within a file.
//	policies/blacklist.json    optional: the blocking condition list {"count":N,"list":[
//	                           {"conditionId":..,"conditionType":..,"conditionValue":..}]};
//	                           IP and IPRANGE values may be plain addresses or the JSON
//	                           text API Manager 2.x stores ({"fixedIp":..,"invert":..}).
//	users.json                 {"users":[{"username":..,"password":..,"scopes":[..]}]}
//
// The embedded users are admin/admin (every scope), viewer/viewer
// (apim:api_view only) and noscope/noscope (no scope). To test change
// detection, copy the folder, edit it and restart the simulator on the copy.
package apimsim
