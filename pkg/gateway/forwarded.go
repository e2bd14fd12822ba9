package gateway

import (
	"net/http"
	"net/netip"
	"strings"
)

// isHopByHop reports the headers that describe one connection and are
// never forwarded (RFC 9110 7.6.1). Keys are canonical.
func isHopByHop(k string) bool {
	switch k {
	case "Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate",
		"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade":
		return true
	}
	return false
}

// listedIn reports whether header k is named by a Connection header.
func listedIn(connection []string, k string) bool {
	for _, v := range connection {
		for v != "" {
			var tok string
			tok, v, _ = strings.Cut(v, ",")
			if strings.EqualFold(strings.TrimSpace(tok), k) {
				return true
			}
		}
	}
	return false
}

// Headers the gateway sets itself on the way to the backend.
func isGatewaySet(k string) bool {
	switch k {
	case "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded",
		"X-Request-Id", "Traceparent", "Tracestate":
		return true
	}
	return false
}

// outboundHeader builds the backend request's header from the client's:
// hop-by-hop headers dropped, X-Forwarded-* set, request id and trace
// context added, and backend credentials if the endpoint has them.
func (g *Gateway) outboundHeader(r *http.Request, ex *exchange, grp *endpointGroup) http.Header {
	h := make(http.Header, len(r.Header)+4)
	conn := r.Header["Connection"]
	for k, vv := range r.Header {
		if isHopByHop(k) || isGatewaySet(k) || (conn != nil && listedIn(conn, k)) || k == g.endUserJWTHeader {
			continue
		}
		h[k] = vv
	}
	if tok := ex.info.Auth.EndUserToken; tok != "" && g.endUserJWTHeader != "" {
		h[g.endUserJWTHeader] = []string{tok}
	}
	if te := r.Header["Te"]; te != nil && listedIn(te, "trailers") {
		h["Te"] = []string{"trailers"}
	}
	peer := peerHost(r.RemoteAddr)
	proto := g.protoHTTP
	if r.TLS != nil {
		proto = g.protoHTTPS
	}
	if ex.trustedPeer {
		if prior := r.Header["X-Forwarded-For"]; len(prior) > 0 {
			h["X-Forwarded-For"] = ex.header(hvForwardedFor, strings.Join(prior, ", ")+", "+peer)
		} else {
			h["X-Forwarded-For"] = ex.header(hvForwardedFor, peer)
		}
		for _, k := range []string{"X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded"} {
			if v := r.Header[k]; v != nil {
				h[k] = v
			}
		}
		if h["X-Forwarded-Proto"] == nil {
			h["X-Forwarded-Proto"] = proto
		}
		if h["X-Forwarded-Host"] == nil {
			h["X-Forwarded-Host"] = ex.header(hvForwardedHost, r.Host)
		}
	} else {
		h["X-Forwarded-For"] = ex.header(hvForwardedFor, peer)
		h["X-Forwarded-Proto"] = proto
		h["X-Forwarded-Host"] = ex.header(hvForwardedHost, r.Host)
	}
	h["X-Request-Id"] = ex.hv[hvID : hvID+1 : hvID+1]
	if tp := r.Header["Traceparent"]; len(tp) == 1 && validTraceparent(tp[0]) {
		h["Traceparent"] = tp
		if ts := r.Header["Tracestate"]; ts != nil {
			h["Tracestate"] = ts
		}
	} else {
		h["Traceparent"] = ex.header(hvTraceparent, newTraceparent())
	}
	if grp.auth != nil {
		h["Authorization"] = grp.auth
	}
	if _, ok := h["User-Agent"]; !ok {
		// An empty value stops the transport adding Go's own User-Agent.
		h["User-Agent"] = ex.header(hvUserAgent, "")
	}
	return h
}

// peerHost returns the host part of an "ip:port" remote address without
// allocating.
func peerHost(remote string) string {
	i := strings.LastIndexByte(remote, ':')
	if i < 0 {
		return remote
	}
	h := remote[:i]
	if len(h) > 1 && h[0] == '[' && h[len(h)-1] == ']' {
		h = h[1 : len(h)-1]
	}
	return h
}

// trustedProxies is a list of networks whose forwarding headers are kept.
type trustedProxies []netip.Prefix

func (t trustedProxies) contains(a netip.Addr) bool {
	for _, p := range t {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP returns the peer address and whether it is a trusted proxy;
// behind trusted proxies the client is the rightmost X-Forwarded-For entry
// that is not itself trusted.
func (t trustedProxies) clientIP(r *http.Request) (netip.Addr, bool) {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}, false
	}
	peer := ap.Addr().Unmap()
	if len(t) == 0 || !t.contains(peer) {
		return peer, false
	}
	client := peer
	xff := r.Header["X-Forwarded-For"]
	for i := len(xff) - 1; i >= 0; i-- {
		line := xff[i]
		for line != "" {
			var entry string
			if j := strings.LastIndexByte(line, ','); j >= 0 {
				entry, line = line[j+1:], line[:j]
			} else {
				entry, line = line, ""
			}
			a, err := netip.ParseAddr(strings.TrimSpace(entry))
			if err != nil {
				return client, true
			}
			client = a.Unmap()
			if !t.contains(client) {
				return client, true
			}
		}
	}
	return client, true
}
