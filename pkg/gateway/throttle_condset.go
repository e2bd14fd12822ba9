package gateway

import (
	"encoding/binary"
)

// condSet evaluates the conditional groups of one advanced policy at once.
// Every condition has a slot, a bit of a per-request bitset; fill reads the
// request once (each header and query pair looked up in a map, the client
// address compared as two integers, each claim read once) and sets the
// bits of the conditions that hold. A group then matches when the bits of
// its plain conditions are all set and those of its inverted ones all
// clear: one mask test per group and bitset word, however many conditions
// the group has. Nothing here allocates per request.
type condSet struct {
	slots int
	ends  []int      // group i's masks are masks[ends[i-1]:ends[i]]
	masks []condMask // by group, one per bitset word its conditions use
	// oneWord is true when all slots fit one word: every group has exactly
	// one mask then, masks[i] (a group without conditions wants nothing).
	oneWord bool

	headers     nameTable       // canonical header name -> slots
	headerNames []string        // the header names, in order
	hosts       []valueSlot     // Host conditions
	query       nameTable       // query parameter name -> slots
	queryConds  []queryCondSlot // the same, for queries with escapes
	ips         []ipSlot
	ranges      []rangeSlot
	claims      []claimSlot
}

// condMask is what one group needs of one word of the bitset.
type condMask struct {
	word         int
	want, unwant uint64 // bits that must be set, bits that must be clear
}

type valueSlot struct {
	value string
	slot  int
}

type queryCondSlot struct {
	name, value string
	slot        int
}

type ipSlot struct {
	ip   addr128
	is4  bool
	slot int
}

type rangeSlot struct {
	lo, hi addr128
	is4    bool
	slot   int
}

type claimSlot struct {
	field claimField
	value string
	slot  int
}

// addr128 is an IP address as a big-endian 128-bit number (IPv4 in its
// IPv4-mapped IPv6 form), ordered as the addresses are.
type addr128 struct{ hi, lo uint64 }

func (a addr128) less(b addr128) bool { return a.hi < b.hi || a.hi == b.hi && a.lo < b.lo }

func toAddr128(b [16]byte) addr128 {
	return addr128{hi: binary.BigEndian.Uint64(b[:8]), lo: binary.BigEndian.Uint64(b[8:])}
}

// newCondSet gives every condition of groups a slot and builds the masks
// and lookups; nil when there are no groups.
func newCondSet(groups []condGroup) *condSet {
	if len(groups) == 0 {
		return nil
	}
	s := &condSet{}
	headers, query := map[string][]valueSlot{}, map[string][]valueSlot{}
	for gi := range groups {
		start := len(s.masks)
		for ci := range groups[gi].conds {
			c := &groups[gi].conds[ci]
			slot := s.slots
			s.slots++
			s.index(c, slot, headers, query)
			word, bit := slot/64, uint64(1)<<(slot%64)
			m := len(s.masks) - 1
			if m < start || s.masks[m].word != word {
				s.masks = append(s.masks, condMask{word: word})
				m++
			}
			if c.invert {
				s.masks[m].unwant |= bit
			} else {
				s.masks[m].want |= bit
			}
		}
		if len(s.masks) == start {
			s.masks = append(s.masks, condMask{}) // no conditions: always holds
		}
		s.ends = append(s.ends, len(s.masks))
	}
	s.oneWord = s.slots <= 64
	s.headers, s.query = newNameTable(headers), newNameTable(query)
	return s
}

// index files condition c under slot in the lookup its kind uses.
func (s *condSet) index(c *cond, slot int, headers, query map[string][]valueSlot) {
	switch c.kind {
	case condIP:
		s.ips = append(s.ips, ipSlot{ip: toAddr128(c.lo.As16()), is4: c.lo.Is4(), slot: slot})
	case condIPRange:
		s.ranges = append(s.ranges, rangeSlot{lo: toAddr128(c.lo.As16()), hi: toAddr128(c.hi.As16()), is4: c.lo.Is4(), slot: slot})
	case condHeader:
		if _, seen := headers[c.name]; !seen {
			s.headerNames = append(s.headerNames, c.name)
		}
		headers[c.name] = append(headers[c.name], valueSlot{c.value, slot})
	case condHost:
		s.hosts = append(s.hosts, valueSlot{c.value, slot})
	case condQuery:
		query[c.name] = append(query[c.name], valueSlot{c.value, slot})
		s.queryConds = append(s.queryConds, queryCondSlot{c.name, c.value, slot})
	case condClaim:
		s.claims = append(s.claims, claimSlot{c.claim, c.value, slot})
	}
}

