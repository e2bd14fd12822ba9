package apimsim

import "github.com/mgwio/mgw/pkg/apim"

// Hostile policy names. The valid ones are names API Manager's REST API
// accepts and a gateway can enforce; they only appear in the Admin lists
// with Options.HostilePolicies. The invalid one (a newline) must be
// rejected with a clear error, never reach generated code unescaped.
const (
	hostileAppPolicy   = "App\"Quote`Tick\\Slash"    // valid
	hostileSubPolicy   = "Sub{{.}}*/Ünï✓ %s"         // valid
	hostileAdvPolicy   = "Adv/*func*/package{{end}}" // valid
	hostileBadPolicy   = "Line\nBreak"               // invalid: control character
	hostileDescription = "Line one\nLine two \"quoted\" `tick` back\\slash */ } {{.Env}} {{end}} %s %v %!d " +
		"\u2028\u2029 </script> ünïcødé 日本語 ✓ package main; func init() { panic(1) }"
)

// hostilePolicyList returns the hostile policies added to one Admin list.
func hostilePolicyList(level string) []apim.ThrottlePolicy {
	limit := &apim.ThrottleLimit{Type: "RequestCountLimit", TimeUnit: "min", UnitTime: 1, RequestCount: 7}
	p := func(id, name string) apim.ThrottlePolicy {
		return apim.ThrottlePolicy{PolicyID: id, PolicyName: name, DisplayName: name, Description: hostileDescription, IsDeployed: true, DefaultLimit: limit}
	}
	switch level {
	case levelApplication:
		return []apim.ThrottlePolicy{p("00000000-0000-4000-8900-000000000001", hostileAppPolicy)}
	case levelSubscription:
		stop := false
		sub := p("00000000-0000-4000-8900-000000000002", hostileSubPolicy)
		sub.StopOnQuotaReach = &stop
		sub.BillingPlan = "FREE"
		sub.CustomAttributes = []apim.CustomAttribute{{Name: "k\"`{{", Value: "v*/\n"}}
		bad := p("00000000-0000-4000-8900-000000000004", hostileBadPolicy)
		bad.StopOnQuotaReach = &stop
		return []apim.ThrottlePolicy{sub, bad}
	case levelAdvanced:
		return []apim.ThrottlePolicy{p("00000000-0000-4000-8900-000000000003", hostileAdvPolicy)}
	}
	return nil
}

// hostileAPIs returns the APIs of the "hostile" label. Each says whether it
// is valid API Manager data (a gateway could serve it; mgw must handle it
// and escape every string) or clearly invalid (mgw must reject it with a
// clear error). Neither kind may inject code, headers or files.
func hostileAPIs() []apim.API {
	var apis []apim.API

	// VALID: quotes, backticks, backslashes, "*/", "{{", "%" and non-ASCII in
	// the name, description, scope and URL query; resource paths "/items/{id}"
	// and "/comment*/end". The endpoint URL escapes its payload.
	quotes := dto(genID(2, 1), "Quote\"Tick`Back\\Slash{{.}}*/ %s", "1.0.0", "/hostile/quotes", labelHostile, hostileDescription,
		swagger2("Quote\"Tick`Back\\Slash", "1.0.0", map[string]any{
			"/items/{id}":   map[string]any{"get": operation("Application & Application User", hostileAdvPolicy, "read:\"items\"`*/")},
			"/comment*/end": map[string]any{"post": operation("None", "Unlimited", "")},
		}),
		httpEndpoint("http://127.0.0.1:8280/hostile/quotes?q=%22x%22&t=%60y%60&b=%7B%7B.%7D%7D", "http://127.0.0.1:8280/hostile/quotes/sandbox"))
	quotes.Tiers = []string{hostileSubPolicy, "Unlimited"}
	quotes.AuthorizationHeader = "X-Hostile-Auth"
	apis = append(apis, quotes)

	// VALID: Go keywords and predeclared names everywhere an identifier could
	// be derived from.
	keywords := dto(genID(2, 2), "func", "package", "/import/func", labelHostile, "type struct interface chan select go defer return nil true",
		swagger2("func", "package", map[string]any{
			"/type/{struct}":    map[string]any{"get": operation("Application", "Unlimited", "func")},
			"/go/{chan}/select": map[string]any{"post": operation("Application User", "Unlimited", "")},
		}),
		mustJSON(map[string]any{
			"endpoint_type": "load_balance",
			"production_endpoints": []any{
				map[string]any{"url": "http://127.0.0.1:8280/func", "config": nil},
				map[string]any{"url": "http://127.0.0.1:8281/package", "config": nil},
			},
		}))
	keywords.Tiers = []string{hostileSubPolicy}
	apis = append(apis, keywords)

	// VALID: non-ASCII name, version, context and path.
	unicode := dto(genID(2, 3), "Ünïcødé API 日本語", "1.0.0-β", "/ünïcødé", labelHostile, "Ünïcødé ✓",
		swagger2("Ünïcødé API 日本語", "1.0.0-β", map[string]any{
			"/données/{clé}": map[string]any{"get": operation("Application & Application User", "Unlimited", "")},
		}),
		httpEndpoint("http://127.0.0.1:8280/%C3%BCnic%C3%B8de", ""))
	apis = append(apis, unicode)

	// INVALID: path traversal in name, version and context, a file: URL.
	// mgw must not write outside the workspace or serve local files.
	traversal := dto(genID(2, 4), "../../../tmp/evil", "../1.0", "/../../admin", labelHostile, "path traversal",
		swagger2("../../../tmp/evil", "../1.0", map[string]any{
			"/../../etc/passwd": map[string]any{"get": operation("None", "Unlimited", "")},
		}),
		httpEndpoint("file:///etc/passwd", ""))
	apis = append(apis, traversal)

	// INVALID: newlines and CR/LF in the name, version, context, header name
	// and endpoint URL (header injection).
	newline := dto(genID(2, 5), "Newline\nAPI", "1.0.0\n", "/bad\ncontext", labelHostile, "newline",
		swagger2("Newline\nAPI", "1.0.0", map[string]any{
			"/line\nbreak": map[string]any{"get": operation("Application & Application User", hostileBadPolicy, "")},
		}),
		httpEndpoint("http://127.0.0.1:8280/x\r\nInjected: header", ""))
	newline.AuthorizationHeader = "X-Auth\r\nInjected: yes"
	newline.Tiers = []string{hostileBadPolicy}
	apis = append(apis, newline)

	// INVALID: Go source injection attempts: string, raw string and comment
	// terminators followed by code, and template actions.
	inject := dto(genID(2, 6), "x\"); os.Exit(1); //", "1.0.0", "/inject`+os.Getenv(\"HOME\")+`", labelHostile,
		"*/ func init() { panic(\"pwned\") } /*",
		swagger2("x\"); os.Exit(1); //", "1.0.0", map[string]any{
			"/\"+os.Getenv(\"HOME\")+\"": map[string]any{"get": operation("None", "Unlimited", "\"}}{{")},
			"/{{template \"x\"}}":        map[string]any{"get": operation("Application", "Unlimited", "")},
		}),
		httpEndpoint("http://127.0.0.1:8280/inject\"+`", ""))
	apis = append(apis, inject)
	return apis
}
