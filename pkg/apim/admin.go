package apim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// Throttling policy levels of the Admin API.
const (
	LevelApplication  = "application"
	LevelSubscription = "subscription"
	LevelAdvanced     = "advanced"
)

// Policies returns the throttling policies of one level: LevelApplication,
// LevelSubscription or LevelAdvanced (API and resource policies).
func (c *Client) Policies(ctx context.Context, level string) ([]ThrottlePolicy, error) {
	switch level {
	case LevelApplication, LevelSubscription, LevelAdvanced:
	default:
		return nil, fmt.Errorf("unknown throttling policy level %q: use %q, %q or %q",
			level, LevelApplication, LevelSubscription, LevelAdvanced)
	}
	rq := request{
		kind:   kindAdmin,
		op:     fmt.Sprintf("list the %s throttling policies", level),
		method: http.MethodGet,
		url:    c.admin + "/throttling/policies/" + level,
		bearer: true,
		scope:  ScopeTierView,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, c.statusError(rq, resp)
	}
	list, err := DecodePolicyList(resp.body)
	if err != nil {
		return nil, c.malformed(rq, resp, err)
	}
	return list.List, nil
}

// AdvancedPolicy returns one advanced policy with its conditional groups,
// which the list of Policies(LevelAdvanced) leaves out.
func (c *Client) AdvancedPolicy(ctx context.Context, policyID string) (ThrottlePolicy, error) {
	if policyID == "" {
		return ThrottlePolicy{}, fmt.Errorf("get an advanced throttling policy: the policy has no policyId")
	}
	rq := request{
		kind:   kindAdmin,
		op:     fmt.Sprintf("get the advanced throttling policy %s", policyID),
		method: http.MethodGet,
		url:    c.admin + "/throttling/policies/advanced/" + url.PathEscape(policyID),
		bearer: true,
		scope:  ScopeTierView,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return ThrottlePolicy{}, err
	}
	if resp.status != http.StatusOK {
		return ThrottlePolicy{}, c.statusError(rq, resp)
	}
	p, err := DecodePolicy(resp.body)
	if err != nil {
		return ThrottlePolicy{}, c.malformed(rq, resp, err)
	}
	return p, nil
}
