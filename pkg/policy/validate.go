package policy

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Allowed values.
var (
	timeUnits     = []string{"sec", "min", "hour", "day", "week", "month", "year"}
	dataUnits     = []string{"KB", "MB", "GB"}
	rateUnits     = []string{"sec", "min"}
	billingPlans  = []string{"FREE", "COMMERCIAL"}
	limitTypes    = []string{LimitRequestCount, LimitBandwidth}
	maxPolicyName = 256
)

// Problem is one thing wrong with a policies file.
type Problem struct {
	// Source is the file name, or what the policies came from.
	Source string
	// Line is the 1-based line in Source, 0 if unknown.
	Line int
	// Level, Policy and Index (1-based, within the level) identify the
	// policy concerned, when known.
	Level  string
	Policy string
	Index  int
	// Message says what is wrong and how to fix it.
	Message string
}

// String formats the problem as "source:line: level policy "name": message".
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Source)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Level == LevelBlocking {
		fmt.Fprintf(&b, "blocking condition %d", p.Index)
		if p.Policy != "" {
			fmt.Fprintf(&b, " (id %q)", p.Policy)
		}
		b.WriteString(": ")
	} else if p.Level != "" {
		b.WriteString(p.Level)
		if p.Policy != "" {
			fmt.Fprintf(&b, " policy %q: ", p.Policy)
		} else {
			fmt.Fprintf(&b, " policy number %d: ", p.Index)
		}
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every problem found in a policies file.
type ValidationError struct {
	Problems []Problem
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0].String()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d problems with the throttling policies:", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// issue is a problem found by validate, located by level, index and the
// field path inside the policy.
type issue struct {
	level string
	index int
	field []string
	msg   string
}

// locator turns an issue's position into a line (0 if unknown).
type locator func(level string, index int, field []string) int

// validate checks every policy of f and returns all issues.
func validate(f File) []issue {
	var out []issue
	for _, lv := range f.levels() {
		seen := map[string]int{}
		for i, p := range *lv.policies {
			add := func(msg string, field ...string) {
				out = append(out, issue{level: lv.name, index: i, field: field, msg: msg})
			}
			checkPolicy(lv.name, p, add)
			if p.Name != "" {
				if first, dup := seen[p.Name]; dup {
					add(fmt.Sprintf("the name is already used by %s policy number %d; policy names must be unique within a level", lv.name, first+1), "name")
				} else {
					seen[p.Name] = i
				}
			}
		}
	}
	return append(out, validateBlocking(f)...)
}

func checkPolicy(level string, p Policy, add func(msg string, field ...string)) {
	switch {
	case p.Name == "":
		add("name is missing", "name")
	case !utf8.ValidString(p.Name) || strings.IndexFunc(p.Name, unicode.IsControl) >= 0:
		add("name must be valid UTF-8 text without control characters", "name")
	case strings.TrimSpace(p.Name) != p.Name:
		add("name must not start or end with spaces", "name")
	case len(p.Name) > maxPolicyName:
		add(fmt.Sprintf("name is longer than %d bytes", maxPolicyName), "name")
	}
	for _, f := range [][2]string{{"displayName", p.DisplayName}, {"description", p.Description}, {"billingPlan", p.BillingPlan}} {
		if !utf8.ValidString(f[1]) {
			add(f[0]+" must be valid UTF-8 text", f[0])
		}
	}
	checkLimit(p.Limit, add)
	checkGroups(level, p.ConditionalGroups, add)

	sub := level == LevelSubscription
	switch {
	case p.RateLimitCount < 0:
		add(fmt.Sprintf("rateLimitCount must not be negative, got %d; use 0 or leave it out for no burst control", p.RateLimitCount), "rateLimitCount")
	case p.RateLimitCount > 0 && !sub:
		add("rateLimitCount applies only to subscription policies; remove it", "rateLimitCount")
	case p.RateLimitCount > 0 && !contains(rateUnits, p.RateLimitTimeUnit):
		add(fmt.Sprintf("rateLimitTimeUnit %q is not valid for a rateLimitCount; use %s", p.RateLimitTimeUnit, orList(rateUnits)), "rateLimitTimeUnit")
	case p.RateLimitCount == 0 && p.RateLimitTimeUnit != "":
		add("rateLimitTimeUnit is set but rateLimitCount is not; set both or neither", "rateLimitTimeUnit")
	}
	if p.StopOnQuotaReach != nil && level == LevelAdvanced {
		add("stopOnQuotaReach applies only to application and subscription policies; remove it", "stopOnQuotaReach")
	}
	if p.BillingPlan != "" {
		switch {
		case !sub:
			add("billingPlan applies only to subscription policies; remove it", "billingPlan")
		case !contains(billingPlans, p.BillingPlan):
			add(fmt.Sprintf("billingPlan %q is not valid; use %s", p.BillingPlan, orList(billingPlans)), "billingPlan")
		}
	}
	if len(p.CustomAttributes) > 0 && !sub {
		add("customAttributes apply only to subscription policies; remove them", "customAttributes")
	}
	for k, v := range p.CustomAttributes {
		if k == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
			add("customAttributes must have non-empty names and valid UTF-8 text", "customAttributes")
			break
		}
	}
}