// fill sets in bits (resized, reusing its memory) the conditions that
// hold for the request, before inversion, and returns it.
func (s *condSet) fill(v *reqView, bits []uint64) []uint64 {
	n := (s.slots + 63) / 64
	if cap(bits) < n {
		bits = make([]uint64, n)
	}
	bits = bits[:n]
	clear(bits)
	set := func(slot int) { bits[slot/64] |= 1 << (slot % 64) }
	mark := func(slots []valueSlot, value string) {
		for _, vs := range slots {
			if vs.value == value {
				set(vs.slot)
			}
		}
	}
	r := v.r
	if len(s.headerNames) > 0 {
		if len(s.headerNames) <= len(r.Header) {
			for _, name := range s.headerNames {
				if hvs := r.Header[name]; len(hvs) > 0 {
					slots := s.headers.get(name)
					for _, hv := range hvs {
						mark(slots, hv)
					}
				}
			}
		} else {
			for name, hvs := range r.Header {
				if slots := s.headers.get(name); slots != nil {
					for _, hv := range hvs {
						mark(slots, hv)
					}
				}
			}
		}
	}
	mark(s.hosts, r.Host)
	if len(s.queryConds) > 0 {
		s.fillQuery(r.URL.RawQuery, set, mark)
	}
	if (len(s.ips) > 0 || len(s.ranges) > 0) && v.ip.IsValid() {
		ip, is4 := toAddr128(v.ip.As16()), v.ip.Is4()
		for _, c := range s.ips {
			if c.ip == ip && c.is4 == is4 {
				set(c.slot)
			}
		}
		for _, c := range s.ranges {
			if c.is4 == is4 && !ip.less(c.lo) && !c.hi.less(ip) {
				set(c.slot)
			}
		}
	}
	if len(s.claims) > 0 && v.info != nil && v.info.Auth.Authenticated {
		for _, c := range s.claims {
			if claimValue(v.info, c.field) == c.value {
				set(c.slot)
			}
		}
	}
	return bits
}

// fillQuery marks the query conditions raw satisfies: a query without
// escapes is split once and each name looked up; one with escapes is
// decoded per condition, as url.ParseQuery would.
func (s *condSet) fillQuery(raw string, set func(int), mark func([]valueSlot, string)) {
	start, eq := 0, -1
	for i := 0; i <= len(raw); i++ {
		if i == len(raw) || raw[i] == '&' {
			if eq < 0 {
				eq = i
			}
			if slots := s.query.get(raw[start:eq]); slots != nil {
				val := ""
				if eq < i {
					val = raw[eq+1 : i]
				}
				mark(slots, val)
			}
			start, eq = i+1, -1
			continue
		}
		switch raw[i] {
		case '=':
			if eq < 0 {
				eq = i
			}
		case '%', '+', ';':
			s.fillEscapedQuery(raw, set)
			return
		}
	}
}

// fillEscapedQuery marks the query conditions a query with escapes
// satisfies, decoding it per condition.
func (s *condSet) fillEscapedQuery(raw string, set func(int)) {
	for _, q := range s.queryConds {
		if queryHas(raw, q.name, q.value) {
			set(q.slot)
		}
	}
}

// matched sets in out (resized, reusing its memory) the bit of every
// group whose conditions hold given the bits fill set, and returns it.
func (s *condSet) matched(bits, out []uint64) []uint64 {
	n := (len(s.ends) + 63) / 64
	if cap(out) < n {
		out = make([]uint64, n)
	}
	out = out[:n]
	clear(out)
	if s.oneWord {
		w := bits[0]
		for g, m := range s.masks[:len(s.ends)] {
			if w&m.want == m.want && w&m.unwant == 0 {
				out[g/64] |= 1 << (g % 64)
			}
		}
		return out
	}
	from := 0
	for g, end := range s.ends {
		ok := true
		for _, m := range s.masks[from:end] {
			if w := bits[m.word]; w&m.want != m.want || w&m.unwant != 0 {
				ok = false
				break
			}
		}
		if ok {
			out[g/64] |= 1 << (g % 64)
		}
		from = end
	}
	return out
}

// nameTable maps the header or query names of a policy's conditions to
// their slots: open addressing with a cheap hash, a few nanoseconds a
// lookup where a Go map of strings takes tens.
type nameTable struct {
	mask    uint32
	entries []nameEntry
}

type nameEntry struct {
	name  string // "" marks a free entry; condition names are never empty
	slots []valueSlot
}

func newNameTable(m map[string][]valueSlot) nameTable {
	if len(m) == 0 {
		return nameTable{}
	}
	size := uint32(4)
	for size < uint32(2*len(m)) {
		size *= 2
	}
	t := nameTable{mask: size - 1, entries: make([]nameEntry, size)}
	for name, slots := range m {
		i := nameHash(name) & t.mask
		for t.entries[i].name != "" {
			i = (i + 1) & t.mask
		}
		t.entries[i] = nameEntry{name, slots}
	}
	return t
}

// get returns the slots of name, nil if no condition names it.
func (t *nameTable) get(name string) []valueSlot {
	if len(t.entries) == 0 || name == "" {
		return nil
	}
	for i := nameHash(name) & t.mask; ; i = (i + 1) & t.mask {
		e := &t.entries[i]
		if e.name == name {
			return e.slots
		}
		if e.name == "" {
			return nil
		}
	}
}

func nameHash(s string) uint32 {
	h := uint32(len(s)) * 0x9e3779b1
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 0x01000193
	}
	return h ^ h>>15
}
