package gateway

import "strings"

// condIndex finds which header and query conditions of one policy hold by
// looking each request header and query pair up once, instead of testing
// every condition against the request. Slots number those conditions.
type condIndex struct {
	slots       int
	values      []string         // by slot: the value the condition wants
	headers     map[string][]int // canonical header name -> slots
	headerNames []string         // the keys of headers, in order
	query       map[string][]int // query parameter name -> slots
}

// indexConds gives every header and query condition of groups a slot and
// returns the index, nil when there are none.
func indexConds(groups []condGroup) *condIndex {
	ix := &condIndex{headers: map[string][]int{}, query: map[string][]int{}}
	for gi := range groups {
		for ci := range groups[gi].conds {
			c := &groups[gi].conds[ci]
			c.slot = -1
			var m map[string][]int
			switch c.kind {
			case condHeader:
				m = ix.headers
				if _, seen := m[c.name]; !seen {
					ix.headerNames = append(ix.headerNames, c.name)
				}
			case condQuery:
				m = ix.query
			default:
				continue
			}
			c.slot = ix.slots
			ix.slots++
			ix.values = append(ix.values, c.value)
			m[c.name] = append(m[c.name], c.slot)
		}
	}
	if ix.slots == 0 {
		return nil
	}
	return ix
}

// fill marks in hits (resized to ix.slots, reusing its memory) the
// conditions the request satisfies. Query conditions are marked only for
// a query without escapes (v.plain > 0); otherwise they decode per
// condition.
func (ix *condIndex) fill(v *reqView, hits []bool) []bool {
	if cap(hits) < ix.slots {
		hits = make([]bool, ix.slots)
	}
	hits = hits[:ix.slots]
	clear(hits)
	mark := func(slots []int, value string) {
		for _, sl := range slots {
			if ix.values[sl] == value {
				hits[sl] = true
			}
		}
	}
	if len(ix.headerNames) > 0 {
		if len(ix.headerNames) <= len(v.r.Header) {
			for _, name := range ix.headerNames {
				for _, hv := range v.r.Header[name] {
					mark(ix.headers[name], hv)
				}
			}
		} else {
			for name, hvs := range v.r.Header {
				if slots, ok := ix.headers[name]; ok {
					for _, hv := range hvs {
						mark(slots, hv)
					}
				}
			}
		}
	}
	if len(ix.query) > 0 && v.queryPlain() {
		raw := v.r.URL.RawQuery
		for raw != "" {
			var kv string
			kv, raw, _ = strings.Cut(raw, "&")
			k, val, _ := strings.Cut(kv, "=")
			if slots, ok := ix.query[k]; ok {
				mark(slots, val)
			}
		}
	}
	return hits
}
