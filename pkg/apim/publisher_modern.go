package apim

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// detailWorkers is how many APIs are fetched at once after the list: 3.x
// and 4.x lists carry no definitions, so each API costs two or three more
// requests.
const detailWorkers = 8

// modernAPIsByLabel lists the APIs of a 3.x label (search "label:") or of a
// 4.x gateway environment (every API's deployments), then fetches each
// one's details and definition.
func (c *Client) modernAPIsByLabel(ctx context.Context, label string, progress func(done, total int)) ([]API, error) {
	var (
		op    string
		query string
	)
	if c.version == V4 {
		op = fmt.Sprintf("list the APIs deployed to gateway environment %q", label)
	} else {
		op = fmt.Sprintf("list the APIs of label %q", label)
		query = "label:" + label
	}
	infos, err := c.listModern(ctx, query, op)
	if err != nil {
		return nil, err
	}
	if c.version == V3 {
		infos = published(infos)
	}
	apis, err := c.modernDetails(ctx, infos, label, progress)
	if err != nil {
		return nil, err
	}
	if len(apis) == 0 {
		e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrNotFound, 1, nil)
		e.Status = http.StatusOK
		if c.version == V4 {
			e.msg = fmt.Sprintf("no API has a revision deployed to gateway environment %q on the %s at %s; with API Manager 4.x the mgw label is the name of a gateway environment (check it, it is case-sensitive, and deploy a revision of each API to it)",
				label, c.version.Product(), c.base)
		} else {
			e.msg = fmt.Sprintf("no published APIs found for label %q on the %s at %s; check the label name (it is case-sensitive) and that its APIs are published with that label",
				label, c.version.Product(), c.base)
		}
		return nil, e
	}
	return apis, nil
}

// modernAPIByNameVersion finds one API by exact name and version. For 4.x
// it is the revision deployed to gateway environment label.
func (c *Client) modernAPIByNameVersion(ctx context.Context, label, name, version string) (API, error) {
	op := fmt.Sprintf("find API %q version %q", name, version)
	infos, err := c.listModern(ctx, "name:"+name+" version:"+version, op)
	if err != nil {
		return API{}, err
	}
	var match []ModernAPIInfo
	for _, in := range infos {
		if in.Name == name && in.Version == version {
			match = append(match, in)
		}
	}
	if c.version == V3 {
		match = published(match)
	}
	var apis []API
	if len(match) > 0 {
		if apis, err = c.modernDetails(ctx, match[:1], label, nil); err != nil {
			return API{}, err
		}
	}
	if len(apis) == 0 {
		e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrNotFound, 1, nil)
		e.Status = http.StatusOK
		where := "published"
		if c.version == V4 {
			where = fmt.Sprintf("with a revision deployed to gateway environment %q", label)
		}
		e.msg = fmt.Sprintf("no API named %q with version %q %s on the %s at %s; check --api-name and --api-version (both are case-sensitive)",
			name, version, where, c.version.Product(), c.base)
		return API{}, e
	}
	return apis[0], nil
}

func published(in []ModernAPIInfo) []ModernAPIInfo {
	out := in[:0:0]
	for _, a := range in {
		if a.LifeCycleStatus == "" || strings.EqualFold(a.LifeCycleStatus, "PUBLISHED") {
			out = append(out, a)
		}
	}
	return out
}

