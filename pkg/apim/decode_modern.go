package apim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// modernListEnvelope is ModernAPIList with the items kept raw.
type modernListEnvelope struct {
	Count      int               `json:"count"`
	List       []json.RawMessage `json:"list"`
	Pagination *ModernPagination `json:"pagination"`
}

// DecodeModernAPIList decodes the Publisher v1/v4 answer to GET /apis.
// Every item needs an id, a name and a version.
func DecodeModernAPIList(data []byte) (ModernAPIList, error) {
	const what = "API list"
	var env modernListEnvelope
	if err := decodeObject(data, what, &env); err != nil {
		return ModernAPIList{}, err
	}
	if env.Count < 0 {
		return ModernAPIList{}, &DecodeError{What: what, Problem: fmt.Sprintf("count is negative (%d)", env.Count)}
	}
	if p := env.Pagination; p != nil && (p.Offset < 0 || p.Limit < 0 || p.Total < 0) {
		return ModernAPIList{}, &DecodeError{What: what, Problem: fmt.Sprintf("pagination has a negative value (offset %d, limit %d, total %d)", p.Offset, p.Limit, p.Total)}
	}
	out := ModernAPIList{Count: env.Count, Pagination: env.Pagination, List: make([]ModernAPIInfo, 0, len(env.List))}
	for i, raw := range env.List {
		where := fmt.Sprintf("item %d of the API list", i+1)
		var info ModernAPIInfo
		if err := decodeObject(raw, "API", &info); err != nil {
			var de *DecodeError
			if errors.As(err, &de) {
				de.What = apiLabel(peekNameVersion(raw), where)
			}
			relocate(err, data, raw)
			return ModernAPIList{}, err
		}
		if info.ID == "" || info.Name == "" || info.Version == "" {
			return ModernAPIList{}, &DecodeError{What: apiLabel([2]string{info.Name, info.Version}, where), Problem: "id, name and version are required"}
		}
		out.List = append(out.List, info)
	}
	return out, nil
}

// DecodeModernAPI decodes one Publisher v1/v4 API DTO (GET /apis/{apiId}).
// Name and version are required; endpointConfig must be an object or null.
func DecodeModernAPI(data []byte) (ModernAPI, error) {
	var api ModernAPI
	if err := decodeObject(data, "API", &api); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			de.What = apiLabel(peekNameVersion(data), "")
		}
		return ModernAPI{}, err
	}
	what := apiLabel([2]string{api.Name, api.Version}, "")
	if api.Name == "" || api.Version == "" {
		return ModernAPI{}, &DecodeError{What: what, Problem: "name and version are required"}
	}
	if ec := bytes.TrimSpace(api.EndpointConfig); len(ec) > 0 && ec[0] != '{' && string(ec) != "null" {
		return ModernAPI{}, &DecodeError{What: what, Problem: "endpointConfig must be a JSON object, got " + describeStart(ec)}
	}
	return api, nil
}

// deploymentEnvelope is the {count, list} form of a deployment list.
type deploymentEnvelope struct {
	Count int               `json:"count"`
	List  []json.RawMessage `json:"list"`
}

// DecodeDeployments decodes the Publisher v4 answer to GET
// /apis/{apiId}/deployments: a JSON array of deployments or, as some 4.x
// updates send it, a {count, list} object. Each needs revisionUuid and name.
func DecodeDeployments(data []byte) ([]Deployment, error) {
	const what = "deployment list"
	trimmed := bytes.TrimSpace(data)
	var items []json.RawMessage
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		if err := json.Unmarshal(trimmed, &items); err != nil {
			return nil, jsonError(data, what, err)
		}
	default:
		var env deploymentEnvelope
		if err := decodeObject(data, what, &env); err != nil {
			return nil, err
		}
		items = env.List
	}
	out := make([]Deployment, 0, len(items))
	for i, raw := range items {
		var d Deployment
		item := fmt.Sprintf("deployment %d", i+1)
		if err := decodeObject(raw, item, &d); err != nil {
			relocate(err, data, raw)
			return nil, err
		}
		if d.RevisionUUID == "" || d.Name == "" {
			return nil, &DecodeError{What: item, Problem: "revisionUuid and name (the gateway environment) are required"}
		}
		out = append(out, d)
	}
	return out, nil
}

// modernPolicyEnvelope is ModernPolicyList with the items kept raw.
type modernPolicyEnvelope struct {
	Count int               `json:"count"`
	List  []json.RawMessage `json:"list"`
}

// DecodeModernPolicyList decodes the Admin v1/v4 list of throttling
// policies of one level. Each policy needs a policyName.
func DecodeModernPolicyList(data []byte) (ModernPolicyList, error) {
	var env modernPolicyEnvelope
	if err := decodeObject(data, "policy list", &env); err != nil {
		return ModernPolicyList{}, err
	}
	if env.Count < 0 {
		return ModernPolicyList{}, &DecodeError{What: "policy list", Problem: fmt.Sprintf("count is negative (%d)", env.Count)}
	}
	out := ModernPolicyList{Count: env.Count, List: make([]ModernPolicy, 0, len(env.List))}
	for i, raw := range env.List {
		p, err := decodeModernPolicy(raw, fmt.Sprintf("item %d of the policy list", i+1))
		if err != nil {
			relocate(err, data, raw)
			return ModernPolicyList{}, err
		}
		out.List = append(out.List, p)
	}
	return out, nil
}

// DecodeModernPolicy decodes one Admin v1/v4 policy, as GET
// /throttling/policies/advanced/{policyId} returns it.
func DecodeModernPolicy(data []byte) (ModernPolicy, error) {
	return decodeModernPolicy(data, "")
}

func decodeModernPolicy(data []byte, where string) (ModernPolicy, error) {
	what := "policy"
	if where != "" {
		what += " (" + where + ")"
	}
	var p ModernPolicy
	if err := decodeObject(data, what, &p); err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			if name := peekString(data, "policyName"); name != "" {
				de.What = fmt.Sprintf("policy %q", name)
				if where != "" {
					de.What += " (" + where + ")"
				}
			}
		}
		return ModernPolicy{}, err
	}
	if p.PolicyName == "" {
		return ModernPolicy{}, &DecodeError{What: what, Problem: "policyName is missing"}
	}
	return p, nil
}
