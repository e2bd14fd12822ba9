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
	t, err := startGateway(false)(ctx, env)
	if err != nil {
		return Target{}, err
	}
	t.URL = strings.Replace(t.URL, benchBasePath, benchlabel.ValidBasePath, 1)
	t.Post = benchlabel.OrderBody()
	// Measure validation, not a route that skips it: a bad order must be
	// refused with 400.
	bad := bytes.Replace(t.Post, []byte(`"quantity":12`), []byte(`"quantity":"12"`), 1)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.URL, bytes.NewReader(bad))
	if err != nil {
		return Target{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		return Target{}, fmt.Errorf("gateway-validation: POST of an invalid order: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		return Target{}, fmt.Errorf("gateway-validation: an invalid order answered %s, want 400: the route does not validate", resp.Status)
	}
	return t, nil
}
