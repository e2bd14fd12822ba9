package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// writePostScript writes a wrk Lua script that POSTs body as JSON and
// returns its path.
func writePostScript(dir string, body []byte) (string, error) {
	script := fmt.Sprintf("wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = %s\n", luaString(body))
	path := filepath.Join(dir, "post.lua")
	if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
		return "", fmt.Errorf("writing the wrk script: %w", err)
	}
	return path, nil
}

// luaString quotes b as a Lua string literal: printable ASCII as is,
// everything else (and quote and backslash) as a three-digit decimal
// escape, which a following digit cannot extend.
func luaString(b []byte) string {
	out := []byte{'"'}
	for _, c := range b {
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			out = append(out, c)
			continue
		}
		out = fmt.Appendf(out, "\\%03d", c)
	}
	return string(append(out, '"'))
}
