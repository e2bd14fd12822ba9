package apidef

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/mgwio/mgw/pkg/gateway"
)

// paramSpec is one parameter definition of the conformance suite: an
// operation of its own with this single parameter.
type paramSpec struct {
	in, style  string
	explode    *bool
	schema     string // YAML flow mapping
	content    bool   // described by content application/json instead
	required   bool
	allowEmpty bool
}

func (s paramSpec) name() string {
	if s.in == "header" {
		return "X-V"
	}
	return "v"
}

// yaml renders the parameter object.
func (s paramSpec) yaml() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{name: %s, in: %s", s.name(), s.in)
	if s.required || s.in == "path" {
		b.WriteString(", required: true")
	}
	if s.allowEmpty {
		b.WriteString(", allowEmptyValue: true")
	}
	if s.style != "" {
		fmt.Fprintf(&b, ", style: %s", s.style)
	}
	if s.explode != nil {
		fmt.Fprintf(&b, ", explode: %v", *s.explode)
	}
	if s.content {
		fmt.Fprintf(&b, ", content: {application/json: {schema: %s}}}", s.schema)
	} else {
		fmt.Fprintf(&b, ", schema: %s}", s.schema)
	}
	return b.String()
}

func (s paramSpec) String() string { return s.yaml() }

// paramReq is one request, as raw text per location.
type paramReq struct {
	seg     string   // the path segment of a path parameter, percent-encoded
	query   string   // raw query
	headers []string // X-V values
	cookie  string   // Cookie header; "" for none
}

func (r paramReq) String() string {
	return fmt.Sprintf("seg=%q query=%q headers=%q cookie=%q", r.seg, r.query, r.headers, r.cookie)
}

// paramOp is a compiled operation: kin-openapi's route and the gateway's
// validator for the same parameter.
type paramOp struct {
	spec  paramSpec
	index int
	route *routers.Route
	gw    *gateway.RequestValidator
}

// paramSuite is one document holding an operation per spec.
type paramSuite struct {
	ops []*paramOp
}

// paramDoc writes the document of the specs.
func paramDoc(specs []paramSpec) string {
	var b strings.Builder
	b.WriteString(`openapi: 3.0.3
info: {title: Params, version: "1"}
x-wso2-basePath: /params/1
x-wso2-production-endpoints: {urls: ["http://127.0.0.1:1"]}
x-wso2-request-validation: true
paths:
`)
	for i, s := range specs {
		fmt.Fprintf(&b, "  %s:\n    get:\n      parameters:\n        - %s\n      responses: {\"200\": {description: ok}}\n", opPath(i, s), s.yaml())
	}
	return b.String()
}

func opPath(i int, s paramSpec) string {
	if s.in == "path" {
		return fmt.Sprintf("/op%d/{v}", i)
	}
	return fmt.Sprintf("/op%d", i)
}

// newParamSuite loads and compiles the specs; every one must build.
func newParamSuite(t testing.TB, specs []paramSpec) *paramSuite {
	t.Helper()
	src := paramDoc(specs)
	doc, err := Load("params.yaml", []byte(src))
	if err != nil {
		t.Fatalf("load: %v\n%s", err, src)
	}
	api, problems := ToAPI("params.yaml", doc)
	if len(problems) > 0 {
		t.Fatalf("build problems: %v", problems)
	}
	ps := &paramSuite{}
	for i, s := range specs {
		p := opPath(i, s)
		item := doc.Paths.Value(p)
		var res *gateway.Resource
		for j := range api.Resources {
			if api.Resources[j].Path == p {
				res = &api.Resources[j]
			}
		}
		if res == nil || res.Validation == nil || len(res.Validation.Params) != 1 {
			t.Fatalf("%s: the parameter was not compiled: %+v", s, res)
		}
		gw, err := gateway.NewRequestValidator(&api, res)
		if err != nil {
			t.Fatal(err)
		}
		ps.ops = append(ps.ops, &paramOp{spec: s, index: i, gw: gw, route: &routers.Route{
			Spec: doc, Path: p, PathItem: item, Method: http.MethodGet, Operation: item.Get,
		}})
	}
	return ps
}

// request builds the HTTP request of r for op, and the path parameter
// as a router decodes it; ok is false when the segment is not one.
func (op *paramOp) request(r paramReq) (*http.Request, string, map[string]string, bool) {
	backend := fmt.Sprintf("/op%d", op.index)
	var params map[string]string
	if op.spec.in == "path" {
		if strings.Contains(r.seg, "/") {
			return nil, "", nil, false
		}
		dec, err := url.PathUnescape(r.seg)
		if err != nil {
			return nil, "", nil, false
		}
		backend += "/" + r.seg
		params = map[string]string{"v": dec}
	}
	req := &http.Request{
		Method: http.MethodGet, Header: http.Header{},
		URL: &url.URL{Path: "/params/1" + backend, RawQuery: r.query},
	}
	for _, h := range r.headers {
		req.Header.Add("X-V", h)
	}
	if r.cookie != "" {
		req.Header.Set("Cookie", r.cookie)
	}
	return req, backend, params, true
}

// kinDecision is openapi3filter.ValidateRequest's answer; panicked
// reports a panic inside kin-openapi (no decision to compare with).
func (op *paramOp) kinDecision(r paramReq) (err error, panicked, ok bool) {
	req, _, params, ok := op.request(r)
	if !ok {
		return nil, false, false
	}
	defer func() {
		if recover() != nil {
			panicked = true
		}
	}()
	err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: op.route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, ExcludeRequestBody: true,
			SkipSettingDefaults: true, SchemaValidationOptions: []openapi3.SchemaValidationOption{kinFormats()},
		},
	})
	return err, false, true
}

// gatewayDecision is the compiled validator's answer.
func (op *paramOp) gatewayDecision(r paramReq) error {
	req, backend, _, _ := op.request(r)
	return op.gw.CheckParams(req, backend)
}

// compare runs both on r: "" when they agree (or r is not comparable),
// else a description of the difference.
func (op *paramOp) compare(r paramReq) (string, bool) {
	kinErr, panicked, ok := op.kinDecision(r)
	if !ok || panicked {
		return "", false
	}
	gwErr := op.gatewayDecision(r)
	if deliberateParamDifference(op.spec, kinErr) {
		return "", false
	}
	if (kinErr == nil) != (gwErr == nil) {
		return fmt.Sprintf("%s\n  request %s\n  gateway: %v\n  kin-openapi: %v", op.spec, r, gwErr, kinErr), true
	}
	return "", true
}

// deliberateParamDifference reports the cases where the gateway differs
// from openapi3filter on purpose (docs/ARCHITECTURE.md, "Schema
// validation"): a cookie parameter described by content that the request
// does not carry (or carries with characters net/http drops) is refused
// by openapi3filter whether required or not (it returns
// http.ErrNoCookie); the gateway treats it as absent.
func deliberateParamDifference(s paramSpec, kinErr error) bool {
	return s.content && s.in == "cookie" && kinErr != nil && errors.Is(kinErr, http.ErrNoCookie)
}
