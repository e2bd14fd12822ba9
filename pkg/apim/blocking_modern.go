package apim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// ModernBlockingCondition is the Admin v1/v4 BlockingCondition: unlike
// v0.14, conditionValue is a JSON value (a string for API, APPLICATION and
// USER, an object such as {"fixedIp":…,"invert":…} for IP and IPRANGE) and
// conditionStatus says whether the condition is enabled.
type ModernBlockingCondition struct {
	ConditionID     string          `json:"conditionId,omitempty"`
	ConditionType   string          `json:"conditionType"`
	ConditionValue  json.RawMessage `json:"conditionValue"`
	ConditionStatus *bool           `json:"conditionStatus,omitempty"`
}

// modernBlockingEnvelope keeps the items raw, to name a bad one.
type modernBlockingEnvelope struct {
	Count int               `json:"count"`
	List  []json.RawMessage `json:"list"`
}

// DecodeModernBlockingConditionList decodes the Admin v1 answer to GET
// /throttling/blacklist and the v4 answer to GET /throttling/deny-policies
// into the v0.14 model: disabled conditions (conditionStatus false) are
// left out, a string value is kept as it is and an object value becomes
// its JSON text, as API Manager 2.x stores IP conditions.
func DecodeModernBlockingConditionList(data []byte) (BlockingConditionList, error) {
	const what = "blocking condition list"
	var env modernBlockingEnvelope
	if err := decodeObject(data, what, &env); err != nil {
		return BlockingConditionList{}, err
	}
	if env.Count < 0 {
		return BlockingConditionList{}, &DecodeError{What: what, Problem: fmt.Sprintf("count is negative (%d)", env.Count)}
	}
	out := BlockingConditionList{List: []BlockingCondition{}}
	for i, raw := range env.List {
		item := fmt.Sprintf("blocking condition %d", i+1)
		var m ModernBlockingCondition
		if err := decodeObject(raw, item, &m); err != nil {
			relocate(err, data, raw)
			return BlockingConditionList{}, err
		}
		value := bytes.TrimSpace(m.ConditionValue)
		if m.ConditionType == "" || len(value) == 0 || string(value) == "null" {
			return BlockingConditionList{}, &DecodeError{What: item, Problem: "conditionType and conditionValue are required"}
		}
		if m.ConditionStatus != nil && !*m.ConditionStatus {
			continue
		}
		var text string
		switch value[0] {
		case '"':
			if err := json.Unmarshal(value, &text); err != nil {
				return BlockingConditionList{}, &DecodeError{What: item, Problem: "conditionValue is not a valid JSON string"}
			}
		case '{':
			var buf bytes.Buffer
			if err := json.Compact(&buf, value); err != nil {
				return BlockingConditionList{}, &DecodeError{What: item, Problem: "conditionValue is not a valid JSON object"}
			}
			text = buf.String()
		default:
			return BlockingConditionList{}, &DecodeError{What: item, Problem: "conditionValue must be a string or an object, got " + describeStart(value)}
		}
		if strings.TrimSpace(text) == "" {
			return BlockingConditionList{}, &DecodeError{What: item, Problem: "conditionValue is empty"}
		}
		out.List = append(out.List, BlockingCondition{ConditionID: m.ConditionID, ConditionType: strings.ToUpper(m.ConditionType), ConditionValue: text})
	}
	out.Count = len(out.List)
	return out, nil
}
