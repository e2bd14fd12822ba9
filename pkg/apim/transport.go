package apim

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"time"
)

// endpoint kinds decide how an unsuccessful status is explained.
type endpointKind int

const (
	kindDCR endpointKind = iota
	kindToken
	kindPublisher
	kindAdmin
)

// request is one call to the API Manager.
type request struct {
	kind        endpointKind
	op          string // what mgw is doing, e.g. `list the APIs of label "x"`
	method      string
	url         string // full URL with query; never holds secrets
	body        []byte
	contentType string
	basicUser   string // HTTP basic credentials, when basicUser != ""
	basicPass   string
	bearer      bool   // send the access token
	scope       string // scope the call needs (publisher and admin calls)
}

// response is the last answer to a request.
type response struct {
	status   int
	header   http.Header
	body     []byte
	attempts int
}

// do sends rq, retrying 5xx answers and dropped connections with
// exponential backoff and jitter. It returns the answer for any status
// below 500; network failures and 5xx after the last retry are errors.
func (c *Client) do(ctx context.Context, rq request) (response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, rq, attempt)
		if err == nil && resp.status < 500 {
			return resp, nil
		}
		if ctx.Err() != nil {
			return resp, c.canceled(ctx, rq)
		}
		retry := err == nil // a 5xx answer
		var kind error
		if err != nil {
			kind, retry = classify(err)
			if !retry {
				return resp, c.transportError(rq, kind, err, attempt)
			}
		}
		if attempt > c.retries {
			if err != nil {
				return resp, c.transportError(rq, kind, err, attempt)
			}
			return resp, c.serverError(rq, resp)
		}
		wait := backoff(attempt-1, c.baseDelay, c.maxDelay, rand.Int64N)
		c.log.Debug("apim retry", "method", rq.method, "url", c.redact(rq.url), "attempt", attempt, "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return resp, c.canceled(ctx, rq)
		case <-t.C:
		}
	}
}

// attempt sends rq once, bounded by the per-request timeout.
func (c *Client) attempt(ctx context.Context, rq request, n int) (response, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r := c.http.R().SetContext(actx).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", c.userAgent)
	if rq.body != nil {
		r.SetHeader("Content-Type", rq.contentType).SetBody(rq.body)
	}
	switch {
	case rq.basicUser != "":
		r.SetBasicAuth(rq.basicUser, rq.basicPass)
	case rq.bearer:
		r.SetAuthToken(c.bearer())
	}
	start := time.Now()
	res, err := r.Execute(rq.method, rq.url)
	elapsed := time.Since(start)
	out := response{attempts: n}
	if res != nil && res.RawResponse != nil {
		out.status = res.StatusCode()
		out.header = res.Header()
		out.body = res.Body()
	}
	if err != nil {
		// A timeout of this attempt, not a cancellation by the caller.
		if ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded) && !errors.Is(err, context.DeadlineExceeded) {
			err = errors.Join(context.DeadlineExceeded, err)
		}
		c.log.Debug("apim request", "method", rq.method, "url", c.redact(rq.url), "attempt", n,
			"duration", elapsed, "error", c.redact(err.Error()))
		return out, err
	}
	c.log.Debug("apim request", "method", rq.method, "url", c.redact(rq.url), "attempt", n,
		"status", out.status, "duration", elapsed)
	return out, nil
}

// backoff returns the wait before retry number attempt+1: exponential in
// attempt from base, capped at max, with "equal jitter" (a random duration
// between half the step and the full step). randN(n) returns a number in
// [0, n).
func backoff(attempt int, base, max time.Duration, randN func(int64) int64) time.Duration {
	step := max
	if attempt >= 0 && attempt < 32 {
		if d := base << attempt; d > 0 && d < max {
			step = d
		}
	}
	half := step / 2
	return half + time.Duration(randN(int64(step-half)+1))
}
