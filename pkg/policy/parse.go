package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Parse decodes and checks policies.yaml. path names the file in messages.
// Unknown keys, values of the wrong type and every invalid policy are
// reported together in a *ValidationError, each with its line and policy.
// An empty file holds no policies.
func Parse(path string, data []byte) (File, error) {
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(&f)
	if errors.Is(err, io.EOF) {
		return File{}, nil
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // for line numbers; a failure shows in err
	if err != nil {
		return File{}, decodeError(path, &root, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		line := extra.Line
		if err != nil {
			line = 0
		}
		return File{}, &ValidationError{Problems: []Problem{{Source: path, Line: line,
			Message: "the file holds more than one YAML document (a \"---\" separator); keep only the policies document"}}}
	}
	if issues := validate(f); len(issues) > 0 {
		return File{}, &ValidationError{Problems: problems(f, path, issues, nodeLocator(&root))}
	}
	return f, nil
}

var (
	reLine    = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	reUnknown = regexp.MustCompile(`^field (.+) not found in type (\S+)$`)
	reType    = regexp.MustCompile("^cannot unmarshal (!!\\w+)(?: `(.*)`)? into (\\S+)$")
	reDupKey  = regexp.MustCompile(`^mapping key "(.*)" already defined at line (\d+)$`)
)

// decodeError turns yaml.v3's errors into Problems with lines, policy
// names and wording for people.
func decodeError(path string, root *yaml.Node, err error) error {
	var msgs []string
	var te *yaml.TypeError
	syntax := !errors.As(err, &te)
	if syntax {
		msgs = []string{err.Error()}
	} else {
		msgs = te.Errors
	}
	out := &ValidationError{}
	for _, m := range msgs {
		p := Problem{Source: path, Message: strings.TrimPrefix(m, "yaml: ")}
		if sm := reLine.FindStringSubmatch(p.Message); sm != nil {
			p.Line, _ = strconv.Atoi(sm[1])
			p.Message = friendlyYAMLMessage(sm[2])
		}
		if syntax {
			p.Message = "invalid YAML: " + p.Message
		}
		if p.Line > 0 {
			p.Level, p.Policy, p.Index = policyAt(root, p.Line)
		}
		out.Problems = append(out.Problems, p)
	}
	return out
}

func friendlyYAMLMessage(m string) string {
	if sm := reUnknown.FindStringSubmatch(m); sm != nil {
		where, keys := knownKeys(sm[2])
		return fmt.Sprintf("unknown key %q in %s; valid keys are %s", sm[1], where, keys)
	}
	if sm := reType.FindStringSubmatch(m); sm != nil {
		got := map[string]string{"!!str": "text", "!!int": "a number", "!!float": "a decimal number", "!!bool": "true/false",
			"!!seq": "a list", "!!map": "a mapping", "!!null": "nothing", "!!binary": "binary data", "!!timestamp": "a date"}[sm[1]]
		if got == "" {
			got = sm[1]
		}
		if sm[2] != "" {
			got += fmt.Sprintf(" (%s)", sm[2])
		}
		return fmt.Sprintf("found %s where %s is expected", got, describeGoType(sm[3]))
	}
	if sm := reDupKey.FindStringSubmatch(m); sm != nil {
		return fmt.Sprintf("key %q appears twice (first at line %s); keep one", sm[1], sm[2])
	}
	return m
}

func knownKeys(goType string) (string, string) {
	switch goType {
	case "policy.File":
		return "the file", "application, subscription, advanced and blocking"
	case "policy.BlockingCondition":
		return "a blocking condition", "id, type, value, ip, startingIP, endingIP, invert and enabled"
	case "policy.Policy":
		return "a policy", "name, displayName, description, limit, rateLimitCount, rateLimitTimeUnit, stopOnQuotaReach, billingPlan and customAttributes"
	case "policy.Limit":
		return "a limit", "type, requestCount, dataAmount, dataUnit, unitTime and timeUnit"
	}
	return goType, "listed in the documentation"
}

func describeGoType(t string) string {
	switch {
	case t == "policy.File":
		return "a mapping with the keys application, subscription, advanced and blocking"
	case t == "[]policy.BlockingCondition":
		return "a list of blocking conditions"
	case t == "policy.BlockingCondition":
		return "a blocking condition (a mapping with type and value, ip or startingIP and endingIP)"
	case t == "[]policy.Policy":
		return "a list of policies"
	case t == "policy.Policy":
		return "a policy (a mapping with name, limit, …)"
	case t == "policy.Limit":
		return "a limit (a mapping with type, requestCount or dataAmount, unitTime, timeUnit)"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "a whole number"
	case t == "string":
		return "text"
	case t == "bool", t == "*bool":
		return "true or false"
	case strings.HasPrefix(t, "map["):
		return "a mapping of names to text"
	}
	return t
}

// documentMapping returns the top mapping of a parsed document, or nil.
func documentMapping(root *yaml.Node) *yaml.Node {
	n := root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	return n
}

// mapValue returns the value node of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	_, v := mapEntry(m, key)
	return v
}

// mapEntry returns the key and value nodes of key in mapping m, or nils.
func mapEntry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

// nodeLocator finds lines in the standard policies.yaml: the field's key
// if present, else the nearest enclosing one.
func nodeLocator(root *yaml.Node) locator {
	top := documentMapping(root)
	return func(level string, index int, field []string) int {
		seq := mapValue(top, level)
		if seq == nil || seq.Kind != yaml.SequenceNode || index >= len(seq.Content) {
			return 0
		}
		n := seq.Content[index]
		line := n.Line
		for _, key := range field {
			if n.Kind == yaml.SequenceNode {
				i, err := strconv.Atoi(key)
				if err != nil || i < 0 || i >= len(n.Content) {
					break
				}
				n, line = n.Content[i], n.Content[i].Line
				continue
			}
			k, v := mapEntry(n, key)
			if k == nil {
				break
			}
			n, line = v, k.Line
		}
		return line
	}
}

// policyAt finds the policy whose lines include line.
func policyAt(root *yaml.Node, line int) (level, name string, index int) {
	top := documentMapping(root)
	for _, lv := range []string{LevelApplication, LevelSubscription, LevelAdvanced, LevelBlocking} {
		seq := mapValue(top, lv)
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		for i, item := range seq.Content {
			end := int(^uint(0) >> 1)
			if i+1 < len(seq.Content) {
				end = seq.Content[i+1].Line
			}
			if line >= item.Line && line < end && lastLine(item) >= line {
				key := "name"
				if lv == LevelBlocking {
					key = "id"
				}
				if v := mapValue(item, key); v != nil && v.Kind == yaml.ScalarNode {
					name = v.Value
				}
				return lv, name, i + 1
			}
		}
	}
	return "", "", 0
}

// lastLine returns the last line a node spans.
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		if l := lastLine(c); l > last {
			last = l
		}
	}
	return last
}