func checkLimit(l Limit, add func(msg string, field ...string)) {
	switch l.Type {
	case "":
		add(fmt.Sprintf("limit.type is missing; use %s", orList(limitTypes)), "limit")
	case LimitRequestCount:
		checkPositive(l.RequestCount, "requestCount", add)
		if l.DataAmount != 0 || l.DataUnit != "" {
			add("limit.dataAmount and limit.dataUnit apply only to bandwidth limits; remove them", "limit", "dataAmount")
		}
	case LimitBandwidth:
		checkPositive(l.DataAmount, "dataAmount", add)
		if !contains(dataUnits, l.DataUnit) {
			if l.DataUnit == "" {
				add(fmt.Sprintf("limit.dataUnit is missing; use %s", orList(dataUnits)), "limit")
			} else {
				add(fmt.Sprintf("limit.dataUnit %q is not valid; use %s", l.DataUnit, orList(dataUnits)), "limit", "dataUnit")
			}
		}
		if l.RequestCount != 0 {
			add("limit.requestCount applies only to requestCount limits; remove it", "limit", "requestCount")
		}
	default:
		add(fmt.Sprintf("limit.type %q is not valid; use %s", l.Type, orList(limitTypes)), "limit", "type")
	}
	checkPositive(l.UnitTime, "unitTime", add)
	switch {
	case l.TimeUnit == "":
		add(fmt.Sprintf("limit.timeUnit is missing; use %s", orList(timeUnits)), "limit")
	case !contains(timeUnits, l.TimeUnit):
		add(fmt.Sprintf("limit.timeUnit %q is not valid; use %s", l.TimeUnit, orList(timeUnits)), "limit", "timeUnit")
	}
}

func checkPositive(v int64, field string, add func(msg string, field ...string)) {
	switch {
	case v == 0:
		add(fmt.Sprintf("limit.%s is missing; give a whole number of at least 1", field), "limit")
	case v < 0:
		add(fmt.Sprintf("limit.%s must be at least 1, got %d", field, v), "limit", field)
	}
}

// problems turns issues into Problems with lines and policy names.
func problems(f File, source string, issues []issue, loc locator) []Problem {
	out := make([]Problem, 0, len(issues))
	for _, is := range issues {
		p := Problem{Source: source, Level: is.level, Index: is.index + 1, Message: is.msg}
		if ps := f.level(is.level); is.index < len(ps) {
			p.Policy = strings.ToValidUTF8(ps[is.index].Name, "\uFFFD")
		}
		if is.level == LevelBlocking && is.index < len(f.Blocking) {
			p.Policy = strings.ToValidUTF8(f.Blocking[is.index].ID, "\uFFFD")
		}
		if loc != nil {
			p.Line = loc(is.level, is.index, is.field)
		}
		out = append(out, p)
	}
	slices.SortStableFunc(out, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// orList formats "a, b or c".
func orList(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}
