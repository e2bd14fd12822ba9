package gateway

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/mgwio/mgw/pkg/gateway/internal/prom"
)

// superTenant is the tenant API Manager appends to user names in USER
// conditions ("admin" is stored as "admin@carbon.super").
const superTenant = "@carbon.super"

// blocker refuses requests that match the label's blocking conditions,
// after security (application and user conditions need the caller) and
// before throttling, so a blocked request counts against no quota, as in
// API Manager's throttle handler.
type blocker struct {
	log *slog.Logger
	// apis are the APIs an api condition blocks as a whole.
	apis map[*API]bool
	// apps maps an application owner to the blocked application names.
	apps map[string]map[string]struct{}
	// users holds blocked user names without a trailing "@carbon.super".
	users map[string]struct{}
	// ips holds the blocked client IPs (unmapped) of plain ip conditions.
	ips map[netip.Addr]struct{}
	// ranges are the ipRange conditions, sorted by start and merged where
	// they overlap, for a binary search.
	ranges []ipBlock
	// inverted are the inverted ip and ipRange conditions.
	inverted []ipBlock
	blocked  atomic.Uint64
}

// ipBlock is an inclusive client IP range; invert blocks the addresses
// outside it (and those of the other IP version).
type ipBlock struct {
	lo, hi netip.Addr
	invert bool
}

// matches reports whether ip is blocked by b.
func (b *ipBlock) matches(ip netip.Addr) bool {
	in := ip.BitLen() == b.lo.BitLen() && b.lo.Compare(ip) <= 0 && ip.Compare(b.hi) <= 0
	return in != b.invert
}

// newBlocking builds the blocking middleware; nil when the label has no
// blocking conditions.
func (g *Gateway) newBlocking() (Middleware, error) {
	b, problems := compileBlocking(g.spec, g.log)
	if len(problems) > 0 {
		return nil, fmt.Errorf("blocking conditions:\n  %s", strings.Join(problems, "\n  "))
	}
	if b == nil {
		return nil, nil
	}
	g.metrics.extra = append(g.metrics.extra, b.writeMetrics)
	return b.middleware, nil
}

// compileBlocking checks spec.Blocking and compiles it; nil and no
// problems when there is nothing to enforce.
func compileBlocking(spec *Spec, log *slog.Logger) (*blocker, []string) {
	if len(spec.Blocking) == 0 {
		return nil, nil
	}
	b := &blocker{log: log, apis: map[*API]bool{}, apps: map[string]map[string]struct{}{},
		users: map[string]struct{}{}, ips: map[netip.Addr]struct{}{}}
	var problems []string
	for i, c := range spec.Blocking {
		if err := b.add(spec, c); err != nil {
			problems = append(problems, fmt.Sprintf("condition %d (%s %q): %v", i+1, c.Type, c.Value+c.IP+c.StartingIP, err))
		}
	}
	b.ranges = mergeRanges(b.ranges)
	return b, problems
}

// add compiles one condition into b.
func (b *blocker) add(spec *Spec, c BlockingCondition) error {
	if c.Invert && c.Type != BlockIP && c.Type != BlockIPRange {
		return fmt.Errorf("invert applies only to ip and ipRange conditions")
	}
	switch c.Type {
	case BlockAPI:
		if c.Value == "" {
			return fmt.Errorf("no API context")
		}
		for i := range spec.APIs {
			a := &spec.APIs[i]
			if a.BasePath == c.Value || a.IsDefaultVersion && a.Context == c.Value {
				b.apis[a] = true
			}
		}
	case BlockApplication:
		owner, name, ok := strings.Cut(c.Value, ":")
		if !ok || owner == "" || name == "" {
			return fmt.Errorf(`an application condition needs "owner:application name"`)
		}
		if b.apps[owner] == nil {
			b.apps[owner] = map[string]struct{}{}
		}
		b.apps[owner][name] = struct{}{}
	case BlockUser:
		if c.Value == "" {
			return fmt.Errorf("no user name")
		}
		b.users[strings.TrimSuffix(c.Value, superTenant)] = struct{}{}
	case BlockIP:
		ip, err := parseBlockIP(c.IP)
		if err != nil {
			return err
		}
		if c.Invert {
			b.inverted = append(b.inverted, ipBlock{lo: ip, hi: ip, invert: true})
		} else {
			b.ips[ip] = struct{}{}
		}
	case BlockIPRange:
		lo, err := parseBlockIP(c.StartingIP)
		if err != nil {
			return err
		}
		hi, err := parseBlockIP(c.EndingIP)
		if err != nil {
			return err
		}
		if lo.BitLen() != hi.BitLen() || hi.Less(lo) {
			return fmt.Errorf("%s..%s is not a range: both ends must be of one IP version, the start first", lo, hi)
		}
		if c.Invert {
			b.inverted = append(b.inverted, ipBlock{lo: lo, hi: hi, invert: true})
		} else {
			b.ranges = append(b.ranges, ipBlock{lo: lo, hi: hi})
		}
	default:
		return fmt.Errorf("unknown type; use %s, %s, %s, %s or %s", BlockAPI, BlockApplication, BlockIP, BlockIPRange, BlockUser)
	}
	return nil
}

