package apim

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// Fuzz targets of the 3.x/4.x decoders and their mapping into the 2.6
// model: no panic, every failure an ErrMalformed *DecodeError (or, for an
// event limit, ErrEventLimit), accepted values stable on a round trip.

const modernAPIJSON = `{"id":"a1","name":"Pizza","context":"/pizza","version":"1.0.0","provider":"admin","lifeCycleStatus":"PUBLISHED",
"transport":["https"],"policies":["Gold"],"apiThrottlingPolicy":null,"maxTps":{"production":10},"isDefaultVersion":true,
"endpointConfig":{"endpoint_type":"http","production_endpoints":{"url":"https://b:8443/p"},
"endpoint_security":{"production":{"enabled":true,"type":"BASIC","username":"u","password":"secret-pw"}}},
"labels":["internal"],"additionalProperties":[{"name":"x","value":"y","display":false}],
"corsConfiguration":{"corsConfigurationEnabled":true,"accessControlAllowOrigins":["*"],"accessControlAllowCredentials":false,"accessControlAllowHeaders":[],"accessControlAllowMethods":["GET"]}}`

const modernAdvancedJSON = `{"policyId":"p1","policyName":"10KPerMin","isDeployed":true,"type":"AdvancedThrottlePolicy",
"defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":10000}},
"conditionalGroups":[{"description":"g","limit":{"type":"BANDWIDTHLIMIT","bandwidth":{"timeUnit":"min","unitTime":1,"dataAmount":5,"dataUnit":"MB"}},
"conditions":[{"type":"HEADERCONDITION","invertCondition":false,"headerCondition":{"headerName":"Host","headerValue":"a"}},
{"type":"IPCONDITION","invertCondition":true,"ipCondition":{"ipConditionType":"IPRANGE","startingIP":"10.0.0.0","endingIP":"10.0.0.9"}},
{"type":"IPCONDITION","invertCondition":false,"ipCondition":{"ipConditionType":"IPSPECIFIC","specificIP":"10.1.1.1"}},
{"type":"QUERYPARAMETERCONDITION","invertCondition":false,"queryParameterCondition":{"parameterName":"n","parameterValue":"v"}},
{"type":"JWTCLAIMSCONDITION","invertCondition":true,"jwtClaimsCondition":{"claimUrl":"http://wso2.org/claims/x","attribute":"y"}}]}]}`

func FuzzDecodeModernAPIList(f *testing.F) {
	f.Add([]byte(`{"count":1,"list":[{"id":"a","name":"A","context":"/a","version":"1","lifeCycleStatus":"PUBLISHED"}],"pagination":{"offset":0,"limit":25,"total":1,"next":"","previous":""}}`))
	f.Add([]byte(`{"count":1,"list":[{"name":"A","version":"1"}]}`))
	f.Add([]byte(`{"count":0,"list":[],"pagination":{"total":-1}}`))
	f.Add([]byte(`{"count":1,"list":[{"id":"a","name":"A","con`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodeModernAPIList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		for _, a := range list.List {
			if a.ID == "" || a.Name == "" || a.Version == "" {
				t.Fatalf("accepted an item without id, name or version: %+v", a)
			}
		}
		again, err := DecodeModernAPIList(mustJSON(t, list))
		if err != nil {
			t.Fatalf("re-decoding an accepted list: %v", err)
		}
		if !bytes.Equal(mustJSON(t, list), mustJSON(t, again)) {
			t.Fatalf("list changed on a round trip")
		}
	})
}

