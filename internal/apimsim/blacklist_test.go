package apimsim

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadBlacklistChecksTheFixture(t *testing.T) {
	for name, tc := range map[string]struct{ file, want string }{
		"count":      {`{"count":2,"list":[{"conditionId":"a","conditionType":"IP","conditionValue":"1.2.3.4"}]}`, "count is 2 but list has 1"},
		"no id":      {`{"count":1,"list":[{"conditionType":"IP","conditionValue":"1.2.3.4"}]}`, "condition 1 needs conditionId"},
		"twice":      {`{"count":2,"list":[{"conditionId":"a","conditionType":"IP","conditionValue":"1"},{"conditionId":"a","conditionType":"IP","conditionValue":"2"}]}`, `"a" is listed twice`},
		"typo field": {`{"count":1,"list":[{"conditionId":"a","conditionType":"IP","conditionVal":"1"}]}`, "conditionVal"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := loadBlacklist(fstest.MapFS{blacklistFile: {Data: []byte(tc.file)}}, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), blacklistFile) {
				t.Errorf("err = %v, want one naming %s and %q", err, blacklistFile, tc.want)
			}
		})
	}
	body, err := loadBlacklist(fstest.MapFS{}, nil)
	if err != nil || string(body) != `{"count":0,"list":[]}` && !strings.Contains(string(body), `"list": []`) {
		t.Errorf("without the file: %s, %v; want an empty list", body, err)
	}
}
