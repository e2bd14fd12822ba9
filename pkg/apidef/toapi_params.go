package apidef

import (
	"net/http"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/gateway"
)

// paramRule compiles a parameter for the gateway: its location, style,
// explode flag and schema (or its application/json content schema).
// Definitions kin-openapi's openapi3filter cannot decode at all (it
// refuses every request then) are problems in sc. Parameters without a
// schema, and shapes the gateway does not decode (composition keywords,
// several types, nested deepObject values) are left unchecked, as
// docs/ARCHITECTURE.md lists.
func paramRule(sc *schemaCompiler, p *openapi3.Parameter, loc string) (gateway.ParamRule, bool) {
	rule := gateway.ParamRule{Name: p.Name, In: p.In, Required: p.Required, AllowEmpty: p.AllowEmptyValue}
	switch p.In {
	case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInCookie:
	case openapi3.ParameterInHeader:
		rule.Name = http.CanonicalHeaderKey(p.Name)
	default:
		return rule, false
	}
	sm, err := p.SerializationMethod()
	if err != nil {
		return rule, false
	}
	rule.Style, rule.Explode = sm.Style, sm.Explode
	if msg := gatewayStyleProblem(rule); msg != "" {
		sc.bad(loc+"/style", "parameter %q: %s", p.Name, msg)
		return rule, false
	}
	if len(p.Content) > 0 {
		return contentParamRule(sc, p, rule, loc)
	}
	if p.Schema == nil || p.Schema.Value == nil {
		return rule, false
	}
	s := p.Schema.Value
	composite := primitiveComposite(s)
	if !decodable(s) && !composite {
		return rule, false
	}
	switch {
	case !composite && s.Type.Is(openapi3.TypeArray):
		if !arrayParamOK(sc, p, rule, loc) {
			return rule, false
		}
	case !composite && s.Type.Is(openapi3.TypeObject):
		ok, keep := objectParamOK(sc, p, rule, loc)
		if !ok {
			return rule, false
		}
		rule.KeepExtra = keep
	default: // a single value, or allOf/anyOf/oneOf of single values
		if p.In == openapi3.ParameterInQuery && rule.Style != gateway.StyleForm {
			sc.bad(loc+"/style", "parameter %q: style %s applies to arrays and objects, not to a single value; use style form", p.Name, rule.Style)
			return rule, false
		}
	}
	if rule.Style == defaultStyle(p.In) {
		rule.Style = "" // the location's default, left out of the generated code
	}
	rule.Schema = sc.ref(p.Schema, loc+"/schema")
	return rule, rule.Schema != 0
}

// defaultStyle is the style of a location's parameters without one.
func defaultStyle(in string) string {
	if in == openapi3.ParameterInQuery || in == openapi3.ParameterInCookie {
		return gateway.StyleForm
	}
	return gateway.StyleSimple
}

// stylesFor lists the styles OpenAPI 3.0 defines for a parameter
// location.
func stylesFor(in string) []string {
	switch in {
	case openapi3.ParameterInPath:
		return []string{gateway.StyleSimple, gateway.StyleLabel, gateway.StyleMatrix}
	case openapi3.ParameterInQuery:
		return []string{gateway.StyleForm, gateway.StyleSpaceDelimited, gateway.StylePipeDelimited, gateway.StyleDeepObject}
	case openapi3.ParameterInHeader:
		return []string{gateway.StyleSimple}
	case openapi3.ParameterInCookie:
		return []string{gateway.StyleForm}
	}
	return nil
}

// gatewayStyleProblem refuses the styles the location does not define
// (the loader reports them too), naming the ones it does.
func gatewayStyleProblem(r gateway.ParamRule) string {
	styles := stylesFor(r.In)
	if slices.Contains(styles, r.Style) {
		return ""
	}
	return "style " + r.Style + " is not defined for " + r.In + " parameters; use " + strings.Join(styles, ", ")
}

// decodable reports a schema the gateway decodes a parameter value
// with: one type or none, no allOf/anyOf/oneOf/not.
func decodable(s *openapi3.Schema) bool {
	if len(s.AllOf) > 0 || len(s.AnyOf) > 0 || len(s.OneOf) > 0 || s.Not != nil {
		return false
	}
	return s.Type == nil || len(*s.Type) <= 1
}

