package gateway

import (
	"net/url"
	"strings"
)

// maxQueryParams is net/url's limit: a query with more pairs decodes to
// none, so kin-openapi (through URL.Query) sees no parameters.
const maxQueryParams = 10000

// queryWithinLimit returns the raw query, or "" when it has more pairs
// than net/url decodes.
func queryWithinLimit(raw string) string {
	if strings.Count(raw, "&")+1 > maxQueryParams {
		return ""
	}
	return raw
}

// eachQueryPair calls fn with every name and value of a raw query,
// decoded and in order, as url.ParseQuery reads them: pairs containing
// ";" or with malformed percent-encoding are skipped. It stops when fn
// returns false.
func eachQueryPair(raw string, fn func(k, v string) bool) {
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		v, err = url.QueryUnescape(v)
		if err != nil {
			continue
		}
		if !fn(k, v) {
			return
		}
	}
}

// queryValues appends the values of the query parameter name to dst.
func queryValues(dst []string, raw, name string) []string {
	eachQueryPair(raw, func(k, v string) bool {
		if k == name {
			dst = append(dst, v)
		}
		return true
	})
	return dst
}

// queryHasPairs reports whether the query has any parameter.
func queryHasPairs(raw string) bool {
	any := false
	eachQueryPair(raw, func(string, string) bool {
		any = true
		return false
	})
	return any
}

// deepObjectKey reads a deepObject name ("filter[a][b]" for parameter
// filter) the way kin-openapi does: it must start with the name and
// "[", and its parts are the texts of every "[...]" in it, shortest
// first, none spanning a newline. It returns the first part and whether
// there are more; ok is false when the key is not the parameter's.
func deepObjectKey(key, name string) (first string, sub, ok bool) {
	if len(key) <= len(name) || key[:len(name)] != name || key[len(name)] != '[' {
		return "", false, false
	}
	parts := 0
	for i := 0; i < len(key); i++ {
		if key[i] != '[' {
			continue
		}
		j := strings.IndexByte(key[i+1:], ']')
		if j < 0 {
			break
		}
		part := key[i+1 : i+1+j]
		if strings.IndexByte(part, '\n') >= 0 {
			continue // no match starting at this "["; try the next one
		}
		if parts == 0 {
			first = part
		}
		parts++
		i += j + 1
	}
	return first, parts > 1, parts > 0
}

// queryObjectPairs collects the pairs of an object query parameter:
// every parameter for exploded form, the name[part] keys for deepObject.
// For deepObject, msg reports keys kin-openapi refuses (a key given
// twice) or decides at random (two keys with the same first part of
// which one has more parts).
func queryObjectPairs(dst []paramPair, raw string, pc *paramCheck) ([]paramPair, string) {
	msg := ""
	var seen deepSeen
	eachQueryPair(raw, func(k, v string) bool {
		if pc.style != StyleDeepObject {
			dst = append(dst, paramPair{key: k, val: v})
			return true
		}
		first, sub, ok := deepObjectKey(k, pc.name)
		if !ok {
			return true
		}
		p := paramPair{key: first, val: v, sub: sub, raw: k}
		if other, clash := seen.add(dst, p); clash {
			if other == k {
				msg = quoteName(truncate(k, 64)) + " is given more than once"
			} else {
				msg = quoteName(truncate(k, 64)) + " conflicts with " + quoteName(truncate(other, 64))
			}
			return false
		}
		dst = append(dst, p)
		return true
	})
	return dst, msg
}

// deepSeen finds a deepObject key that clashes with an earlier one: the
// same name, or the same first part where one of the two has no more
// parts. Past a few keys it indexes them in maps, so a hostile query
// costs linear time.
type deepSeen struct {
	raws   map[string]struct{}
	firsts map[string]paramPair // a pair per first part: one without more parts if any
}

func (s *deepSeen) add(dst []paramPair, p paramPair) (string, bool) {
	if s.raws == nil && len(dst) < pairIndexScan {
		for _, q := range dst {
			if q.raw == p.raw || (q.key == p.key && (!q.sub || !p.sub)) {
				return q.raw, true
			}
		}
		return "", false
	}
	if s.raws == nil {
		s.raws = make(map[string]struct{}, 2*len(dst))
		s.firsts = make(map[string]paramPair, 2*len(dst))
		for _, q := range dst {
			s.index(q)
		}
	}
	if _, dup := s.raws[p.raw]; dup {
		return p.raw, true
	}
	if q, ok := s.firsts[p.key]; ok && (!q.sub || !p.sub) {
		return q.raw, true
	}
	s.index(p)
	return "", false
}

func (s *deepSeen) index(p paramPair) {
	s.raws[p.raw] = struct{}{}
	if q, ok := s.firsts[p.key]; !ok || q.sub {
		s.firsts[p.key] = p
	}
}
