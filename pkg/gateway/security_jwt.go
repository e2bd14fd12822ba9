package gateway

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/intercept"
	"github.com/mgwio/mgw/pkg/gateway/internal/jwt"
)

// jwtVerifier validates JWTs of a set of trusted issuers and remembers
// verified tokens, so each token's signature is checked once.
type jwtVerifier struct {
	issuers  map[string]*issuer
	maxBytes int
	cache    *tokenCache
}

// issuer is one trusted issuer and its current keys.
type issuer struct {
	cfg  JWTIssuer
	skew time.Duration
	keys atomic.Pointer[[]jwt.Key]
	jwks *jwksSource // nil without a JWKS URL
	file []jwt.Key   // keys from cert_file
	// mapping is cfg.ClaimMapping for jwt.MapClaims.
	mapping []jwt.ClaimMap
}

// jwtEntry is a verified token.
type jwtEntry struct {
	claims *jwt.Claims
	iss    *issuer
	scopes []string // the scope claim split at spaces; shared, read-only
	// token is the claims as JSON, claim mapping applied (see
	// jwt.Token.Payload), for interceptors; shared, read-only, decoded
	// only by interceptors that ask.
	token intercept.TokenClaims
}

// newJWTVerifier loads the keys of every issuer; path names the config
// section in errors. It fetches JWKS documents, so an unreachable JWKS
// URL is reported at start.
func newJWTVerifier(g *Gateway, issuers []JWTIssuer, path string, cfg *Config) (*jwtVerifier, error) {
	v := &jwtVerifier{issuers: map[string]*issuer{}, maxBytes: int(cfg.JWT.MaxTokenBytes), cache: newTokenCache(cfg.Security.TokenCacheSize)}
	var problems []string
	for _, ic := range issuers {
		is := &issuer{cfg: ic, skew: cfg.JWT.Skew}
		for _, m := range ic.ClaimMapping {
			is.mapping = append(is.mapping, jwt.ClaimMap{Remote: m.Remote, Local: m.Local})
		}
		if ic.Skew > 0 {
			is.skew = ic.Skew
		}
		if ic.CertFile != "" {
			data, err := os.ReadFile(ic.CertFile)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: issuer %q: cannot read cert_file: %s", path, ic.Issuer, pathErr(err)))
				continue
			}
			keys, err := jwt.ParsePEM(data)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: issuer %q: cert_file %s: %v", path, ic.Issuer, ic.CertFile, err))
				continue
			}
			is.file = keys
		}
		all := append([]jwt.Key(nil), is.file...)
		if ic.JWKSURL != "" {
			src, err := newJWKSSource(g, ic.JWKSURL, cfg)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s: issuer %q: %v", path, ic.Issuer, err))
				continue
			}
			is.jwks = src
			all = append(all, src.current()...)
		}
		is.keys.Store(&all)
		v.issuers[ic.Issuer] = is
		if path == "jwt" {
			// Say once how tokens without subscribedAPIs (API Manager
			// 4.x JWTs carry none) are treated: an offline gateway cannot
			// look subscriptions up.
			if ic.ValidateSubscription {
				g.log.Info("JWT issuer: tokens without subscribedAPIs are refused (403, 900908)", "issuer", ic.Issuer)
			} else {
				g.log.Info("JWT issuer: tokens without subscribedAPIs (API Manager 4.x JWTs) are accepted without a subscription check, throttled as tier Unauthenticated; set validate_subscription: true to refuse them", "issuer", ic.Issuer)
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n  "))
	}
	return v, nil
}

// errUnknownIssuer and errAudience are verification failures.
var (
	errUnknownIssuer = errors.New("untrusted issuer")
	errAudience      = errors.New("wrong audience")
)

