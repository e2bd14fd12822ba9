package apidef

import (
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// validation compiles an operation's parameters, JSON request body and
// JSON responses for the gateway's schema validation. Every operation
// with schemas gets them (validation.request: all validates operations
// the definition did not mark); Request records the mark. When a schema
// cannot be compiled, a marked operation is a problem (the build fails)
// and an unmarked one is compiled without schemas, saying why.
func (c *converter) validation(loc, path string, op *openapi3.Operation) *gateway.Validation {
	if c.apiValidation == nil {
		b := c.boolean("#", c.doc.Extensions, ExtRequestValidation)
		c.apiValidation = &b
	}
	request := *c.apiValidation
	if b, set, err := boolExt(op.Extensions, ExtRequestValidation); err != nil {
		c.addErr(loc+"/"+escapeToken(ExtRequestValidation), err)
	} else if set {
		request = b
	}
	// A trial compile on its own finds this operation's problems without
	// leaving broken schemas in the API's table.
	trial := newSchemaCompiler()
	if v := compileOperation(trial, loc, path, c.doc, op); v == nil && !request {
		return nil
	}
	if len(trial.problems) > 0 {
		if request {
			for _, p := range trial.problems {
				c.add(p.loc, "%s (%s asks to validate %s)", p.msg, ExtRequestValidation, loc)
			}
			return nil
		}
		p := trial.problems[0]
		return &gateway.Validation{Skipped: p.loc + ": " + p.msg}
	}
	if c.schemas == nil {
		c.schemas = newSchemaCompiler()
	}
	v := compileOperation(c.schemas, loc, path, c.doc, op)
	if v == nil {
		v = &gateway.Validation{}
	}
	v.Request = request
	return v
}

// compileOperation builds an operation's rules into sc; nil when the
// operation has nothing to validate.
func compileOperation(sc *schemaCompiler, loc, path string, doc *openapi3.T, op *openapi3.Operation) *gateway.Validation {
	var v gateway.Validation
	var inherited openapi3.Parameters
	if item := doc.Paths.Value(path); item != nil {
		inherited = item.Parameters
	}
	seen := map[string]bool{}
	add := func(params openapi3.Parameters, ploc string) {
		for i, pr := range params {
			if pr == nil || pr.Value == nil {
				continue
			}
			p := pr.Value
			key := p.In + " " + p.Name
			if seen[key] {
				continue
			}
			seen[key] = true
			if rule, ok := paramRule(sc, p, ploc+"/parameters/"+itoa(i)); ok {
				v.Params = append(v.Params, rule)
			}
		}
	}
	add(op.Parameters, loc)
	add(inherited, pointer("paths", path))
	if rb := op.RequestBody; rb != nil && rb.Value != nil {
		bloc := loc + "/requestBody"
		if strings.HasPrefix(rb.Ref, "#") {
			bloc = rb.Ref
		}
		b := &gateway.BodyRule{Required: rb.Value.Required}
		b.JSON, b.MediaTypes = contentRule(sc, rb.Value.Content, bloc)
		v.Body = b
	}
	if op.Responses != nil {
		codes := op.Responses.Map()
		keys := make([]string, 0, len(codes))
		for k := range codes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			r := codes[k]
			if r == nil || r.Value == nil {
				continue
			}
			rloc := loc + "/responses/" + escapeToken(k)
			if strings.HasPrefix(r.Ref, "#") {
				rloc = r.Ref
			}
			if j, _ := contentRule(sc, r.Value.Content, rloc); j != 0 {
				v.Responses = append(v.Responses, gateway.ResponseRule{Status: strings.ToUpper(k), JSON: j})
			}
		}
	}
	if len(v.Params) == 0 && v.Body == nil && len(v.Responses) == 0 {
		return nil
	}
	return &v
}

// contentRule compiles a content map: the JSON media type's schema
// (application/json first, else the first +json type) and the declared
// media types.
func contentRule(sc *schemaCompiler, content openapi3.Content, loc string) (int, []string) {
	keys := make([]string, 0, len(content))
	for k := range content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var types []string
	jsonKey := ""
	for _, k := range keys {
		mt := strings.ToLower(strings.TrimSpace(strings.SplitN(k, ";", 2)[0]))
		types = append(types, mt)
		if mt == "application/json" || (jsonKey == "" && strings.HasSuffix(mt, "+json")) {
			if jsonKey == "" || mt == "application/json" {
				jsonKey = k
			}
		}
	}
	if jsonKey == "" || content[jsonKey] == nil || content[jsonKey].Schema == nil {
		return 0, types
	}
	return sc.ref(content[jsonKey].Schema, loc+"/content/"+escapeToken(jsonKey)+"/schema"), types
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
