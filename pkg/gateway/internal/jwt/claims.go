package jwt

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Claims are the registered claims and the API Manager claims the
// gateway uses.
type Claims struct {
	Issuer      string       `json:"iss"`
	Subject     string       `json:"sub"`
	Audience    StringList   `json:"aud"`
	Expiry      *NumericDate `json:"exp"`
	NotBefore   *NumericDate `json:"nbf"`
	IssuedAt    *NumericDate `json:"iat"`
	ID          string       `json:"jti"`
	Scope       StringList   `json:"scope"`
	KeyType     string       `json:"keytype"`
	ConsumerKey string       `json:"consumerKey"`
	// AuthorizedParty (azp) and ClientID (client_id) name the OAuth
	// client in API Manager 3.x/4.x and other issuers' tokens.
	AuthorizedParty Text `json:"azp"`
	ClientID        Text `json:"client_id"`
	// Application is the API Manager application of the token.
	Application *Application `json:"application"`
	// SubscribedAPIs is nil when the claim is absent (or null), and
	// non-nil (maybe empty) when present.
	SubscribedAPIs *[]Subscription `json:"subscribedAPIs"`
}

// Application is the "application" claim of API Manager tokens.
type Application struct {
	ID    Text `json:"id"`
	Name  Text `json:"name"`
	Tier  Text `json:"tier"`
	Owner Text `json:"owner"`
}

// Subscription is one entry of the "subscribedAPIs" claim.
type Subscription struct {
	Name                   Text `json:"name"`
	Context                Text `json:"context"`
	Version                Text `json:"version"`
	Publisher              Text `json:"publisher"`
	SubscriptionTier       Text `json:"subscriptionTier"`
	SubscriberTenantDomain Text `json:"subscriberTenantDomain"`
}

// Text is a claim given as a JSON string or number (API Manager writes
// application ids as numbers); null is empty.
type Text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *Text) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = Text(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("expected a string or a number")
	}
	*t = Text(n.String())
	return nil
}

// StringList is a claim given as one string or an array of strings. A
// single string is kept whole; Fields splits space-separated scopes.
type StringList []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *StringList) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*l = nil
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*l = StringList{s}
		return nil
	}
	var a []string
	if err := json.Unmarshal(b, &a); err != nil {
		return errors.New("expected a string or an array of strings")
	}
	*l = a
	return nil
}

// Fields returns every space-separated word of every entry.
func (l StringList) Fields() []string {
	var out []string
	for _, s := range l {
		out = append(out, strings.Fields(s)...)
	}
	return out
}

// Contains reports whether s is one of the entries.
func (l StringList) Contains(s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// NumericDate is a time claim in seconds since the epoch. Values above
// 1e11 are taken as milliseconds: API Manager 2.x writes iat that way.
type NumericDate struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (d *NumericDate) UnmarshalJSON(b []byte) error {
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("expected a number of seconds since 1970")
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < 0 || f > 1e15 {
		return errors.New("expected a number of seconds since 1970")
	}
	if f > 1e11 {
		f /= 1000
	}
	sec, frac := math.Modf(f)
	d.Time = time.Unix(int64(sec), int64(frac*1e9))
	return nil
}

// ValidateTime checks exp (required), nbf and iat against now, each with
// skew of tolerance.
func (c *Claims) ValidateTime(now time.Time, skew time.Duration) error {
	if c.Expiry == nil {
		return fmt.Errorf("%w: no exp claim", ErrClaims)
	}
	if !now.Before(c.Expiry.Add(skew)) {
		return ErrExpired
	}
	if c.NotBefore != nil && now.Add(skew).Before(c.NotBefore.Time) {
		return fmt.Errorf("%w: nbf is in the future", ErrNotYetValid)
	}
	if c.IssuedAt != nil && now.Add(skew).Before(c.IssuedAt.Time) {
		return fmt.Errorf("%w: iat is in the future", ErrNotYetValid)
	}
	return nil
}
