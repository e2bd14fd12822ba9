package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mgwio/mgw/internal/benchmark/load/benchlabel"
)

// posting is start under the load of gateway-validation: every request
// POSTs the 1 KiB order, which the started proxy forwards unchecked.
func posting(start func(context.Context, *Env) (Target, error)) func(context.Context, *Env) (Target, error) {
	return func(ctx context.Context, env *Env) (Target, error) {
		t, err := start(ctx, env)
		if err != nil {
			return Target{}, err
		}
		t.Post = benchlabel.OrderBody()
		return t, nil
	}
}

// startGatewayValidation is the gateway with request validation: every
// request POSTs the 1 KiB order to the validated copy of the API, whose
// path parameter and 20-property body are checked before forwarding.
func startGatewayValidation(ctx context.Context, env *Env) (Target, error) {
	return startValidatedAPI(ctx, env, true)
}

// startGatewayPost is gateway-validation's POSTs to the same API with
// request validation switched off by configuration: the gateway's own
// path for these requests, without the validator.
func startGatewayPost(ctx context.Context, env *Env) (Target, error) {
	return startValidatedAPI(ctx, env, false, validationOffEnv)
}

// validationOffEnv switches request validation off.
func validationOffEnv(*Env) []string { return []string{"MGW_VALIDATION_REQUEST=off"} }

// startValidatedAPI starts the gateway and points the target at the
// validated copy of the API. Before measuring it POSTs an invalid order,
// which must be refused with 400 when validate is true (a measurement of
// validation, not of a route that skips it) and forwarded when false.
func startValidatedAPI(ctx context.Context, env *Env, validate bool, extraEnv ...func(*Env) []string) (Target, error) {
	t, err := startGateway(false, extraEnv...)(ctx, env)
	if err != nil {
		return Target{}, err
	}
	t.URL = strings.Replace(t.URL, benchBasePath, benchlabel.ValidBasePath, 1)
	t.Post = benchlabel.OrderBody()
	bad := bytes.Replace(t.Post, []byte(`"quantity":12`), []byte(`"quantity":"12"`), 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(bad))
	if err != nil {
		return Target{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return Target{}, fmt.Errorf("POST of an invalid order: %w", err)
	}
	resp.Body.Close()
	want := http.StatusOK
	if validate {
		want = http.StatusBadRequest
	}
	if resp.StatusCode != want {
		return Target{}, fmt.Errorf("an invalid order answered %s, want %d (request validation on: %t)", resp.Status, want, validate)
	}
	return t, nil
}
