package gateway

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// styledAPI has one operation per style, as mgw build compiles them.
func styledAPI() (*API, map[string]*Resource) {
	schemas := []Schema{
		// 1 integer 1..10
		{Types: []string{"integer"}, Minimum: 1, HasMinimum: true, Maximum: 10, HasMaximum: true},
		// 2 filter object: {a: integer 1..10 (required), b: string enum}
		{Types: []string{"object"}, Required: []string{"a"}, Properties: []Property{{Name: "a", Schema: 1}, {Name: "b", Schema: 3}}},
		// 3 enum
		{Types: []string{"string"}, Enum: []string{`"x"`, `"y"`}},
		// 4 array of integers 1..10
		{Types: []string{"array"}, Items: 1, MaxItems: 3, HasMaxItems: true},
	}
	api := &API{Name: "Styled", Version: "1", Schemas: schemas, Resources: []Resource{
		{Path: "/m/{id}", Method: "GET", Validation: &Validation{Request: true, Params: []ParamRule{
			{Name: "id", In: ParamPath, Style: StyleMatrix, Explode: true, Required: true, Schema: 4}}}},
		{Path: "/l/{f}", Method: "GET", Validation: &Validation{Request: true, Params: []ParamRule{
			{Name: "f", In: ParamPath, Style: StyleLabel, Explode: true, Required: true, Schema: 2}}}},
		{Path: "/d", Method: "GET", Validation: &Validation{Request: true, Params: []ParamRule{
			{Name: "filter", In: ParamQuery, Style: StyleDeepObject, Explode: true, Required: true, Schema: 2},
			{Name: "ids", In: ParamQuery, Style: StylePipeDelimited, Schema: 4},
			{Name: "X-Obj", In: ParamHeader, Explode: true, Schema: 2},
			{Name: "json", In: ParamQuery, Content: true, Schema: 2}}}},
		{Path: "/c", Method: "GET", Validation: &Validation{Request: true, Params: []ParamRule{
			{Name: "session", In: ParamCookie, Required: true, Schema: 1}}}},
	}}
	res := map[string]*Resource{}
	for i := range api.Resources {
		res[api.Resources[i].Path] = &api.Resources[i]
	}
	return api, res
}

func styledRequest(path, query string, header ...string) *http.Request {
	r := &http.Request{Method: "GET", URL: &url.URL{Path: path, RawQuery: query}, Header: http.Header{}}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	return r
}

