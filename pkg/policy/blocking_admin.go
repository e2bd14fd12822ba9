package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mgwio/mgw/pkg/apim"
	"github.com/mgwio/mgw/pkg/gateway"
)

// BlockingFromAdmin converts the Admin API's blocking conditions. An
// unknown conditionType, or a value mgw cannot read (an IP condition that
// is not an address), is an error naming the condition: a gateway that
// dropped a condition would let through what the API Manager blocks. All
// problems are listed together in a *ValidationError.
//
// IP and IPRANGE values are read in both forms API Manager 2.x uses: a
// plain address (the v0.14 definition's example) or the JSON text it
// stores, {"fixedIp":"10.0.0.1","invert":false} and
// {"startingIp":…,"endingIp":…,"invert":…}.
func BlockingFromAdmin(in []apim.BlockingCondition) ([]BlockingCondition, error) {
	var out []BlockingCondition
	var probs []Problem
	for i, b := range in {
		fail := func(msg string) {
			probs = append(probs, Problem{Source: adminSource, Level: LevelBlocking, Policy: strings.ToValidUTF8(b.ConditionID, "\uFFFD"), Index: i + 1,
				Message: msg + "; fix or delete the condition in the Admin portal (Throttling Policies, Black List)"})
		}
		c, err := blockingFromAdmin(b)
		if err != "" {
			fail(err)
			continue
		}
		n := len(probs)
		checkBlocking(c, func(msg string, _ ...string) { fail(msg) })
		if len(probs) == n {
			out = append(out, c)
		}
	}
	if len(probs) > 0 {
		return nil, &ValidationError{Problems: probs}
	}
	return sortedBlocking(out), nil
}

// ipValue is the JSON text API Manager 2.x stores for IP and IPRANGE.
type ipValue struct {
	FixedIP    *string `json:"fixedIp"`
	StartingIP *string `json:"startingIp"`
	EndingIP   *string `json:"endingIp"`
	Invert     bool    `json:"invert"`
}

// blockingFromAdmin converts one condition, or says why it cannot.
func blockingFromAdmin(b apim.BlockingCondition) (BlockingCondition, string) {
	c := BlockingCondition{ID: b.ConditionID}
	v := strings.TrimSpace(b.ConditionValue)
	switch b.ConditionType {
	case apim.BlockAPI:
		c.Type, c.Value = BlockAPI, v
	case apim.BlockApplication:
		c.Type, c.Value = BlockApplication, v
	case apim.BlockUser:
		c.Type, c.Value = BlockUser, v
	case apim.BlockIP, apim.BlockIPRange:
		if !strings.HasPrefix(v, "{") {
			if b.ConditionType == apim.BlockIPRange {
				return c, fmt.Sprintf("IPRANGE value %q is not the JSON object {\"startingIp\":…,\"endingIp\":…,\"invert\":…}", v)
			}
			c.Type, c.IP = BlockIP, v
			return c, ""
		}
		var iv ipValue
		dec := json.NewDecoder(bytes.NewReader([]byte(v)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&iv); err != nil || dec.More() {
			return c, fmt.Sprintf("%s value %q is not the JSON object API Manager writes: %v", b.ConditionType, v, err)
		}
		c.Invert = iv.Invert
		if b.ConditionType == apim.BlockIP {
			if iv.FixedIP == nil || iv.StartingIP != nil || iv.EndingIP != nil {
				return c, fmt.Sprintf("IP value %q needs fixedIp (and no startingIp or endingIp)", v)
			}
			c.Type, c.IP = BlockIP, strings.TrimSpace(*iv.FixedIP)
			return c, ""
		}
		if iv.StartingIP == nil || iv.EndingIP == nil || iv.FixedIP != nil {
			return c, fmt.Sprintf("IPRANGE value %q needs startingIp and endingIp (and no fixedIp)", v)
		}
		c.Type, c.StartingIP, c.EndingIP = BlockIPRange, strings.TrimSpace(*iv.StartingIP), strings.TrimSpace(*iv.EndingIP)
	default:
		return c, fmt.Sprintf("blocking condition type %q is not supported; mgw supports %s, %s, %s, %s and %s",
			b.ConditionType, apim.BlockAPI, apim.BlockApplication, apim.BlockIP, apim.BlockIPRange, apim.BlockUser)
	}
	return c, ""
}

// BlockingToGateway returns the enabled blocking conditions of f in the
// gateway's runtime model; disabled ones stay in the file only.
func (f File) BlockingToGateway() []gateway.BlockingCondition {
	var out []gateway.BlockingCondition
	for _, c := range sortedBlocking(f.Blocking) {
		if !c.IsEnabled() {
			continue
		}
		out = append(out, gateway.BlockingCondition{Type: c.Type, Value: c.Value, IP: c.IP,
			StartingIP: c.StartingIP, EndingIP: c.EndingIP, Invert: c.Invert})
	}
	return out
}
