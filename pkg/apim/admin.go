package apim

import (
	"context"
	"errors"
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
	if c.version.modern() {
		return c.modernPolicies(rq, resp)
	}
	list, err := DecodePolicyList(resp.body)
	if err != nil {
		return nil, c.malformed(rq, resp, err)
	}
	return list.List, nil
}

// AdvancedPolicy returns one advanced policy with its conditional groups,
// which the list of Policies(LevelAdvanced) leaves out. A 4.x policy that
// limits events is returned with an ErrEventLimit error.
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
	if c.version.modern() {
		m, err := DecodeModernPolicy(resp.body)
		if err != nil {
			return ThrottlePolicy{}, c.malformed(rq, resp, err)
		}
		p, err := ToThrottlePolicy(m)
		if err != nil && !errors.Is(err, ErrEventLimit) {
			return ThrottlePolicy{}, c.malformed(rq, resp, err)
		}
		return p, err
	}
	p, err := DecodePolicy(resp.body)
	if err != nil {
		return ThrottlePolicy{}, c.malformed(rq, resp, err)
	}
	return p, nil
}

// modernPolicies decodes a v1/v4 policy list into the 2.6 model. Policies
// with event count limits (4.x streaming APIs) are left out and logged.
func (c *Client) modernPolicies(rq request, resp response) ([]ThrottlePolicy, error) {
	list, err := DecodeModernPolicyList(resp.body)
	if err != nil {
		return nil, c.malformed(rq, resp, err)
	}
	out := make([]ThrottlePolicy, 0, len(list.List))
	for _, m := range list.List {
		p, err := ToThrottlePolicy(m)
		if errors.Is(err, ErrEventLimit) {
			c.log.Info("leaving out a throttling policy that limits events of streaming APIs", "policy", m.PolicyName)
			continue
		}
		if err != nil {
			return nil, c.malformed(rq, resp, err)
		}
		out = append(out, p)
	}
	return out, nil
}