// listModern runs a v1/v4 search (all APIs when query is empty) and
// follows its pages to the end, failing on a page that brings nothing new
// and after maxPages.
func (c *Client) listModern(ctx context.Context, query, op string) ([]ModernAPIInfo, error) {
	var (
		all    []ModernAPIInfo
		seen   = map[string]bool{}
		offset int
	)
	for page := 0; ; page++ {
		if page == maxPages {
			e := c.newError(request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis"}, ErrMalformed, 1, nil)
			e.msg = fmt.Sprintf("the API Manager at %s kept sending pages after %d pages (%d APIs) while trying to %s; stopping", c.base, maxPages, len(all), op)
			return nil, e
		}
		q := url.Values{"limit": {strconv.Itoa(c.pageSize)}, "offset": {strconv.Itoa(offset)}}
		if query != "" {
			q.Set("query", query)
		}
		rq := request{kind: kindPublisher, op: op, method: http.MethodGet, url: c.publisher + "/apis?" + encodeQuery(q), bearer: true, scope: ScopeAPIView}
		resp, err := c.do(ctx, rq)
		if err != nil {
			return nil, err
		}
		if resp.status != http.StatusOK {
			return nil, c.statusError(rq, resp)
		}
		list, err := DecodeModernAPIList(resp.body)
		if err != nil {
			return nil, c.malformed(rq, resp, err)
		}
		fresh := 0
		for _, a := range list.List {
			if seen[a.ID] {
				continue
			}
			seen[a.ID] = true
			all = append(all, a)
			fresh++
		}
		if len(list.List) == 0 {
			return all, nil
		}
		if fresh == 0 {
			return nil, c.malformed(rq, resp, &DecodeError{What: "API list page",
				Problem: fmt.Sprintf("the page at offset %d repeats APIs already received (the server seems to ignore the offset parameter)", offset)})
		}
		offset += len(list.List)
		more := list.Pagination != nil && (list.Pagination.Next != "" || offset < list.Pagination.Total)
		if !more {
			return all, nil
		}
	}
}

// modernDetails fetches, a few at a time, each API's DTO and definition;
// for 4.x those of the revision deployed to environment label, leaving out
// APIs without one. The order of infos is kept.
func (c *Client) modernDetails(ctx context.Context, infos []ModernAPIInfo, label string, progress func(done, total int)) ([]API, error) {
	slots := make([]*API, len(infos))
	var (
		mu   sync.Mutex
		done int
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(detailWorkers)
	for i := range infos {
		g.Go(func() error {
			a, err := c.modernOne(gctx, infos[i], label)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			slots[i] = a
			done++
			if progress != nil {
				progress(done, len(infos))
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := make([]API, 0, len(infos))
	for _, a := range slots {
		if a != nil {
			out = append(out, *a)
		}
	}
	return out, nil
}

// modernOne fetches one API; nil without error when a 4.x API has no
// revision deployed to environment label (a deployment waiting for
// approval does not count).
func (c *Client) modernOne(ctx context.Context, info ModernAPIInfo, label string) (*API, error) {
	id := info.ID
	if c.version == V4 {
		deps, err := c.Deployments(ctx, info.ID)
		if err != nil {
			return nil, err
		}
		id = ""
		for _, d := range deps {
			if d.Name == label && d.Live() {
				id = d.RevisionUUID
				break
			}
		}
		if id == "" {
			return nil, nil
		}
	}
	m, err := c.modernAPI(ctx, id, info)
	if err != nil {
		return nil, err
	}
	def, err := c.APIDefinition(ctx, id)
	if err != nil {
		return nil, err
	}
	a, err := ToAPI(m, def, []string{label})
	if err != nil {
		return nil, err
	}
	a.ID = info.ID
	return &a, nil
}

// modernAPI fetches GET /apis/{id} (an API or, in 4.x, a revision).
func (c *Client) modernAPI(ctx context.Context, id string, info ModernAPIInfo) (ModernAPI, error) {
	rq := request{kind: kindPublisher, op: fmt.Sprintf("get API %q %s", info.Name, info.Version), method: http.MethodGet,
		url: c.publisher + "/apis/" + url.PathEscape(id), bearer: true, scope: ScopeAPIView}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return ModernAPI{}, err
	}
	if resp.status != http.StatusOK {
		return ModernAPI{}, c.statusError(rq, resp)
	}
	m, err := DecodeModernAPI(resp.body)
	if err != nil {
		return ModernAPI{}, c.malformed(rq, resp, err)
	}
	return m, nil
}

// Deployments returns where the revisions of an API are deployed
// (Publisher v4 GET /apis/{apiId}/deployments).
func (c *Client) Deployments(ctx context.Context, apiID string) ([]Deployment, error) {
	if c.version != V4 {
		return nil, fmt.Errorf("deployments exist on API Manager 4.x only; this client speaks %s", c.version.Product())
	}
	rq := request{kind: kindPublisher, op: fmt.Sprintf("list the deployments of API %s", apiID), method: http.MethodGet,
		url: c.publisher + "/apis/" + url.PathEscape(apiID) + "/deployments", bearer: true, scope: ScopeAPIView}
	resp, err := c.do(ctx, rq)
	if err != nil {
		return nil, err
	}
	if resp.status != http.StatusOK {
		return nil, c.statusError(rq, resp)
	}
	deps, err := DecodeDeployments(resp.body)
	if err != nil {
		return nil, c.malformed(rq, resp, err)
	}
	return deps, nil
}
