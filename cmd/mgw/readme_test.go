package main

import (
	"os"
	"regexp"
	"testing"
)

// TestREADMEListsEveryGatewayVariable keeps the README's table of gateway
// environment variables in step with the configuration reference.
func TestREADMEListsEveryGatewayVariable(t *testing.T) {
	ref, err := os.ReadFile("../../pkg/gateway/CONFIG.md")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile("`(MGW_[A-Z0-9_]*[A-Z0-9])`")
	listed := map[string]bool{}
	for _, m := range name.FindAllStringSubmatch(string(readme), -1) {
		listed[m[1]] = true
	}
	example := regexp.MustCompile(`^MGW_API_`)
	for _, m := range name.FindAllStringSubmatch(string(ref), -1) {
		if v := m[1]; !listed[v] && !example.MatchString(v) {
			t.Errorf("README.md does not list %s (documented in pkg/gateway/CONFIG.md)", v)
		}
	}
}
