package policy

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// mgw3Source names the MGW 3.x file in messages.
const mgw3Source = "MGW 3.x policies.yaml"

// mgw3Levels maps the MGW 3.x keys to levels.
var mgw3Levels = []struct{ key, level string }{
	{"applicationPolicies", LevelApplication},
	{"subscriptionPolicies", LevelSubscription},
	{"resourcePolicies", LevelAdvanced},
}

// ParseMGW3 reads the policies.yaml of an MGW 3.x project:
//
//	resourcePolicies:          # → advanced
//	  - 10kPerMin:
//	      count: 10000
//	      unitTime: 1
//	      timeUnit: min
//	applicationPolicies: [...]  # → application
//	subscriptionPolicies: [...] # → subscription
//
// Every policy becomes a request-count policy. All problems are reported
// together, with lines, in a *ValidationError.
func ParseMGW3(data []byte) (File, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return File{}, decodeError(mgw3Source, nil, err)
	}
	var f File
	var probs []Problem
	bad := func(line int, level string, name string, index int, format string, args ...any) {
		probs = append(probs, Problem{Source: mgw3Source, Line: line, Level: level, Policy: name, Index: index, Message: fmt.Sprintf(format, args...)})
	}
	// lines[level][index] maps a policy's fields to lines.
	lines := map[string][]map[string]int{}
	top := documentMapping(&root)
	if top == nil {
		if len(root.Content) == 0 {
			return File{}, nil // empty file
		}
		bad(root.Content[0].Line, "", "", 0, "expected a mapping with the keys applicationPolicies, subscriptionPolicies and resourcePolicies")
		return File{}, &ValidationError{Problems: probs}
	}
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, val := top.Content[i], top.Content[i+1]
		level := ""
		for _, l := range mgw3Levels {
			if key.Value == l.key {
				level = l.level
			}
		}
		if level == "" {
			bad(key.Line, "", "", 0, "unknown key %q; valid keys are applicationPolicies, subscriptionPolicies and resourcePolicies", key.Value)
			continue
		}
		if val.Kind == yaml.ScalarNode && val.Tag == "!!null" {
			continue
		}
		if val.Kind != yaml.SequenceNode {
			bad(val.Line, "", "", 0, "%s must be a list of policies like \"- Gold: {count: 5000, unitTime: 1, timeUnit: min}\"", key.Value)
			continue
		}
		out := f.levelPtr(level)
		for _, item := range val.Content {
			index := len(*out) + 1
			if item.Kind != yaml.MappingNode || len(item.Content) != 2 {
				bad(item.Line, level, "", index, "each entry must be a single \"<name>: {count, unitTime, timeUnit}\" mapping")
				continue
			}
			name, body := item.Content[0], item.Content[1]
			p, fieldLines, msgs := mgw3Policy(name, body)
			for _, m := range msgs {
				bad(m.line, level, name.Value, index, "%s", m.msg)
			}
			if len(msgs) > 0 {
				continue
			}
			*out = append(*out, p)
			lines[level] = append(lines[level], fieldLines)
		}
	}
	if len(probs) > 0 {
		return File{}, &ValidationError{Problems: probs}
	}
	loc := func(level string, index int, field []string) int {
		ls := lines[level]
		if index >= len(ls) {
			return 0
		}
		if len(field) > 0 {
			if l, ok := ls[index][field[len(field)-1]]; ok {
				return l
			}
		}
		return ls[index][""]
	}
	if issues := validate(f); len(issues) > 0 {
		return File{}, &ValidationError{Problems: problems(f, mgw3Source, issues, loc)}
	}
	return f, nil
}

type lineMsg struct {
	line int
	msg  string
}

// mgw3Policy reads "name: {count, unitTime, timeUnit}". fieldLines maps
// the policies.yaml field names to lines ("" is the entry itself).
func mgw3Policy(name, body *yaml.Node) (Policy, map[string]int, []lineMsg) {
	var msgs []lineMsg
	fieldLines := map[string]int{"": name.Line, "name": name.Line}
	p := Policy{Name: name.Value, Limit: Limit{Type: LimitRequestCount}}
	if name.Kind != yaml.ScalarNode {
		return p, fieldLines, []lineMsg{{name.Line, "the policy name must be plain text"}}
	}
	if body.Kind != yaml.MappingNode {
		return p, fieldLines, []lineMsg{{body.Line, "expected count, unitTime and timeUnit under the policy name"}}
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(body.Content); i += 2 {
		k, v := body.Content[i], body.Content[i+1]
		if seen[k.Value] {
			msgs = append(msgs, lineMsg{k.Line, fmt.Sprintf("key %q appears twice; keep one", k.Value)})
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "count", "unitTime":
			n, err := strconv.ParseInt(strings.TrimSpace(v.Value), 10, 64)
			if v.Kind != yaml.ScalarNode || err != nil {
				msgs = append(msgs, lineMsg{v.Line, fmt.Sprintf("%s must be a whole number, got %q", k.Value, v.Value)})
				continue
			}
			if k.Value == "count" {
				p.Limit.RequestCount = n
				fieldLines["requestCount"] = v.Line
			} else {
				p.Limit.UnitTime = n
				fieldLines["unitTime"] = v.Line
			}
		case "timeUnit":
			if v.Kind != yaml.ScalarNode {
				msgs = append(msgs, lineMsg{v.Line, "timeUnit must be text such as min"})
				continue
			}
			p.Limit.TimeUnit = v.Value
			fieldLines["timeUnit"] = v.Line
		default:
			msgs = append(msgs, lineMsg{k.Line, fmt.Sprintf("unknown key %q; valid keys are count, unitTime and timeUnit", k.Value)})
		}
	}
	return p, fieldLines, msgs
}

// levelPtr returns the policies of a level for appending.
func (f *File) levelPtr(level string) *[]Policy {
	for _, lv := range f.levels() {
		if lv.name == level {
			return lv.policies
		}
	}
	return nil
}
