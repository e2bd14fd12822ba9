package policy

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkBlocking validates one blocking condition: its type, the fields the
// type needs and no fields of another type.
func checkBlocking(c BlockingCondition, add func(msg string, field ...string)) {
	var need []string
	switch c.Type {
	case BlockAPI:
		need = []string{"value"}
		if c.Value != "" && !strings.HasPrefix(c.Value, "/") {
			add(fmt.Sprintf("value %q is not an API context; give the context with the version, e.g. /pizzashack/1.0.0", c.Value), "value")
		}
	case BlockApplication:
		need = []string{"value"}
		if owner, name, ok := strings.Cut(c.Value, ":"); c.Value != "" && (!ok || owner == "" || name == "") {
			add(fmt.Sprintf(`value %q is not "owner:application name"`, c.Value), "value")
		}
	case BlockUser:
		need = []string{"value"}
	case BlockIP:
		need = []string{"ip"}
		checkIP(c.IP, "ip", add)
	case BlockIPRange:
		need = []string{"startingIP", "endingIP"}
		checkIPRange(c.StartingIP, c.EndingIP, add)
	case "":
		add(fmt.Sprintf("type is missing; use %s", orList(blockTypes)), "type")
		return
	default:
		add(fmt.Sprintf("blocking condition type %q is not supported; use %s", c.Type, orList(blockTypes)), "type")
		return
	}
	if c.Invert && c.Type != BlockIP && c.Type != BlockIPRange {
		add("invert applies only to ip and ipRange conditions; remove it", "invert")
	}
	fields := map[string]string{"value": c.Value, "ip": c.IP, "startingIP": c.StartingIP, "endingIP": c.EndingIP}
	for _, f := range []string{"value", "ip", "startingIP", "endingIP"} {
		v := fields[f]
		switch {
		case contains(need, f) && v == "":
			add(f+" is missing", f)
		case !contains(need, f) && v != "":
			add(fmt.Sprintf("%s does not apply to a %s condition; remove it", f, c.Type), f)
		case !utf8.ValidString(v) || len(v) > maxConditionText || strings.IndexFunc(v, unicode.IsControl) >= 0:
			add(fmt.Sprintf("%s must be valid UTF-8 text of at most %d bytes without control characters", f, maxConditionText), f)
		}
	}
	if !utf8.ValidString(c.ID) || len(c.ID) > maxPolicyName || strings.IndexFunc(c.ID, unicode.IsControl) >= 0 {
		add(fmt.Sprintf("id must be valid UTF-8 text of at most %d bytes without control characters", maxPolicyName), "id")
	}
}

// validateBlocking checks every blocking condition of f.
func validateBlocking(f File) []issue {
	var out []issue
	for i, c := range f.Blocking {
		checkBlocking(c, func(msg string, field ...string) {
			out = append(out, issue{level: LevelBlocking, index: i, field: field, msg: msg})
		})
	}
	return out
}
