package apimsim

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// DefaultPageLimit is the Publisher's default page size.
const DefaultPageLimit = 25

// parsePaging reads limit and offset from a list request's query.
func parsePaging(q url.Values) (offset, limit int, err error) {
	limit, err = intParam(q, "limit", DefaultPageLimit, 1)
	if err != nil {
		return 0, 0, err
	}
	offset, err = intParam(q, "offset", 0, 0)
	if err != nil {
		return 0, 0, err
	}
	return offset, limit, nil
}

// listRequest is what a Publisher GET /apis asks for, of any version.
type listRequest struct {
	params        url.Values
	offset, limit int
	query         string
	terms         []searchTerm
}

// parseListRequest reads a GET /apis query string: paging and the search
// query. On a bad request it answers 400 and reports false.
func parseListRequest(w http.ResponseWriter, r *http.Request) (listRequest, bool) {
	var lr listRequest
	var err error
	if lr.params, err = url.ParseQuery(r.URL.RawQuery); err != nil {
		writeBadRequest(w, "the query string is not valid URL encoding ("+err.Error()+"); escape spaces as %20 and '%' as %25")
		return lr, false
	}
	if lr.offset, lr.limit, err = parsePaging(lr.params); err != nil {
		writeBadRequest(w, err.Error())
		return lr, false
	}
	lr.query = lr.params.Get("query")
	if lr.terms, err = parseSearchQuery(lr.query); err != nil {
		writeBadRequest(w, err.Error())
		return lr, false
	}
	return lr, true
}

// intParam reads an integer query parameter of at least min.
func intParam(q url.Values, name string, def, min int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min {
		return 0, fmt.Errorf("%s=%q is not valid; use an integer of at least %d", name, s, min)
	}
	return n, nil
}

// pageLinks returns the next and previous links of a page the way the real
// server computes them (RestApiUtil.getPaginationParams): none when offset is
// past the end, next when more items follow, previous when offset > 0.
func pageLinks(offset, limit, total int, query string) (next, previous string) {
	if offset >= total || offset < 0 {
		return "", ""
	}
	if offset+limit < total {
		next = pageLink(offset+limit, limit, query)
	}
	if offset > 0 {
		previous = pageLink(max(offset-limit, 0), limit, query)
	}
	return next, previous
}

// pageLink renders "/apis?limit=L&offset=O&query=Q".
func pageLink(offset, limit int, query string) string {
	return fmt.Sprintf("/apis?limit=%d&offset=%d&query=%s", limit, offset, escapeSearchQuery(query))
}

// escapeSearchQuery escapes a search query for a link, keeping ':' and '*'
// readable and writing spaces as %20 (label:x%20status:PUBLISHED).
func escapeSearchQuery(q string) string {
	return strings.NewReplacer("+", "%20", "%3A", ":", "%2A", "*").Replace(url.QueryEscape(q))
}