// primitiveComposite reports allOf, anyOf or oneOf (the first present,
// as openapi3filter looks) of single values the gateway decodes branch by
// branch: each branch a string, number, integer or boolean, or an enum
// without a type; no not.
func primitiveComposite(s *openapi3.Schema) bool {
	if s.Not != nil {
		return false
	}
	branches := s.AllOf
	if len(branches) == 0 {
		branches = s.AnyOf
	}
	if len(branches) == 0 {
		branches = s.OneOf
	}
	if len(branches) == 0 {
		return false
	}
	for _, b := range branches {
		if b == nil || b.Value == nil || !decodable(b.Value) {
			return false
		}
		v := b.Value
		switch {
		case v.Type == nil || len(*v.Type) == 0:
			if len(v.Enum) == 0 {
				return false
			}
		case v.Type.Is(openapi3.TypeString), v.Type.Is(openapi3.TypeNumber),
			v.Type.Is(openapi3.TypeInteger), v.Type.Is(openapi3.TypeBoolean):
		default:
			return false
		}
	}
	return true
}

// primitive reports a schema a single text decodes to (not an array or
// an object) that the gateway decodes.
func primitive(sr *openapi3.SchemaRef) bool {
	if sr == nil || sr.Value == nil {
		return true
	}
	s := sr.Value
	return decodable(s) && !s.Type.Is(openapi3.TypeArray) && !s.Type.Is(openapi3.TypeObject)
}

// arrayParamOK checks an array parameter's style and items.
func arrayParamOK(sc *schemaCompiler, p *openapi3.Parameter, rule gateway.ParamRule, loc string) bool {
	switch {
	case rule.In == openapi3.ParameterInQuery && rule.Style == gateway.StyleDeepObject:
		sc.bad(loc+"/style", "parameter %q: style deepObject applies to objects; use form, spaceDelimited or pipeDelimited for arrays", p.Name)
		return false
	case rule.In == openapi3.ParameterInCookie && rule.Explode:
		sc.bad(loc+"/explode", "cookie parameter %q: an array in a cookie needs explode: false (items separated by commas)", p.Name)
		return false
	}
	items := p.Schema.Value.Items
	if items != nil && items.Value != nil && !decodable(items.Value) {
		return false // composed items: unchecked
	}
	if !primitive(items) {
		sc.bad(loc+"/schema/items", "parameter %q: array items must be strings, numbers, integers or booleans; nested arrays and objects cannot be serialized in a parameter", p.Name)
		return false
	}
	return true
}

// objectParamOK checks an object parameter's style and properties; keep
// reports additionalProperties: true.
func objectParamOK(sc *schemaCompiler, p *openapi3.Parameter, rule gateway.ParamRule, loc string) (ok, keep bool) {
	s := p.Schema.Value
	switch {
	case rule.In == openapi3.ParameterInCookie && rule.Explode:
		sc.bad(loc+"/explode", "cookie parameter %q: an object in a cookie needs explode: false (name,value pairs separated by commas)", p.Name)
		return false, false
	case rule.In == openapi3.ParameterInQuery && rule.Explode &&
		(rule.Style == gateway.StyleSpaceDelimited || rule.Style == gateway.StylePipeDelimited):
		sc.bad(loc+"/explode", "parameter %q: style %s objects need explode: false", p.Name, rule.Style)
		return false, false
	}
	for _, prop := range s.Properties {
		if prop != nil && prop.Value != nil && !decodable(prop.Value) {
			return false, false // composed properties: unchecked
		}
		if rule.Style == gateway.StyleDeepObject && !primitive(prop) {
			return false, false // nested deepObject values: unchecked
		}
	}
	ap := s.AdditionalProperties
	if ap.Schema != nil && ap.Schema.Value != nil && !primitive(ap.Schema) {
		return false, false // nested additional values: unchecked
	}
	return true, ap.Schema == nil && ap.Has != nil && *ap.Has
}

// contentParamRule compiles a parameter described by content: only
// application/json with a schema is decoded (by openapi3filter too).
func contentParamRule(sc *schemaCompiler, p *openapi3.Parameter, rule gateway.ParamRule, loc string) (gateway.ParamRule, bool) {
	mt := p.Content.Get("application/json")
	if len(p.Content) != 1 || mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
		sc.bad(loc+"/content", "parameter %q: content must be one application/json media type with a schema; other media types cannot be checked", p.Name)
		return rule, false
	}
	key := ""
	for k, v := range p.Content {
		if v == mt {
			key = k
		}
	}
	rule.Content = true
	rule.Style, rule.Explode = "", false
	rule.Schema = sc.ref(mt.Schema, loc+"/content/"+escapeToken(key)+"/schema")
	return rule, rule.Schema != 0
}
