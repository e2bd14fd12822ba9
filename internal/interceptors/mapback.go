package interceptors

import (
	"bufio"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// modulePos matches a compiler position in the build module's
// interceptors package: cmd/gateway/interceptors/<file>.go:LINE[:COL].
var modulePos = regexp.MustCompile(`(?:\./)?` + regexp.QuoteMeta(ModuleDir) + `/([^/\s:]+\.go):(\d+)(?::(\d+))?`)

// RegistryLines maps the lines of the generated registry to the
// interceptor names written on them ("request validateRequest").
func RegistryLines(registry []byte) map[int]string {
	out := map[int]string{}
	sc := bufio.NewScanner(strings.NewReader(string(registry)))
	kind := ""
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "Request:"):
			kind = "request"
		case strings.HasPrefix(line, "Response:"):
			kind = "response"
		case strings.HasPrefix(line, `"`) && kind != "":
			key, _, ok := strings.Cut(line, ":")
			if name, err := strconv.Unquote(strings.TrimSpace(key)); ok && err == nil {
				out[n] = kind + " " + name
			}
		}
	}
	return out
}

// MapBuildOutput rewrites the compiler's output so that positions in the
// interceptors package name the workspace files, and an error on a line
// of the generated registry names the interceptor and where it is
// declared (typically a wrong signature). It reports whether any line was
// about the interceptors.
func (c *Checked) MapBuildOutput(out string, registry map[int]string) (string, bool) {
	paths := map[string]string{}
	for _, f := range c.Files {
		paths[f.Name] = f.Path
	}
	found := false
	mapped := modulePos.ReplaceAllStringFunc(out, func(m string) string {
		sub := modulePos.FindStringSubmatch(m)
		name, line := sub[1], sub[2]
		if name == RegistryFile {
			n, _ := strconv.Atoi(line)
			what, ok := registry[n]
			if !ok {
				return m
			}
			kind, fn, _ := strings.Cut(what, " ")
			found = true
			if d, ok := c.Decls[fn]; ok {
				return fmt.Sprintf("%s:%d: %s interceptor %s must be %s", d.Path, d.Line, kind, fn, signature(kind, fn))
			}
			return fmt.Sprintf("%s interceptor %s must be %s", kind, fn, signature(kind, fn))
		}
		p, ok := paths[name]
		if !ok {
			return m
		}
		found = true
		if sub[3] != "" {
			return p + ":" + line + ":" + sub[3]
		}
		return p + ":" + line
	})
	if found {
		// go build's "# <package>" heading names the build module's folder.
		var keep []string
		for _, l := range strings.Split(mapped, "\n") {
			if !strings.HasPrefix(l, "# ") || !strings.HasSuffix(l, "/"+ModuleDir) {
				keep = append(keep, l)
			}
		}
		mapped = strings.Join(keep, "\n")
	}
	return mapped, found
}
