package apimsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
)

// Policy levels served by the Admin API.
const (
	levelApplication  = "application"
	levelSubscription = "subscription"
	levelAdvanced     = "advanced"
)

var policyLevels = []string{levelApplication, levelSubscription, levelAdvanced}

// catalog is the immutable data a Server serves.
type catalog struct {
	apis     []*apiEntry          // sorted by name, version, id
	byID     map[string]*apiEntry // by UUID
	policies map[string][]byte    // level -> Admin list body
	advanced map[string][]byte    // policyId -> one advanced policy, with conditional groups
	// blacklist is the body of GET /throttling/blacklist.
	blacklist []byte
	users     map[string]user // by username
}

// apiEntry is one API: the decoded DTO for searching and the exact JSON the
// Publisher returns for it.
type apiEntry struct {
	api apim.API
	raw json.RawMessage
}

// user is one entry of users.json.
type user struct {
	Username string   `json:"username"`
	Password string   `json:"password"`
	Scopes   []string `json:"scopes"`
}

func (u user) hasScope(scope string) bool {
	for _, s := range u.Scopes {
		if s == scope {
			return true
		}
	}
	return false
}

// loadCatalog reads the fixtures folder and adds the generated special labels.
func loadCatalog(fsys fs.FS, hostilePolicies bool) (*catalog, error) {
	c := &catalog{byID: map[string]*apiEntry{}, policies: map[string][]byte{}, advanced: map[string][]byte{}}
	users, err := loadUsers(fsys)
	if err != nil {
		return nil, err
	}
	c.users = users
	for _, level := range policyLevels {
		var extra []apim.ThrottlePolicy
		if hostilePolicies {
			extra = hostilePolicyList(level)
		}
		body, byID, err := loadPolicies(fsys, level, extra)
		if err != nil {
			return nil, err
		}
		c.policies[level] = body
		if level == levelAdvanced {
			c.advanced = byID
		}
	}
	var extraBlocks []apim.BlockingCondition
	if hostilePolicies {
		extraBlocks = hostileBlacklist()
	}
	if c.blacklist, err = loadBlacklist(fsys, extraBlocks); err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "apis/*.json")
	if err != nil {
		return nil, fmt.Errorf("list apis/*.json: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if err := c.add(name, data); err != nil {
			return nil, err
		}
	}
	for _, a := range specialAPIs() {
		data, err := encodeJSON(a)
		if err != nil {
			return nil, fmt.Errorf("encode generated API %q: %w", a.Name, err)
		}
		if err := c.insert("generated API "+a.Name, &apiEntry{api: a, raw: data}); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(c.apis, func(i, j int) bool { return lessAPI(&c.apis[i].api, &c.apis[j].api) })
	return c, nil
}

