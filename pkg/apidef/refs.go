package apidef

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// literalKeys hold example or default values, never references.
var literalKeys = map[string]bool{"example": true, "default": true, "enum": true, "const": true}

// refSite is one "$ref" found in a tree.
type refSite struct {
	at  string // JSON pointer of the object holding $ref
	ref string
}

// findRefs lists the $ref strings of t outside extensions and literal
// values, in a stable order.
func findRefs(t *tree) []refSite {
	var out []refSite
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			if r, ok := x["$ref"].(string); ok {
				out = append(out, refSite{at: "#" + ptr, ref: r})
			}
			keys := sortedKeys(x)
			for _, k := range keys {
				if strings.HasPrefix(k, "x-") || literalKeys[k] {
					continue
				}
				walk(x[k], ptr+"/"+escapeToken(k))
			}
		case []any:
			for i, e := range x {
				walk(e, ptr+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(t.root, "")
	return out
}

// resolvePointer follows a local reference ("#/a/b") in root.
func resolvePointer(root map[string]any, ref string) (any, bool) {
	if ref == "#" {
		return root, true
	}
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	var cur any = root
	for _, tok := range strings.Split(ref[2:], "/") {
		tok = unescapeToken(tok)
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// checkRefs finds external references (mgw reads one file, never other
// files or URLs) and local references that lead nowhere, with their lines.
// A dangling reference to a schema is tolerated, as MGW 3.x did: the schema
// is defined as {} (any value) and a warning says so. The errors are only
// reported when the document then fails to load (a "$ref" inside an unknown
// field is no reference). schemaPrefix is "#/components/schemas/" or, for
// Swagger 2, "#/definitions/".
func checkRefs(path string, t *tree, schemaPrefix string) (warnings, errs []Problem) {
	for _, site := range findRefs(t) {
		loc := site.at + "/$ref"
		line := t.line(loc)
		if !strings.HasPrefix(site.ref, "#") {
			errs = append(errs, Problem{Path: path, Line: line, Location: loc, Message: fmt.Sprintf(
				"$ref %q points outside this file; mgw reads single-file definitions: copy the referenced content into this file (e.g. under components)", site.ref)})
			continue
		}
		if _, ok := resolvePointer(t.root, site.ref); ok {
			continue
		}
		name := strings.TrimPrefix(site.ref, schemaPrefix)
		if name != site.ref && name != "" && !strings.Contains(name, "/") && addStubSchema(t.root, schemaPrefix, unescapeToken(name)) {
			warnings = append(warnings, Problem{Path: path, Line: line, Location: loc, Message: fmt.Sprintf(
				"$ref %q points to a schema that is not defined; mgw treats it as {} (any value): define the schema to silence this warning", site.ref)})
			continue
		}
		errs = append(errs, Problem{Path: path, Line: line, Location: loc, Message: fmt.Sprintf(
			"$ref %q points to nothing in this file; define it or remove the reference", site.ref)})
	}
	return warnings, errs
}

// addStubSchema defines an empty schema under schemaPrefix, creating the
// parent objects; false if a parent exists but is not an object.
func addStubSchema(root map[string]any, schemaPrefix, name string) bool {
	cur := root
	for _, tok := range strings.Split(strings.Trim(strings.TrimPrefix(schemaPrefix, "#"), "/"), "/") {
		next, ok := cur[tok]
		if !ok {
			m := map[string]any{}
			cur[tok] = m
			cur = m
			continue
		}
		m, ok := next.(map[string]any)
		if !ok {
			return false
		}
		cur = m
	}
	cur[name] = map[string]any{}
	return true
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
