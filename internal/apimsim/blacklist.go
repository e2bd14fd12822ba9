package apimsim

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/mgwio/mgw/pkg/apim"
)

// scopeBlacklistView is the scope of GET /throttling/blacklist.
const scopeBlacklistView = "apim:bl_view"

// blacklistFile is the fixture of the blocking conditions; without it the
// server has none.
const blacklistFile = "policies/blacklist.json"

// hostileBlacklist are valid blocking conditions whose values hold
// quotes, backticks, "{{", "*/" and non-ASCII, added with
// Options.HostilePolicies: they must reach the generated gateway as data.
func hostileBlacklist() []apim.BlockingCondition {
	return []apim.BlockingCondition{
		{ConditionID: "hostile-user", ConditionType: "USER", ConditionValue: "evil\"`{{.}}*/ üser@carbon.super"},
		{ConditionID: "hostile-app", ConditionType: "APPLICATION", ConditionValue: "own\"er`:App */ {{printf}} ∑"},
		{ConditionID: "hostile-api", ConditionType: "API", ConditionValue: "/ev\"il`/*/1.0"},
	}
}

// loadBlacklist reads and checks policies/blacklist.json and returns the
// body GET /throttling/blacklist answers ({"count":0,"list":[]} when the
// file is absent), with extra conditions appended.
func loadBlacklist(fsys fs.FS, extra []apim.BlockingCondition) ([]byte, error) {
	if _, err := fs.Stat(fsys, blacklistFile); errors.Is(err, fs.ErrNotExist) {
		return encodeJSON(apim.BlockingConditionList{Count: len(extra), List: append([]apim.BlockingCondition{}, extra...)})
	}
	var typed apim.BlockingConditionList
	if err := readStrict(fsys, blacklistFile, &typed); err != nil {
		return nil, err
	}
	if typed.Count != len(typed.List) {
		return nil, fmt.Errorf("%s: count is %d but list has %d conditions; make count match", blacklistFile, typed.Count, len(typed.List))
	}
	ids := map[string]bool{}
	for i, c := range typed.List {
		if c.ConditionID == "" || c.ConditionType == "" || c.ConditionValue == "" {
			return nil, fmt.Errorf("%s: condition %d needs conditionId, conditionType and conditionValue", blacklistFile, i+1)
		}
		if ids[c.ConditionID] {
			return nil, fmt.Errorf("%s: conditionId %q is listed twice", blacklistFile, c.ConditionID)
		}
		ids[c.ConditionID] = true
	}
	if len(extra) == 0 {
		// Serve the file as it is: conditions of any type, as the real
		// server lists what its database holds.
		return fs.ReadFile(fsys, blacklistFile)
	}
	typed.List = append(typed.List, extra...)
	typed.Count = len(typed.List)
	return encodeJSON(typed)
}

// handleBlacklist serves GET /api/am/admin/v0.14/throttling/blacklist:
// every blocking condition, in one answer (the v0.14 resource has no
// paging).
func (s *Server) handleBlacklist(w http.ResponseWriter, r *http.Request) {
	writeRaw(w, http.StatusOK, s.cat.blacklist)
}
