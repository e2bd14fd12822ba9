package apimsim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/mgwio/mgw/pkg/apim"
)

// The 3.x and 4.x contract tests check the simulator's answers against the
// whole real definitions copied into testdata/ (SOURCES.md says from
// where): Publisher and Admin v1 of API Manager 3.2 (Swagger 2, converted
// with kin-openapi), Publisher and Admin v4 and DCR v0.17 (OpenAPI 3).

// modernSpecs loads the Publisher and Admin definitions of v with the
// quirks of the real servers applied (each said where it is done).
func modernSpecs(t *testing.T, v apim.Version) (pub, adm *spec) {
	t.Helper()
	if v == apim.V3 {
		pub = loadWhole(t, "apim-3.2-publisher-api-v1.yaml")
		adm = loadWhole(t, "apim-3.2-admin-api-v1.yaml", "schema")
		// Admin v1's IPCondition requires specificIP even for IPRANGE
		// conditions, for which the server sends it as null (see the
		// definition's own ConditionalGroup example); as with every
		// null, it counts as absent. (v4 dropped the requirement.)
		adm.component("IPCondition").Required = nil
	} else {
		pub = loadWhole(t, "apim-4.x-publisher-api-v4.yaml")
		adm = loadWhole(t, "apim-4.x-admin-api-v4.yaml")
	}
	// BlockingCondition.conditionValue is typed object, but the server
	// sends a string for API, APPLICATION and USER conditions (the Java DTO
	// holds an Object; v1's own example is a string): any value goes.
	adm.component("BlockingCondition").Properties["conditionValue"].Value.Type = nil
	return pub, adm
}

// modernBases returns the Publisher and Admin base paths of v.
func modernBases(v apim.Version) (pub, adm string) {
	return modernBase(v, false), modernBase(v, true)
}

func TestContractModern(t *testing.T) {
	dcr := loadWhole(t, "dcr-v0.17.yaml")
	for _, v := range []apim.Version{apim.V3, apim.V4} {
		for _, hostile := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s hostile=%v", v, hostile), func(t *testing.T) {
				contractModern(t, dcr, v, hostile)
			})
		}
	}
}

// contractModern checks every answer mgw setup reads from a simulator of
// version v, with or without the hostile policies and blocking conditions.
func contractModern(t *testing.T, dcr *spec, v apim.Version, hostile bool) {
	pub, adm := modernSpecs(t, v)
	s := startSim(t, Options{Version: v, HostilePolicies: hostile})

	// Every path the simulator serves is in the definition, with a GET
	// whose security asks for the scope the simulator wants.
	routes := s.srv.modernRoutes()
	for _, r := range routes {
		def := pub
		if r.admin {
			def = adm
		}
		var scopes []string
		for _, req := range *def.getOp(r.path).Security {
			scopes = append(scopes, req["OAuth2Security"]...)
		}
		if !slices.Contains(scopes, r.scope) {
			t.Errorf("GET %s: the simulator wants scope %s, the definition one of %v", r.path, r.scope, scopes)
		}
	}

	_, body := s.register("admin", "admin")
	dcr.check("DCR v0.17 registration", dcr.component("DCRResult"), body)
	tok := s.adminToken()
	contractModernPublisher(t, s, pub, v, tok)
	contractModernAdmin(t, s, adm, v, tok, hostile)

	// ... and each of them was checked above.
	for _, r := range routes {
		if def := map[bool]*spec{false: pub, true: adm}[r.admin]; !def.answered[r.path] {
			t.Errorf("no 200 answer of GET %s was checked against the definition", r.path)
		}
	}
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
}