func FuzzDecodeModernAPI(f *testing.F) {
	f.Add([]byte(modernAPIJSON))
	f.Add([]byte(`{"name":"A","version":"1","endpointConfig":"{\"endpoint_type\":\"http\"}"}`))
	f.Add([]byte(`{"name":"A","version":"1","endpointConfig":{"endpoint_security":{"production":"x"}}}`))
	f.Add([]byte(`{"name":"A","version":"1","endpointConfig":null}`))
	f.Add([]byte(`{"name":"A","version":"1","endpointConfig":{"Endpoint_Security":{"production":{"password":"p"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModernAPI(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		again, err := DecodeModernAPI(mustJSON(t, m))
		if err != nil {
			t.Fatalf("re-decoding an accepted API: %v", err)
		}
		if !bytes.Equal(mustJSON(t, m), mustJSON(t, again)) {
			t.Fatalf("API changed on a round trip")
		}
		a, err := ToAPI(m, "{}", []string{"env"})
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		// The member as JSON decoders find it: by name, in any case
		// ("0endpoint_security" is another member).
		var ec map[string]json.RawMessage
		if a.EndpointConfig != "" {
			if err := json.Unmarshal([]byte(a.EndpointConfig), &ec); err != nil {
				t.Fatalf("endpointConfig is not a JSON object: %v: %s", err, a.EndpointConfig)
			}
		}
		for k := range ec {
			if strings.EqualFold(k, "endpoint_security") {
				t.Fatalf("endpoint_security (which may hold a password) was kept: %s", a.EndpointConfig)
			}
		}
	})
}

func FuzzDecodeDeployments(f *testing.F) {
	f.Add([]byte(`{"count":1,"list":[{"revisionUuid":"r1","name":"Default","vhost":"localhost","displayOnDevportal":true}]}`))
	f.Add([]byte(`[{"revisionUuid":"r1","name":"Default"}]`))
	f.Add([]byte(`[{"revisionUuid":"","name":"Default"}]`))
	f.Add([]byte(`[1]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		deps, err := DecodeDeployments(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		for _, d := range deps {
			if d.RevisionUUID == "" || d.Name == "" {
				t.Fatalf("accepted a deployment without revision or environment: %+v", d)
			}
		}
		again, err := DecodeDeployments(mustJSON(t, deps))
		if err != nil {
			t.Fatalf("re-decoding accepted deployments: %v", err)
		}
		if !bytes.Equal(mustJSON(t, deps), mustJSON(t, again)) {
			t.Fatalf("deployments changed on a round trip")
		}
	})
}

func FuzzDecodeModernPolicy(f *testing.F) {
	f.Add([]byte(modernAdvancedJSON))
	f.Add([]byte(`{"policyName":"AsyncGold","defaultLimit":{"type":"EVENTCOUNTLIMIT","eventCount":{"timeUnit":"min","unitTime":1,"eventCount":50000}}}`))
	f.Add([]byte(`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT"}}`))
	f.Add([]byte(`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"requestCount":1}},"conditionalGroups":[{"limit":null,"conditions":[]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeModernPolicy(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if m.PolicyName == "" {
			t.Fatalf("accepted a policy without a name")
		}
		again, err := DecodeModernPolicy(mustJSON(t, m))
		if err != nil {
			t.Fatalf("re-decoding an accepted policy: %v", err)
		}
		if !bytes.Equal(mustJSON(t, m), mustJSON(t, again)) {
			t.Fatalf("policy changed on a round trip")
		}
		p, err := ToThrottlePolicy(m)
		if errors.Is(err, ErrEventLimit) {
			return
		}
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if p.DefaultLimit == nil || len(p.ConditionalGroups) != len(m.ConditionalGroups) {
			t.Fatalf("mapped policy lost its limit or groups: %+v", p)
		}
	})
}

func FuzzDecodeModernPolicyList(f *testing.F) {
	f.Add([]byte(`{"count":1,"list":[` + modernAdvancedJSON + `]}`))
	f.Add([]byte(`{"count":1,"list":[{"policyName":""}]}`))
	f.Add([]byte(`{"count":-3,"list":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodeModernPolicyList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		again, err := DecodeModernPolicyList(mustJSON(t, list))
		if err != nil {
			t.Fatalf("re-decoding an accepted list: %v", err)
		}
		if !bytes.Equal(mustJSON(t, list), mustJSON(t, again)) {
			t.Fatalf("list changed on a round trip")
		}
	})
}

func FuzzDecodeModernBlockingConditionList(f *testing.F) {
	f.Add([]byte(modernBlockingJSON))
	f.Add([]byte(`{"count":1,"list":[{"conditionType":"IP","conditionValue":7}]}`))
	f.Add([]byte(`{"count":1,"list":[{"conditionType":"","conditionValue":"x"}]}`))
	f.Add([]byte(`{"count":1,"list":[{"conditionType":"IP","conditionValue":{"fixedIp":`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := DecodeModernBlockingConditionList(data)
		if err != nil {
			checkDecodeError(t, err)
			return
		}
		if list.Count != len(list.List) {
			t.Fatalf("count %d for %d conditions", list.Count, len(list.List))
		}
		for _, c := range list.List {
			if c.ConditionType == "" || c.ConditionValue == "" {
				t.Fatalf("accepted a condition without type or value: %+v", c)
			}
		}
	})
}
