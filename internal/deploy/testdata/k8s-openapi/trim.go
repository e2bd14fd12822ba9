//go:build ignore

// trim.go writes schemas.json: the components.schemas of Kubernetes'
// published OpenAPI v3 documents that the manifests of mgw build --k8s
// use, and everything they reference, without descriptions. See
// SOURCE.md.
//
//	go run trim.go $(go env GOMODCACHE)/k8s.io/kubernetes@v1.34.2/api/openapi-spec/v3
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

var sources = []string{
	"api__v1_openapi.json",
	"apis__apps__v1_openapi.json",
	"apis__autoscaling__v2_openapi.json",
	"apis__policy__v1_openapi.json",
}

var roots = []string{
	"io.k8s.api.apps.v1.Deployment",
	"io.k8s.api.core.v1.Service",
	"io.k8s.api.core.v1.ConfigMap",
	"io.k8s.api.core.v1.Secret",
	"io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler",
	"io.k8s.api.policy.v1.PodDisruptionBudget",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run trim.go DIR")
		os.Exit(2)
	}
	all := map[string]any{}
	for _, s := range sources {
		data, err := os.ReadFile(filepath.Join(os.Args[1], s))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var doc struct {
			Components struct {
				Schemas map[string]any `json:"schemas"`
			} `json:"components"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			fmt.Fprintln(os.Stderr, s, err)
			os.Exit(1)
		}
		for k, v := range doc.Components.Schemas {
			all[k] = v
		}
	}
	keep := map[string]any{}
	var visit func(name string)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				visit(strings.TrimPrefix(r, "#/components/schemas/"))
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	visit = func(name string) {
		if _, done := keep[name]; done {
			return
		}
		s, ok := all[name]
		if !ok {
			fmt.Fprintln(os.Stderr, "missing schema", name)
			os.Exit(1)
		}
		s = strip(s)
		keep[name] = s
		walk(s)
	}
	for _, r := range roots {
		visit(r)
	}
	out := map[string]any{
		"openapi":    "3.0.0",
		"info":       map[string]any{"title": "Kubernetes v1.34.2 (trimmed for mgw)", "version": "v1.34.2"},
		"paths":      map[string]any{},
		"components": map[string]any{"schemas": keep},
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("schemas.json", append(data, '\n'), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	names := make([]string, 0, len(keep))
	for k := range keep {
		names = append(names, k)
	}
	sort.Strings(names)
	fmt.Printf("%d schemas, %d bytes\n", len(names), len(data))
}

// strip drops "description" from a schema and the schemas inside it,
// leaving property names (which may be "description") alone.
func strip(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return v
	}
	out := map[string]any{}
	for k, c := range s {
		switch k {
		case "description":
		case "properties":
			props := map[string]any{}
			for p, ps := range c.(map[string]any) {
				props[p] = strip(ps)
			}
			out[k] = props
		case "items", "additionalProperties", "not":
			out[k] = strip(c)
		case "allOf", "anyOf", "oneOf":
			var list []any
			for _, e := range c.([]any) {
				list = append(list, strip(e))
			}
			out[k] = list
		default:
			out[k] = c
		}
	}
	return out
}