// add decodes and checks one API DTO; source names it in errors.
func (c *catalog) add(source string, data []byte) error {
	var a apim.API
	if err := decodeStrict(data, &a); err != nil {
		return fmt.Errorf("%s: %w (the file must be one API DTO as GET /apis/{apiId} returns it)", source, err)
	}
	var missing []string
	for _, f := range []struct{ name, value string }{
		{"id", a.ID}, {"name", a.Name}, {"version", a.Version}, {"context", a.Context}, {"status", a.Status},
	} {
		if strings.TrimSpace(f.value) == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: missing %s; every API needs id, name, version, context and status", source, strings.Join(missing, ", "))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, data); err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	return c.insert(source, &apiEntry{api: a, raw: buf.Bytes()})
}

// insert adds an API whose id must be new.
func (c *catalog) insert(source string, e *apiEntry) error {
	if prev, dup := c.byID[e.api.ID]; dup {
		return fmt.Errorf("%s: id %q is already used by API %q %q; ids must be unique", source, e.api.ID, prev.api.Name, prev.api.Version)
	}
	c.apis = append(c.apis, e)
	c.byID[e.api.ID] = e
	return nil
}

// lessAPI orders APIs by name, then version (case-insensitively), then id.
func lessAPI(a, b *apim.API) bool {
	if x, y := strings.ToLower(a.Name), strings.ToLower(b.Name); x != y {
		return x < y
	}
	if x, y := strings.ToLower(a.Version), strings.ToLower(b.Version); x != y {
		return x < y
	}
	return a.ID < b.ID
}

// loadUsers reads users.json.
func loadUsers(fsys fs.FS) (map[string]user, error) {
	var f struct {
		Users []user `json:"users"`
	}
	if err := readStrict(fsys, "users.json", &f); err != nil {
		return nil, err
	}
	users := map[string]user{}
	for i, u := range f.Users {
		if u.Username == "" || u.Password == "" {
			return nil, fmt.Errorf("users.json: user %d needs a non-empty username and password", i+1)
		}
		if _, dup := users[u.Username]; dup {
			return nil, fmt.Errorf("users.json: user %q is listed twice", u.Username)
		}
		users[u.Username] = u
	}
	if len(users) == 0 {
		return nil, errors.New(`users.json: no users; add {"username":..,"password":..,"scopes":[..]}`)
	}
	return users, nil
}

// loadPolicies reads policies/<level>.json, checks it and returns the list
// body the Admin API serves, with extra policies appended, and each policy
// by policyId. The list leaves out conditionalGroups, as the real list
// (AdvancedThrottlePolicyInfo) does; the single policy keeps them.
func loadPolicies(fsys fs.FS, level string, extra []apim.ThrottlePolicy) ([]byte, map[string][]byte, error) {
	name := path.Join("policies", level+".json")
	var typed apim.ThrottlePolicyList
	if err := readStrict(fsys, name, &typed); err != nil {
		return nil, nil, err
	}
	if typed.Count != len(typed.List) {
		return nil, nil, fmt.Errorf("%s: count is %d but list has %d policies; make count match", name, typed.Count, len(typed.List))
	}
	seen := map[string]bool{}
	for i, p := range typed.List {
		if p.PolicyName == "" {
			return nil, nil, fmt.Errorf("%s: policy %d has no policyName", name, i+1)
		}
		if seen[p.PolicyName] {
			return nil, nil, fmt.Errorf("%s: policy %q is listed twice", name, p.PolicyName)
		}
		seen[p.PolicyName] = true
		if p.DefaultLimit == nil {
			return nil, nil, fmt.Errorf("%s: policy %q has no defaultLimit", name, p.PolicyName)
		}
		if t := p.DefaultLimit.Type; t != "RequestCountLimit" && t != "BandwidthLimit" {
			return nil, nil, fmt.Errorf("%s: policy %q: defaultLimit.type is %q; use RequestCountLimit or BandwidthLimit", name, p.PolicyName, t)
		}
	}
	// Serve the file's own JSON (it keeps nulls and empty lists like the
	// real server), only appending the extra policies.
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", name, err)
	}
	var raw struct {
		Count int               `json:"count"`
		List  []json.RawMessage `json:"list"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	if raw.List == nil {
		raw.List = []json.RawMessage{}
	}
	for _, p := range extra {
		item, err := encodeJSON(p)
		if err != nil {
			return nil, nil, fmt.Errorf("encode policy %q: %w", p.PolicyName, err)
		}
		raw.List = append(raw.List, item)
	}
	byID := map[string][]byte{}
	for i, item := range raw.List {
		if p := typedOrExtra(typed.List, extra, i); p.PolicyID != "" {
			byID[p.PolicyID] = item
		}
		info, err := withoutKey(item, "conditionalGroups")
		if err != nil {
			return nil, nil, fmt.Errorf("%s: policy %d: %w", name, i+1, err)
		}
		raw.List[i] = info
	}
	raw.Count = len(raw.List)
	body, err := encodeJSON(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("encode %s: %w", name, err)
	}
	return body, byID, nil
}

// typedOrExtra returns policy i of the file followed by the extra ones.
func typedOrExtra(file, extra []apim.ThrottlePolicy, i int) apim.ThrottlePolicy {
	if i < len(file) {
		return file[i]
	}
	return extra[i-len(file)]
}

// withoutKey returns the JSON object item without key; item itself when it
// has no such key.
func withoutKey(item json.RawMessage, key string) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(item, &m); err != nil {
		return nil, err
	}
	if _, ok := m[key]; !ok {
		return item, nil
	}
	delete(m, key)
	return encodeJSON(m)
}
