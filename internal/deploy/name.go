package deploy

import (
	"fmt"
	"regexp"
	"strings"
)

// labelRE is the workspace's rule for label names.
var labelRE = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// ObjectName returns the Kubernetes name of a label's objects: the label
// lower-cased, '.' and '_' turned into '-', leading and trailing '-'
// trimmed, at most 63 characters. A name that would start with a digit
// gets the prefix "mgw-", because Service names must start with a letter
// (DNS-1035). A label that leaves nothing is refused.
func ObjectName(label string) (string, error) {
	if !labelRE.MatchString(label) {
		return "", fmt.Errorf("label %q: use letters, digits, '.', '_' and '-'", label)
	}
	n := strings.Trim(strings.NewReplacer(".", "-", "_", "-").Replace(strings.ToLower(label)), "-")
	if n == "" {
		return "", fmt.Errorf("label %q gives no Kubernetes name: it needs a letter or digit", label)
	}
	if n[0] >= '0' && n[0] <= '9' {
		n = "mgw-" + n
	}
	if len(n) > 63 {
		n = strings.TrimRight(n[:63], "-")
	}
	return n, nil
}
