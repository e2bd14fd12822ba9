package apidef

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// decoded is a document read from text, before validation.
type decoded struct {
	doc *openapi3.T
	// src locates JSON pointers of doc in the text; nil when the text was
	// Swagger 2 (the pointers of the converted document differ).
	src      *tree
	warnings []Problem
}

// decode reads YAML or JSON text holding OpenAPI 3.x or Swagger 2 and
// returns it as OpenAPI 3, with references resolved inside the document.
// References to other files or URLs are refused: nothing is ever read but
// data.
func decode(path string, data []byte) (*decoded, error) {
	t, err := parseTree(path, data)
	if err != nil {
		return nil, err
	}
	return decodeTree(path, t)
}

// decodeTree is decode after parsing; it may modify t.
func decodeTree(path string, t *tree) (*decoded, error) {
	kind, err := detectVersion(path, t)
	if err != nil {
		return nil, err
	}
	if kind == "2" {
		return decodeSwagger2(path, t)
	}
	return decodeOpenAPI3(path, t)
}

// detectVersion returns "2" for Swagger 2.0 and "3" for OpenAPI 3.0-3.2,
// fixing a version written as a YAML number (swagger: 2.0).
func detectVersion(path string, t *tree) (string, error) {
	fix := func(key string) (string, bool) {
		switch v := t.root[key].(type) {
		case string:
			return v, true
		case float64, int, json.Number:
			s := fmt.Sprint(v)
			if !strings.Contains(s, ".") {
				s += ".0"
			}
			t.root[key] = s
			return s, true
		}
		return "", false
	}
	sw, hasSwagger := fix("swagger")
	oa, hasOpenAPI := fix("openapi")
	switch {
	case hasOpenAPI && hasSwagger:
		return "", Problem{Path: path, Line: t.line("#/swagger"), Location: "#", Message: "the document has both openapi and swagger fields; keep the one matching its format"}
	case hasSwagger:
		if sw != "2.0" {
			return "", Problem{Path: path, Line: t.line("#/swagger"), Location: "#/swagger", Message: fmt.Sprintf("Swagger version %q is not supported; mgw reads Swagger 2.0 and OpenAPI 3.0/3.1", sw)}
		}
		return "2", nil
	case hasOpenAPI:
		probe := openapi3.T{OpenAPI: oa}
		if probe.OpenAPIMajorMinor() == "" {
			return "", Problem{Path: path, Line: t.line("#/openapi"), Location: "#/openapi", Message: fmt.Sprintf("OpenAPI version %q is not supported; use e.g. openapi: 3.0.3 (mgw reads OpenAPI 3.0/3.1 and Swagger 2.0)", oa)}
		}
		return "3", nil
	}
	return "", Problem{Path: path, Line: 1, Location: "#", Message: "not an API definition: there is no openapi (OpenAPI 3) or swagger (Swagger 2.0) field at the top level"}
}

// The reference problems checkRefs finds are reported only when
// kin-openapi fails too: a "$ref" inside an unknown field is not a reference
// and must not fail the document, but when loading does fail, the located
// problems explain it better than the loader.

func decodeOpenAPI3(path string, t *tree) (*decoded, error) {
	warnings, refErrs := checkRefs(path, t, "#/components/schemas/")
	data, err := json.Marshal(t.root)
	if err != nil {
		return nil, Problem{Path: path, Message: fmt.Sprintf("cannot re-encode the document: %v", err)}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	if err != nil {
		if len(refErrs) > 0 {
			return nil, Problems(refErrs)
		}
		return nil, loadProblem(path, t, err)
	}
	return &decoded{doc: doc, src: t, warnings: warnings}, nil
}

func decodeSwagger2(path string, t *tree) (*decoded, error) {
	warnings, refErrs := checkRefs(path, t, "#/definitions/")
	data, err := json.Marshal(t.root)
	if err != nil {
		return nil, Problem{Path: path, Message: fmt.Sprintf("cannot re-encode the document: %v", err)}
	}
	var doc2 openapi2.T
	if err := json.Unmarshal(data, &doc2); err != nil {
		return nil, loadProblem(path, t, err)
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		if len(refErrs) > 0 {
			return nil, Problems(refErrs)
		}
		return nil, Problem{Path: path, Message: "cannot convert the Swagger 2.0 document to OpenAPI 3: " + oneLine(err.Error())}
	}
	// Round-trip through JSON so the result is shaped exactly as if it had
	// been read from an OpenAPI 3 file (extension values decoded alike).
	data, err = json.Marshal(doc3)
	if err != nil {
		return nil, Problem{Path: path, Message: "cannot encode the converted document: " + oneLine(err.Error())}
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		return nil, Problem{Path: path, Message: "cannot read the converted document: " + oneLine(err.Error())}
	}
	return &decoded{doc: doc, warnings: warnings}, nil
}

// loadProblem turns a kin-openapi decoding error into a Problem, with the
// line when the message names a JSON pointer ("... in /paths/~1x/get").
func loadProblem(path string, t *tree, err error) error {
	msg := oneLine(err.Error())
	p := Problem{Path: path}
	if i := strings.LastIndex(msg, " in /"); i >= 0 {
		p.Location = "#" + strings.Fields(msg[i+4:])[0]
		p.Line = t.line(p.Location)
		msg = msg[:i]
	}
	if _, after, ok := strings.Cut(msg, "json error: "); ok {
		msg, _, _ = strings.Cut(after, ", yaml error:")
		msg = strings.TrimPrefix(msg, "json: ")
	}
	p.Message = "not a valid API definition: " + msg
	return p
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// quoteID names an API in messages: "name:version", quoted so control
// characters cannot reach a terminal.
func quoteID(name, version string) string {
	return strconv.Quote(name + ":" + version)
}
