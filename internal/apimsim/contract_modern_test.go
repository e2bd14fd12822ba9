package apimsim

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/mgwio/mgw/pkg/apim"
)

// The 3.x and 4.x contract tests check the simulator's answers against the
// real definitions copied into testdata/ (excerpts; SOURCES.md says which
// parts and from where): Publisher and Admin v1 of API Manager 3.2
// (Swagger 2, converted with kin-openapi), Publisher v4 and DCR v0.17
// (OpenAPI 3).

// loadSpec3 loads an OpenAPI 3 definition.
func loadSpec3(t *testing.T, file string) *spec {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	if err := doc.Validate(t.Context(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("%s is not a valid OpenAPI 3 document: %v", file, err)
	}
	return &spec{t: t, doc: doc}
}

// modernBases returns the Publisher and Admin base paths of v.
func modernBases(v apim.Version) (pub, adm string) {
	return "/api/am/publisher/" + v.RESTVersion(), "/api/am/admin/" + v.RESTVersion()
}

func TestContractCatchesWrongShapesModern(t *testing.T) {
	adm := loadSpec(t, "apim-3.2-admin-api-v1.definitions.yaml")
	for _, bad := range []string{
		`{"policyName":"x","defaultLimit":{"type":"RequestCountLimit","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":5}}}`,
		`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1}}}`,
		`{"policyName":"x","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":5}},"conditionalGroups":[{"limit":{"type":"BANDWIDTHLIMIT","bandwidth":{"timeUnit":"min","unitTime":1,"dataAmount":1,"dataUnit":"KB"}},"conditions":[{"type":"IPCondition"}]}]}`,
	} {
		if err := adm.validate(adm.component("AdvancedThrottlePolicy"), []byte(bad)); err == nil {
			t.Errorf("%s validated against AdvancedThrottlePolicy", bad)
		}
	}
	pub := loadSpec(t, "apim-3.2-publisher-api-v1.definitions.yaml")
	if err := pub.validate(pub.component("API"), []byte(`{"name":"x","context":"/x","version":"1","endpointConfig":"{}"}`)); err == nil {
		t.Error("a 3.x API with endpointConfig as a string validated")
	}
	if err := pub.validate(pub.component("APIList"), []byte(`{"count":1,"list":[],"pagination":{"next":7}}`)); err == nil {
		t.Error("a numeric next link validated")
	}
	pub4 := loadSpec3(t, "apim-4.x-publisher-api-v4.schemas.yaml")
	if err := pub4.validate(pub4.component("API"), []byte(`{"name":"a/b","context":"/x","version":"1"}`)); err == nil {
		t.Error("a 4.x API name with a slash validated")
	}
	adm4 := loadSpec3(t, "apim-4.x-admin-api-v4.schemas.yaml")
	for _, bad := range []string{
		`{"policyName":"x","defaultLimit":{"type":"FOO"}}`,
		`{"policyName":"x","defaultLimit":{"type":"EVENTCOUNTLIMIT","eventCount":{"timeUnit":"min","unitTime":1}}}`,
		`{"policyName":"","defaultLimit":{"type":"REQUESTCOUNTLIMIT","requestCount":{"timeUnit":"min","unitTime":1,"requestCount":1}}}`,
	} {
		if err := adm4.validate(adm4.component("SubscriptionThrottlePolicy"), []byte(bad)); err == nil {
			t.Errorf("%s validated against the v4 SubscriptionThrottlePolicy", bad)
		}
	}
	dcr := loadSpec3(t, "dcr-v0.17.yaml")
	if err := dcr.validate(dcr.component("DCRResult"), []byte(`{"clientId":1}`)); err == nil {
		t.Error("a numeric clientId validated")
	}
}

func TestContractModern(t *testing.T) {
	dcr := loadSpec3(t, "dcr-v0.17.yaml")
	for _, v := range []apim.Version{apim.V3, apim.V4} {
		t.Run(string(v), func(t *testing.T) {
			var pub, adm *spec
			if v == apim.V3 {
				pub = loadSpec(t, "apim-3.2-publisher-api-v1.definitions.yaml")
				adm = loadSpec(t, "apim-3.2-admin-api-v1.definitions.yaml")
				// Admin v1's IPCondition requires specificIP even for IPRANGE
				// conditions, for which the server sends it as null (see the
				// definition's own ConditionalGroup example); as with every
				// null, it counts as absent. (v4 dropped the requirement.)
				adm.component("IPCondition").Required = nil
			} else {
				pub = loadSpec3(t, "apim-4.x-publisher-api-v4.schemas.yaml")
				adm = loadSpec3(t, "apim-4.x-admin-api-v4.schemas.yaml")
			}
			// BlockingCondition.conditionValue is typed object, but the
			// server sends a string for API, APPLICATION and USER conditions
			// (the Java DTO holds an Object; v1's own example is a string):
			// any value goes.
			adm.component("BlockingCondition").Properties["conditionValue"].Value.Type = nil
			s := startSim(t, Options{Version: v})
			pubBase, admBase := modernBases(v)

			_, body := s.register("admin", "admin")
			dcr.check("DCR v0.17 registration", dcr.component("DCRResult"), body)
			tok := s.adminToken()

			// Lists of the demo and big labels; every item and every demo API.
			var ids []string
			for _, q := range []string{"label:demo", "label:big", ""} {
				resp, body := s.get(pubBase+"/apis?limit=500&query="+escapeSearchQuery(q), tok)
				wantStatus(t, resp, body, http.StatusOK)
				pub.check("list "+q, pub.component("APIList"), body)
				var l struct {
					List []json.RawMessage `json:"list"`
				}
				decode(t, body, &l)
				for _, item := range l.List {
					pub.check("list item of "+q, pub.component("APIInfo"), item)
					if q == "label:demo" {
						var info struct{ ID string }
						decode(t, item, &info)
						ids = append(ids, info.ID)
					}
				}
			}
			if len(ids) < 4 {
				t.Fatalf("label demo lists %d APIs", len(ids))
			}
			for _, id := range ids {
				if v == apim.V4 {
					resp, body := s.get(pubBase+"/apis/"+id+"/deployments", tok)
					wantStatus(t, resp, body, http.StatusOK)
					got, err := apim.DecodeDeployments(body)
					if err != nil {
						t.Fatalf("deployments of %s: %v %s", id, err, body)
					}
					if len(got) == 0 {
						continue // not published, so not deployed
					}
					id = got[0].RevisionUUID
				}
				resp, body := s.get(pubBase+"/apis/"+id, tok)
				wantStatus(t, resp, body, http.StatusOK)
				pub.check("API "+id, pub.component("API"), body)
				if v == apim.V4 && !strings.Contains(string(body), `"isRevision":true`) {
					t.Errorf("the deployed revision is not marked as one: %.300s", body)
				}
				resp, body = s.get(pubBase+"/apis/"+id+"/swagger", tok)
				wantStatus(t, resp, body, http.StatusOK)
			}
			resp, body := s.get(pubBase+"/apis/11111111-2222-4333-8444-555555555555", tok)
			wantStatus(t, resp, body, http.StatusNotFound)
			pub.check("404", pub.component("Error"), body)
			_, body = s.get(pubBase+"/apis", "")
			pub.check("401", pub.component("Error"), body)

			// Admin: v1 for 3.x, v4 for 4.x.
			lists := map[string]string{levelApplication: "ApplicationThrottlePolicyList", levelSubscription: "SubscriptionThrottlePolicyList", levelAdvanced: "AdvancedThrottlePolicyList"}
			for level, schema := range lists {
				resp, body := s.get(admBase+"/throttling/policies/"+level, tok)
				wantStatus(t, resp, body, http.StatusOK)
				adm.check(level+" policies", adm.component(schema), body)
			}
			groups := 0
			for id := range s.srv.modern.advanced {
				resp, body := s.get(admBase+"/throttling/policies/advanced/"+id, tok)
				wantStatus(t, resp, body, http.StatusOK)
				adm.check("advanced policy "+id, adm.component("AdvancedThrottlePolicy"), body)
				groups += strings.Count(string(body), `"conditions"`)
			}
			if groups < 3 {
				t.Errorf("the advanced policies hold %d conditional groups, want the fixture's 3 or more", groups)
			}
			blocking := admBase + "/throttling/blacklist"
			if v == apim.V4 {
				blocking = admBase + "/throttling/deny-policies"
			}
			resp, body = s.get(blocking, s.login("admin", "admin", "apim:bl_view").AccessToken)
			wantStatus(t, resp, body, http.StatusOK)
			adm.check("blocking conditions", adm.component("BlockingConditionList"), body)
			if !strings.Contains(string(body), `"conditionValue":{"startingIp"`) || !strings.Contains(string(body), `"conditionValue":"blocked-user@carbon.super"`) {
				t.Errorf("blocking conditions are not in the v1/v4 shape (object for IP ranges, string for users): %s", body)
			}
			resp, body = s.get(admBase+"/throttling/policies/advanced/no-such-id", tok)
			wantStatus(t, resp, body, http.StatusNotFound)
			adm.check("404", adm.component("Error"), body)

			// The other versions' paths do not exist, as on a real server.
			for _, other := range []apim.Version{apim.V26, apim.V3, apim.V4} {
				if other == v {
					continue
				}
				p, _ := modernBases(other)
				if resp, _ := s.get(p+"/apis", tok); resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s serves %s's %s/apis: %d", v, other, p, resp.StatusCode)
				}
			}
		})
	}
}