// mergeRanges sorts rs by start (IPv4 before IPv6) and merges
// overlapping ones, so that inRanges can search them.
func mergeRanges(rs []ipBlock) []ipBlock {
	slices.SortFunc(rs, func(a, b ipBlock) int { return a.lo.Compare(b.lo) })
	out := rs[:0]
	for _, r := range rs {
		if n := len(out); n > 0 && out[n-1].hi.BitLen() == r.lo.BitLen() && r.lo.Compare(out[n-1].hi) <= 0 {
			if out[n-1].hi.Less(r.hi) {
				out[n-1].hi = r.hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}

// inRanges reports whether ip lies in one of the sorted, disjoint ranges.
func inRanges(rs []ipBlock, ip netip.Addr) bool {
	// The last range that starts at or before ip is the only candidate.
	i, j := 0, len(rs)
	for i < j {
		h := int(uint(i+j) >> 1)
		if rs[h].lo.Compare(ip) <= 0 {
			i = h + 1
		} else {
			j = h
		}
	}
	return i > 0 && rs[i-1].matches(ip)
}

// parseBlockIP parses an address without a zone and unmaps it, as client
// IPs are compared unmapped.
func parseBlockIP(s string) (netip.Addr, error) {
	ip, err := netip.ParseAddr(s)
	if err != nil || ip.Zone() != "" {
		return netip.Addr{}, fmt.Errorf("%q is not an IP address", s)
	}
	return ip.Unmap(), nil
}

// middleware is the blocking Middleware.
func (b *blocker) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := InfoFrom(r.Context()); info != nil && b.isBlocked(info) {
			b.blocked.Add(1)
			b.log.Debug("request blocked by a blocking condition", "request_id", info.ID)
			WriteFault(w, FaultFor(CodeBlocked))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// isBlocked reports whether any condition matches the request. It does
// not allocate.
func (b *blocker) isBlocked(info *RequestInfo) bool {
	if b.apis[info.API] {
		return true
	}
	ip := info.ClientIP.Unmap()
	if _, ok := b.ips[ip]; ok {
		return true
	}
	if inRanges(b.ranges, ip) {
		return true
	}
	for i := range b.inverted {
		if b.inverted[i].matches(ip) {
			return true
		}
	}
	a := &info.Auth
	if !a.Authenticated {
		return false
	}
	if names := b.apps[a.ApplicationOwner]; names != nil {
		if _, ok := names[a.ApplicationName]; ok {
			return true
		}
	}
	if len(b.users) > 0 && a.Username != "" {
		if _, ok := b.users[strings.TrimSuffix(a.Username, superTenant)]; ok {
			return true
		}
	}
	return false
}

// writeMetrics adds the blocking family to /metrics.
func (b *blocker) writeMetrics(w *prom.Writer) {
	w.Family("mgw_blocked_requests_total", "Requests refused by a blocking condition (fault 900805).", "counter")
	w.Sample("mgw_blocked_requests_total", nil, float64(b.blocked.Load()))
}
