package apim

import (
	"context"
	"fmt"
	"net/http"
)

// ScopeBlacklistView lets a token read the Admin API's blocking
// conditions (GET /throttling/blacklist).
const ScopeBlacklistView = "apim:bl_view"

// Blocking condition types as the Admin API writes them.
const (
	BlockAPI         = "API"
	BlockApplication = "APPLICATION"
	BlockIP          = "IP"
	BlockIPRange     = "IPRANGE"
	BlockUser        = "USER"
)

// BlockingCondition is the Admin API v0.14 #/definitions/BlockingCondition:
// a rule that refuses every matching request (fault 900805).
// ConditionValue depends on ConditionType: the API's context with its
// version ("/pizzashack/1.0.0"), "owner:application name", a user name
// ("admin@carbon.super"), or for IP and IPRANGE either a plain address or
// the JSON text API Manager 2.x stores ({"fixedIp":…,"invert":…} or
// {"startingIp":…,"endingIp":…,"invert":…}).
type BlockingCondition struct {
	ConditionID    string `json:"conditionId,omitempty"`
	ConditionType  string `json:"conditionType"`
	ConditionValue string `json:"conditionValue"`
}

// BlockingConditionList is #/definitions/BlockingConditionList. The v0.14
// resource has no paging: one response holds every condition.
type BlockingConditionList struct {
	Count int                 `json:"count"`
	List  []BlockingCondition `json:"list"`
}

// BlockingConditions returns the Admin API's blocking conditions
// (GET /throttling/blacklist on 2.6 and 3.x, GET /throttling/deny-policies
// on 4.x; scope apim:bl_view). 3.x/4.x conditions are mapped into the 2.6
// model (DecodeModernBlockingConditionList); disabled ones are left out.
func (c *Client) BlockingConditions(ctx context.Context) ([]BlockingCondition, error) {
	path := "/throttling/blacklist"
	if c.version == V4 {
		path = "/throttling/deny-policies"
	}
	rq := request{
		kind:   kindAdmin,
		op:     "list the blocking conditions",
		method: http.MethodGet,
		url:    c.admin + path,
		bearer: true,
		scope:  ScopeBlacklistView,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, c.statusError(rq, resp)
	}
	decode := DecodeBlockingConditionList
	if c.version.modern() {
		decode = DecodeModernBlockingConditionList
	}
	list, err := decode(resp.body)
	if err != nil {
		return nil, c.malformed(rq, resp, err)
	}
	return list.List, nil
}

// DecodeBlockingConditionList decodes the Admin API's list of blocking
// conditions strictly. Each condition needs a conditionType and a
// conditionValue (the definition requires both); count must match the
// list.
func DecodeBlockingConditionList(data []byte) (BlockingConditionList, error) {
	var out BlockingConditionList
	if err := decodeObject(data, "blocking condition list", &out); err != nil {
		return BlockingConditionList{}, err
	}
	if out.Count < 0 {
		return BlockingConditionList{}, &DecodeError{What: "blocking condition list", Problem: fmt.Sprintf("count is negative (%d)", out.Count)}
	}
	if out.Count != len(out.List) {
		return BlockingConditionList{}, &DecodeError{What: "blocking condition list",
			Problem: fmt.Sprintf("count is %d but the list holds %d conditions; the v0.14 list has no paging, so some would be missing", out.Count, len(out.List))}
	}
	for i, b := range out.List {
		if b.ConditionType == "" || b.ConditionValue == "" {
			what := fmt.Sprintf("blocking condition (item %d of the list", i+1)
			if b.ConditionID != "" {
				what += ", conditionId " + b.ConditionID
			}
			return BlockingConditionList{}, &DecodeError{What: what + ")", Problem: "conditionType and conditionValue are required"}
		}
	}
	return out, nil
}
