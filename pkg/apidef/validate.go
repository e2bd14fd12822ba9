package apidef

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// validate checks doc with kin-openapi. Errors that matter only to
// documentation, and that real MGW 3.x definitions contain (duplicate
// operation ids, a parameter without schema, an OAuth2 flow without scopes,
// a security requirement naming an undeclared scheme, unknown fields), are
// returned as warnings; everything else is an error. Example values, schema
// defaults and patterns are not checked: the gateway does not validate
// bodies.
func validate(ctx context.Context, path string, doc *openapi3.T, src *tree) (warnings []Problem, errs []Problem) {
	err := doc.Validate(ctx,
		openapi3.EnableMultiError(),
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.AllowExtensionsWithRef(),
	)
	if err == nil {
		return nil, nil
	}
	var list []error
	var me openapi3.MultiError
	if errors.As(err, &me) {
		list = flatten(me)
	} else {
		list = []error{err}
	}
	for _, e := range list {
		p := validationProblem(path, src, e)
		if tolerated(e) {
			p.Message += " (tolerated: the gateway does not use this; fix it to silence the warning)"
			warnings = append(warnings, p)
		} else {
			errs = append(errs, p)
		}
	}
	return warnings, errs
}

func flatten(me openapi3.MultiError) []error {
	var out []error
	for _, e := range me {
		var inner openapi3.MultiError
		if errors.As(e, &inner) && len(inner) > 0 {
			out = append(out, flatten(inner)...)
			continue
		}
		out = append(out, e)
	}
	return out
}

func tolerated(err error) bool {
	var (
		dup      *openapi3.DuplicateOperationIDError
		noSchema *openapi3.ParameterContentSchemaExactlyOne
		extra    *openapi3.ExtraSiblingFieldsError
		noScopes *openapi3.OAuthFlowScopesRequired
		noScheme *openapi3.SecurityRequirementSchemeUndefinedError
		params   *openapi3.PathParametersError
		optional *openapi3.PathParameterRequiredError
	)
	// Path parameter declarations are routing documentation only: the
	// gateway matches the path template itself. API Manager 2.6 lets
	// publishers save resources without them.
	return errors.As(err, &dup) || errors.As(err, &noSchema) || errors.As(err, &extra) ||
		errors.As(err, &noScopes) || errors.As(err, &noScheme) || errors.As(err, &params) || errors.As(err, &optional)
}

// componentSections maps ComponentValidationError.Section to the key under
// #/components.
var componentSections = map[string]string{
	"schema": "schemas", "parameter": "parameters", "header": "headers",
	"request body": "requestBodies", "response": "responses",
	"security scheme": "securitySchemes", "example": "examples",
	"link": "links", "callback": "callbacks",
}

// validationProblem locates a kin-openapi validation error by walking its
// context wrappers into a JSON pointer; the first other error in the chain
// gives the message.
func validationProblem(path string, src *tree, err error) Problem {
	ptr := ""
	cur := err
walk:
	for cur != nil {
		switch e := cur.(type) {
		case *openapi3.SectionValidationError:
			ptr += "/" + escapeToken(e.Section)
			cur = e.Cause
		case *openapi3.PathValidationError:
			ptr += "/" + escapeToken(e.Path)
			cur = e.Cause
		case *openapi3.OperationValidationError:
			ptr += "/" + strings.ToLower(e.Method)
			cur = e.Cause
		case *openapi3.ComponentValidationError:
			sec, ok := componentSections[e.Section]
			if !ok {
				break walk
			}
			ptr += "/" + sec + "/" + escapeToken(e.Name)
			cur = e.Cause
		default:
			break walk
		}
	}
	var undef *openapi3.SecurityRequirementSchemeUndefinedError
	msg := err.Error()
	if cur != nil {
		msg = cur.Error()
	}
	if errors.As(err, &undef) && undef.JSONPointer != "" {
		ptr = undef.JSONPointer
		msg = fmt.Sprintf("the security requirement names %q, which is not declared under components/securitySchemes", undef.Scheme)
	}
	loc := "#" + ptr
	return Problem{Path: path, Line: src.line(loc), Location: loc, Message: oneLine(msg)}
}