// contractModernPublisher checks the Publisher answers: the API lists and
// their pages, each demo API (on 4.x its deployments and deployed
// revision), its definition, and the errors.
func contractModernPublisher(t *testing.T, s *sim, pub *spec, v apim.Version, tok string) {
	pubBase, _ := modernBases(v)
	var ids []string
	for _, q := range []string{"label:demo", "label:big", ""} {
		target := "/apis?limit=500&query=" + escapeSearchQuery(q)
		resp, body := s.get(pubBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		pub.answer("list "+q, target, http.StatusOK, body)
		if q == "label:demo" {
			ids = listIDs(t, body)
		}
	}
	if len(ids) < 4 {
		t.Fatalf("label demo lists %d APIs", len(ids))
	}
	checkPaging(t, s, pub, pubBase, tok, "label:big", 500)
	checkPaging(t, s, pub, pubBase, tok, "label:demo", 2)

	for _, id := range ids {
		if v == apim.V4 {
			target := "/apis/" + id + "/deployments"
			resp, body := s.get(pubBase+target, tok)
			wantStatus(t, resp, body, http.StatusOK)
			pub.answer("deployments of "+id, target, http.StatusOK, body)
			got, err := apim.DecodeDeployments(body)
			if err != nil {
				t.Fatalf("deployments of %s: %v %s", id, err, body)
			}
			if len(got) == 0 {
				continue // not published, so not deployed
			}
			id = got[0].RevisionUUID
		}
		target := "/apis/" + id
		resp, body := s.get(pubBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		pub.answer("API "+id, target, http.StatusOK, body)
		if v == apim.V4 && !strings.Contains(string(body), `"isRevision":true`) {
			t.Errorf("the deployed revision is not marked as one: %.300s", body)
		}
		target += "/swagger"
		resp, body = s.get(pubBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		pub.answer("definition of "+id, target, http.StatusOK, body)
		checkDefinitionText(t, id, body)
	}
	target := "/apis/11111111-2222-4333-8444-555555555555"
	resp, body := s.get(pubBase+target, tok)
	wantStatus(t, resp, body, http.StatusNotFound)
	pub.answer("404", target, http.StatusNotFound, body)
	// 401 is not declared by the operations (the gateway in front of the
	// REST API sends it); it is the Error shape all the same.
	_, body = s.get(pubBase+"/apis", "")
	pub.check("401", pub.component("Error"), body)
	pub.strict("401", pub.component("Error"), body)
}

// contractModernAdmin checks the Admin answers (v1 for 3.x, v4 for 4.x):
// the policies of each level, each advanced policy with its conditional
// groups, the blocking conditions and a 404.
func contractModernAdmin(t *testing.T, s *sim, adm *spec, v apim.Version, tok string, hostile bool) {
	_, admBase := modernBases(v)
	for _, level := range policyLevels {
		target := "/throttling/policies/" + level
		resp, body := s.get(admBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		adm.answer(level+" policies", target, http.StatusOK, body)
	}
	groups, ranges := 0, 0
	for id := range s.srv.modern.advanced {
		target := "/throttling/policies/advanced/" + id
		resp, body := s.get(admBase+target, tok)
		wantStatus(t, resp, body, http.StatusOK)
		adm.answer("advanced policy "+id, target, http.StatusOK, body)
		groups += strings.Count(string(body), `"conditions"`)
		ranges += strings.Count(string(body), `"ipConditionType":"IPRANGE"`)
	}
	if groups < 3 || ranges == 0 {
		t.Errorf("the advanced policies hold %d conditional groups (%d IP ranges), want the fixture's 3 or more (1 or more)", groups, ranges)
	}
	blocking := "/throttling/blacklist"
	if v == apim.V4 {
		blocking = "/throttling/deny-policies"
	}
	resp, body := s.get(admBase+blocking, s.login("admin", "admin", "apim:bl_view").AccessToken)
	wantStatus(t, resp, body, http.StatusOK)
	adm.answer("blocking conditions", blocking, http.StatusOK, body)
	if !strings.Contains(string(body), `"conditionValue":{"startingIp"`) || !strings.Contains(string(body), `"conditionValue":"blocked-user@carbon.super"`) {
		t.Errorf("blocking conditions are not in the v1/v4 shape (object for IP ranges, string for users): %s", body)
	}
	if hostile != strings.Contains(string(body), "hostile-user") {
		t.Errorf("hostile %v, blocking conditions %s", hostile, body)
	}
	target := "/throttling/policies/advanced/no-such-id"
	resp, body = s.get(admBase+target, tok)
	wantStatus(t, resp, body, http.StatusNotFound)
	adm.answer("404", target, http.StatusNotFound, body)
}
