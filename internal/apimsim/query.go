package apimsim

import (
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// searchAttributes are the attributes the query parameter may name.
var searchAttributes = []string{"name", "version", "context", "status", "description", "provider", "label"}

// searchTerm is one attribute:value term of the Publisher's query
// parameter. Key is lower case, or empty for a bare word (a name search).
type searchTerm struct {
	Key   string
	Value string
}

// String renders the term as it is written in a query.
func (t searchTerm) String() string {
	if t.Key == "" {
		return t.Value
	}
	return t.Key + ":" + t.Value
}

// parseSearchQuery parses the (already URL-decoded) query parameter of
// GET /apis: space-separated attribute:value terms.
func parseSearchQuery(q string) ([]searchTerm, error) {
	var terms []searchTerm
	for _, word := range strings.Fields(q) {
		key, value, found := strings.Cut(word, ":")
		if !found {
			terms = append(terms, searchTerm{Value: word})
			continue
		}
		key = strings.ToLower(key)
		switch {
		case key == "":
			return nil, fmt.Errorf("search term %q has no attribute before ':'; write attribute:value, e.g. label:demo", word)
		case value == "":
			return nil, fmt.Errorf("search term %q has no value after ':'; write attribute:value, e.g. label:demo", word)
		case !isSearchAttribute(key):
			return nil, fmt.Errorf("search attribute %q is not supported; use one of %s", key, strings.Join(searchAttributes, ", "))
		}
		terms = append(terms, searchTerm{Key: key, Value: value})
	}
	return terms, nil
}

func isSearchAttribute(key string) bool {
	for _, a := range searchAttributes {
		if a == key {
			return true
		}
	}
	return false
}

// label returns the value of the first label term, or "".
func labelOf(terms []searchTerm) string {
	for _, t := range terms {
		if t.Key == "label" {
			return t.Value
		}
	}
	return ""
}

// matchesAll reports whether a matches every term.
func matchesAll(terms []searchTerm, a *apim.API) bool {
	for _, t := range terms {
		if !t.matches(a) {
			return false
		}
	}
	return true
}

// matches reports whether a matches the term. name and description (and bare
// words) match a part of the value unless the value has a wildcard; the
// other attributes match the whole value. Case is ignored.
func (t searchTerm) matches(a *apim.API) bool {
	switch t.Key {
	case "", "name":
		return partMatch(t.Value, a.Name)
	case "description":
		return partMatch(t.Value, a.Description)
	case "version":
		return globMatch(t.Value, a.Version)
	case "context":
		return globMatch(t.Value, a.Context)
	case "status":
		return globMatch(t.Value, a.Status)
	case "provider":
		return globMatch(t.Value, a.Provider)
	case "label":
		for _, l := range a.Labels {
			if globMatch(t.Value, l.Name) {
				return true
			}
		}
	}
	return false
}

// partMatch matches s containing pattern, or the glob pattern if it has a *.
func partMatch(pattern, s string) bool {
	if strings.Contains(pattern, "*") {
		return globMatch(pattern, s)
	}
	return strings.Contains(strings.ToLower(s), strings.ToLower(pattern))
}

// globMatch matches s against pattern, where * matches any run of
// characters; case is ignored.
func globMatch(pattern, s string) bool {
	pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, last)
}

// page returns the APIs of the catalog that match every term, limit of
// them from offset on, and how many match in all.
func (c *catalog) page(terms []searchTerm, offset, limit int) ([]*apiEntry, int) {
	var matched []*apiEntry
	for _, e := range c.apis {
		if matchesAll(terms, &e.api) {
			matched = append(matched, e)
		}
	}
	total := len(matched)
	if offset >= total {
		return nil, total
	}
	return matched[offset:min(offset+limit, total)], total
}