// verify returns the verified token, or an error wrapping a jwt error.
func (v *jwtVerifier) verify(token string, now time.Time) (*jwtEntry, error) {
	if e := v.cache.get(token); e != nil {
		if err := e.claims.ValidateTime(now, e.iss.skew); err != nil {
			return nil, err
		}
		return e, nil
	}
	t, err := jwt.Parse(token, v.maxBytes)
	if err != nil {
		return nil, err
	}
	is := v.issuers[t.Claims.Issuer]
	if is == nil {
		return nil, errUnknownIssuer
	}
	if is.cfg.Audience != "" && !t.Claims.Audience.Contains(is.cfg.Audience) {
		return nil, errAudience
	}
	err = t.VerifyWith(*is.keys.Load())
	if errors.Is(err, jwt.ErrNoKey) && is.jwks != nil && is.jwks.refreshFor(t.Header.Kid) {
		keys := append(append([]jwt.Key(nil), is.file...), is.jwks.current()...)
		is.keys.Store(&keys)
		err = t.VerifyWith(keys)
	}
	if err != nil {
		return nil, err
	}
	if err := t.MapClaims(is.mapping, is.cfg.ConsumerKeyClaim); err != nil {
		return nil, err
	}
	if err := t.Claims.ValidateTime(now, is.skew); err != nil {
		return nil, err
	}
	e := &jwtEntry{claims: &t.Claims, iss: is, scopes: t.Claims.Scope.Fields(), token: intercept.MakeTokenClaims(t.Payload())}
	v.cache.put(token, e, t.Claims.Expiry.Add(is.skew))
	return e, nil
}

// jwtAuth authenticates a JWT (access token or API key) and applies the
// subscription and scope rules; it returns 0 or a fault code.
func (s *security) jwtAuth(token string, info *RequestInfo, v *jwtVerifier, scheme string) int {
	e, err := v.verify(token, s.now())
	if err != nil {
		s.g.log.Debug("token rejected", "request_id", info.ID, "scheme", scheme, "reason", err.Error())
		switch {
		case errors.Is(err, jwt.ErrExpired):
			return CodeTokenExpired
		default:
			return CodeInvalidCredentials
		}
	}
	return s.authorizeJWT(e, info, scheme)
}

// tokenCacheBytes bounds the bytes of tokens the cache keeps as keys, so a
// full cache of long tokens cannot grow the gateway's memory unboundedly.
const tokenCacheBytes = 8 << 20

// tokenCache remembers verified tokens until they expire. It holds at most
// size entries and tokenCacheBytes of token text; when full it drops about
// a quarter of them (the original's evictionFactor 0.25), expired ones
// first.
type tokenCache struct {
	mu      sync.RWMutex
	size    int
	bytes   int
	entries map[string]cachedToken
}

type cachedToken struct {
	e   *jwtEntry
	exp time.Time
}

func newTokenCache(size int) *tokenCache {
	return &tokenCache{size: size, entries: map[string]cachedToken{}}
}

func (c *tokenCache) get(token string) *jwtEntry {
	if c.size == 0 {
		return nil
	}
	c.mu.RLock()
	ct, ok := c.entries[token]
	c.mu.RUnlock()
	if !ok {
		return nil
	}
	return ct.e
}

func (c *tokenCache) put(token string, e *jwtEntry, exp time.Time) {
	if c.size == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[token]; ok {
		return
	}
	if len(c.entries) >= c.size || c.bytes+len(token) > tokenCacheBytes {
		now := time.Now()
		drop := len(c.entries)/4 + 1
		for k, v := range c.entries {
			if v.exp.Before(now) {
				c.remove(k)
				drop--
			}
		}
		for k := range c.entries {
			if drop <= 0 {
				break
			}
			c.remove(k)
			drop--
		}
	}
	c.entries[token] = cachedToken{e: e, exp: exp}
	c.bytes += len(token)
}

// remove deletes one entry; the caller holds the lock.
func (c *tokenCache) remove(token string) {
	delete(c.entries, token)
	c.bytes -= len(token)
}
