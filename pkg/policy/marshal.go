package policy

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"gopkg.in/yaml.v3"
)

// header starts every policies.yaml mgw writes.
const header = "# Throttling policies of this label, written by mgw setup from the API Manager (edit with care: mgw setup -f replaces this file).\n"

// Marshal renders f as policies.yaml: a header comment, then the levels in
// the order application, subscription, advanced, each sorted by name. The
// same File always gives the same bytes. An invalid File is an error.
func Marshal(f File) ([]byte, error) {
	if issues := validate(f); len(issues) > 0 {
		return nil, &ValidationError{Problems: problems(f, "policies to write", issues, nil)}
	}
	sorted := File{
		Application:  sortedByName(f.Application),
		Subscription: sortedByName(f.Subscription),
		Advanced:     sortedByName(f.Advanced),
		Blocking:     sortedBlocking(f.Blocking),
	}
	var buf bytes.Buffer
	buf.WriteString(header)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(sorted); err != nil {
		return nil, fmt.Errorf("encode policies.yaml: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode policies.yaml: %w", err)
	}
	return buf.Bytes(), nil
}

// sortedByName returns a copy of ps sorted by name (stable).
func sortedByName(ps []Policy) []Policy {
	if len(ps) == 0 {
		return nil
	}
	out := slices.Clone(ps)
	slices.SortStableFunc(out, func(a, b Policy) int { return cmp.Compare(a.Name, b.Name) })
	return out
}

// sortedBlocking returns a copy of bs in a stable order (type, then what
// it matches, then id), so that setup writes the same file whatever order
// the API Manager listed them in.
func sortedBlocking(bs []BlockingCondition) []BlockingCondition {
	if len(bs) == 0 {
		return nil
	}
	out := slices.Clone(bs)
	slices.SortStableFunc(out, func(a, b BlockingCondition) int {
		return cmp.Or(cmp.Compare(a.Type, b.Type), cmp.Compare(a.Value, b.Value), cmp.Compare(a.IP, b.IP),
			cmp.Compare(a.StartingIP, b.StartingIP), cmp.Compare(a.EndingIP, b.EndingIP), cmp.Compare(a.ID, b.ID))
	})
	return out
}