// TestParamStyles: each style is decoded, checked and described by name.
func TestParamStyles(t *testing.T) {
	api, res := styledAPI()
	for _, tc := range []struct {
		res, path, query string
		header           []string
		want             string // "" for accepted
	}{
		{"/m/{id}", "/m/;id=1;id=2", "", nil, ""},
		{"/m/{id}", "/m/;id=1;id=20", "", nil, `path parameter "id" at /1: must be at most 10`},
		{"/m/{id}", "/m/1,2", "", nil, `path parameter "id": the value must start with ";id="`},
		{"/m/{id}", "/m/;id=1;id=2;id=3;id=4", "", nil, `path parameter "id": the array has more than 3 items (maxItems)`},
		{"/l/{f}", "/l/.a=3.b=x", "", nil, ""},
		{"/l/{f}", "/l/.b=x", "", nil, `path parameter "f" at /a: the required property is missing`},
		{"/l/{f}", "/l/.a=3.b=z", "", nil, `path parameter "f" at /b: the value is not one of the allowed values (enum)`},
		{"/l/{f}", "/l/.a", "", nil, `path parameter "f": a value must be a list of object properties as name=value separated by "."`},
		{"/d", "/d", "filter[a]=2&filter[b]=y&ids=1|2", nil, ""},
		{"/d", "/d", "filter%5Ba%5D=2", []string{"X-Obj", "a=1,b=x"}, ""},
		{"/d", "/d", "filter[a]=0", nil, `query parameter "filter" at /a: must be at least 1`},
		{"/d", "/d", "filter[a]=one", nil, `query parameter "filter": property "a": expected an integer, got "one"`},
		{"/d", "/d", "filter[b]=x", nil, `query parameter "filter" at /a: the required property is missing`},
		{"/d", "/d", "other=1", nil, `query parameter "filter": the required parameter is missing`},
		{"/d", "/d", "filter[a]=1&filter[a][b]=2", nil, `query parameter "filter": "filter[a][b]" conflicts with "filter[a]"`},
		{"/d", "/d", "filter[a]=1&ids=1|x", nil, `query parameter "ids": item 1: expected an integer, got "x"`},
		{"/d", "/d", "filter[a]=1", []string{"X-Obj", "a=11"}, `header parameter "X-Obj" at /a: must be at most 10`},
		{"/d", "/d", "filter[a]=1&json=" + url.QueryEscape(`{"a":5}`), nil, ""},
		{"/d", "/d", "filter[a]=1&json=" + url.QueryEscape(`{"a":50}`), nil, `query parameter "json" at /a: must be at most 10`},
		{"/d", "/d", "filter[a]=1&json=" + url.QueryEscape(`{"a":`), nil, `query parameter "json": the value is not JSON`},
		{"/c", "/c", "", []string{"Cookie", "other=1; session=7"}, ""},
		{"/c", "/c", "", []string{"Cookie", "session=70"}, `cookie parameter "session": must be at most 10`},
		{"/c", "/c", "", []string{"Cookie", "other=1"}, `cookie parameter "session": the required parameter is missing`},
		{"/c", "/c", "", []string{"Cookie", "session="}, `cookie parameter "session": an empty value is not allowed`},
	} {
		v, err := NewRequestValidator(api, res[tc.res])
		if err != nil {
			t.Fatal(err)
		}
		err = v.CheckParams(styledRequest(tc.path, tc.query, tc.header...), tc.path)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s?%s %v:\n got %q\nwant %q", tc.path, tc.query, tc.header, got, tc.want)
		}
	}
}

// TestParamStylesNoAllocs: valid matrix, label, deepObject, delimited
// and header object parameters are checked without allocating.
func TestParamStylesNoAllocs(t *testing.T) {
	api, res := styledAPI()
	for _, tc := range []struct {
		res   string
		r     *http.Request
		bpath string
	}{
		{"/m/{id}", styledRequest("/m/;id=1;id=2", ""), "/m/;id=1;id=2"},
		{"/l/{f}", styledRequest("/l/.a=3.b=x", ""), "/l/.a=3.b=x"},
		{"/d", styledRequest("/d", "filter[a]=2&filter[b]=y&ids=1|2", "X-Obj", "a=1,b=x"), "/d"},
	} {
		v, err := NewRequestValidator(api, res[tc.res])
		if err != nil {
			t.Fatal(err)
		}
		if err := v.CheckParams(tc.r, tc.bpath); err != nil {
			t.Fatalf("%s: %v", tc.bpath, err)
		}
		if n := testing.AllocsPerRun(50, func() { _ = v.CheckParams(tc.r, tc.bpath) }); n != 0 {
			t.Errorf("%s: %v allocations per check, want 0", strings.TrimSpace(tc.bpath), n)
		}
	}
}

// TestDeepObjectManyKeys: past the linear scan, clashing deepObject keys
// are still found (through the maps), and thousands of keys are fine.
func TestDeepObjectManyKeys(t *testing.T) {
	api, res := styledAPI()
	v, err := NewRequestValidator(api, res["/d"])
	if err != nil {
		t.Fatal(err)
	}
	var q strings.Builder
	q.WriteString("filter[a]=1")
	for i := range 5000 {
		q.WriteString("&filter[z" + strconv.Itoa(i) + "][x]=1")
	}
	if err := v.CheckParams(styledRequest("/d", q.String()), "/d"); err != nil {
		t.Errorf("5001 distinct keys: %v", err)
	}
	for _, tail := range []string{"&filter[a][b]=2", "&filter[z7]=2", "&filter[z9][x]=3"} {
		err := v.CheckParams(styledRequest("/d", q.String()+tail), "/d")
		if err == nil || !strings.Contains(err.Error(), "conflicts with") && !strings.Contains(err.Error(), "more than once") {
			t.Errorf("%s: %v, want a clash", tail, err)
		}
	}
}
