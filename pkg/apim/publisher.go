package apim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxPages bounds paging so that a misbehaving server cannot keep mgw
// busy forever (with the default page size: 100,000 APIs).
const maxPages = 1000

// APIsByLabel returns the published APIs of a Microgateway label, with
// full details (expand=true), in the order the server lists them. With
// API Manager 4.x, which has no labels, label names a gateway environment
// and the APIs are the revisions deployed to it. It
// follows paging to the end; progress, if not nil, is called after each
// page with the number of APIs received so far and the total the server
// announced. No API at all is an ErrNotFound error.
func (c *Client) APIsByLabel(ctx context.Context, label string, progress func(done, total int)) ([]API, error) {
	if strings.TrimSpace(label) == "" {
		return nil, fmt.Errorf("the label is empty: give the name of a Microgateway label of the API Manager")
	}
	if c.version.modern() {
		return c.modernAPIsByLabel(ctx, label, progress)
	}
	op := fmt.Sprintf("list the APIs of label %q", label)
	apis, err := c.searchAPIs(ctx, "label:"+label+" status:PUBLISHED", op, progress)
	if err != nil {
		return nil, err
	}
	if len(apis) == 0 {
		e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrNotFound, 1, nil)
		e.Status = http.StatusOK
		e.msg = fmt.Sprintf("no published APIs found for label %q on the API Manager at %s; check the label name (it is case-sensitive) and that its APIs are published with that label",
			label, c.base)
		return nil, e
	}
	return apis, nil
}

// APIByNameVersion returns the published API with exactly this name and
// version, with full details. None is an ErrNotFound error naming both.
// With API Manager 4.x it is the revision deployed to the gateway
// environment label.
func (c *Client) APIByNameVersion(ctx context.Context, label, name, version string) (API, error) {
	if name == "" || version == "" {
		return API{}, fmt.Errorf("both the API name and version are needed: pass --api-name and --api-version")
	}
	if c.version.modern() {
		return c.modernAPIByNameVersion(ctx, label, name, version)
	}
	op := fmt.Sprintf("find API %q version %q", name, version)
	apis, err := c.searchAPIs(ctx, "name:"+name+" version:"+version+" status:PUBLISHED", op, nil)
	if err != nil {
		return API{}, err
	}
	for _, a := range apis {
		if a.Name == name && a.Version == version {
			return a, nil
		}
	}
	e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrNotFound, 1, nil)
	e.Status = http.StatusOK
	e.msg = fmt.Sprintf("no published API named %q with version %q on the API Manager at %s; check --api-name and --api-version (both are case-sensitive) and that the API is published",
		name, version, c.base)
	return API{}, e
}

// searchAPIs runs a Publisher search and follows its pages. It stops when
// the server says there is no more (pagination.total reached and no next
// link), on an empty page, and fails when a page brings nothing new.
func (c *Client) searchAPIs(ctx context.Context, query, op string, progress func(done, total int)) ([]API, error) {
	var (
		all    []API
		seen   = map[string]bool{}
		offset int
	)
	for page := 0; ; page++ {
		if page == maxPages {
			e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrMalformed, 1, nil)
			e.msg = fmt.Sprintf("the API Manager at %s kept sending pages after %d pages (%d APIs) while trying to %s; stopping", c.base, maxPages, len(all), op)
			return nil, e
		}
		list, rq, resp, err := c.apiPage(ctx, query, offset, op)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, a := range list.List {
			key := a.ID
			if key == "" {
				key = a.Name + "\x00" + a.Version + "\x00" + a.Provider
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			all = append(all, a)
			fresh++
		}
		total := len(all)
		if list.Pagination != nil && list.Pagination.Total > total {
			total = list.Pagination.Total
		}
		if progress != nil {
			progress(len(all), total)
		}
		if len(list.List) == 0 {
			if len(all) < total {
				c.log.Warn("the API Manager announced more APIs than it returned; continuing with the APIs received",
					"announced", total, "received", len(all), "url", rq.url)
			}
			return all, nil
		}
		if fresh == 0 {
			return nil, c.malformed(rq, resp, &DecodeError{What: "API list page",
				Problem: fmt.Sprintf("the page at offset %d repeats APIs already received (the server seems to ignore the offset parameter)", offset)})
		}
		offset += len(list.List)
		more := list.Next != ""
		if list.Pagination != nil && offset < list.Pagination.Total {
			more = true
		}
		if !more {
			return all, nil
		}
	}
}

// apiPage fetches one page of a Publisher search.
func (c *Client) apiPage(ctx context.Context, query string, offset int, op string) (APIList, request, response, error) {
	q := url.Values{
		"query":  {query},
		"expand": {"true"},
		"limit":  {strconv.Itoa(c.pageSize)},
		"offset": {strconv.Itoa(offset)},
	}
	rq := request{
		kind:   kindPublisher,
		op:     op,
		method: http.MethodGet,
		url:    c.publisher + "/apis?" + encodeQuery(q),
		bearer: true,
		scope:  ScopeAPIView,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return APIList{}, rq, resp, err
	}
	if resp.status != http.StatusOK {
		return APIList{}, rq, resp, c.statusError(rq, resp)
	}
	list, err := DecodeAPIList(resp.body)
	if err != nil {
		return APIList{}, rq, resp, c.malformed(rq, resp, err)
	}
	return list, rq, resp, nil
}

// APIDefinition returns the Swagger definition of an API, as JSON text.
func (c *Client) APIDefinition(ctx context.Context, apiID string) (string, error) {
	if apiID == "" {
		return "", fmt.Errorf("the API id is empty: give the id of an API as the Publisher lists it")
	}
	rq := request{
		kind:   kindPublisher,
		op:     fmt.Sprintf("get the definition of API %s", apiID),
		method: http.MethodGet,
		url:    c.publisher + "/apis/" + url.PathEscape(apiID) + "/swagger",
		bearer: true,
		scope:  ScopeAPIView,
	}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return "", err
	}
	if resp.status == http.StatusNotFound {
		e := c.newError(rq, ErrNotFound, resp.attempts, nil)
		e.Status = resp.status
		e.ServerMessage = c.serverMessage(resp)
		e.msg = fmt.Sprintf("the API Manager at %s has no API with id %q (it may have been deleted since it was listed); run mgw setup again",
			c.base, apiID)
		return "", e
	}
	if resp.status != http.StatusOK {
		return "", c.statusError(rq, resp)
	}
	body := bytes.TrimSpace(resp.body)
	if len(body) == 0 || body[0] != '{' || !json.Valid(body) {
		var probe map[string]any
		err := decodeObject(resp.body, fmt.Sprintf("definition of API %s", apiID), &probe)
		if err == nil {
			err = &DecodeError{What: fmt.Sprintf("definition of API %s", apiID), Problem: "not a JSON object"}
		}
		return "", c.malformed(rq, resp, err)
	}
	return string(resp.body), nil
}

// encodeQuery encodes q with %20 for spaces, as the original CLI does.
func encodeQuery(q url.Values) string {
	return strings.ReplaceAll(q.Encode(), "+", "%20")
}
