package gateway

import (
	"fmt"
	"strings"
)

// smugCase is one request-smuggling attempt: raw bytes with placeholders
// and what a strict RFC 9112 reading of them gives.
type smugCase struct {
	name string
	// raw is what the client writes. {P} is the recorded resource's path
	// prefix (an id follows), {A} the Authorization header line with a
	// valid token, {S} the smuggled request: no token, path /smuggled.
	raw string
	// want is the responses a strict front door gives, in order: "200:id"
	// (forwarded, the backend answered), "401" (refused by security) or
	// "rej" (refused as malformed, 400/413/417/431/501/505, then closed).
	want []string
	// bodies are the bodies the backend must receive, by id.
	bodies map[string]string
}

// smugSmuggled is the request hidden in the cases: no token, a path the
// backend must never see.
const smugSmuggled = "GET /pizzashack/1.0.0/smuggled HTTP/1.1\r\nHost: gw\r\n\r\n"

// smugExpand fills in a case's placeholders for case id cid.
func smugExpand(s, cid, token string) string {
	return strings.NewReplacer(
		"{P}", smugPrefix+cid+"-",
		"{S}", smugSmuggled,
		"{A}", "Authorization: Bearer "+token+"\r\n",
	).Replace(s)
}

// smugLen is the length of s once expanded; bodies hold no {A}, and case
// ids have a fixed width, so it is the same for every case.
func smugLen(s string) int { return len(smugExpand(s, "c000", "")) }

// head is a request head up to the headers extra (each ending in CRLF),
// without the blank line.
func head(method, id, extra string) string {
	return method + " {P}" + id + " HTTP/1.1\r\nHost: gw\r\n{A}" + extra
}

// withCL ends a head with a correct Content-Length and the body.
func withCL(body string) string {
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", smugLen(body), body)
}

// chunk is one chunk of chunked coding holding s.
func chunk(s string) string { return fmt.Sprintf("%x\r\n%s\r\n", smugLen(s), s) }

const lastChunk = "0\r\n\r\n"

// get is an honest GET with a token.
func get(id string) string { return head("GET", id, "") + "\r\n" }

// smuggleCases returns the suite's cases.
func smuggleCases() []smugCase {
	var cs []smugCase
	add := func(name, raw string, want []string, bodies map[string]string) {
		cs = append(cs, smugCase{name: name, raw: raw, want: want, bodies: bodies})
	}
	rej := []string{"rej"}
	ok1 := []string{"200:1"}
	hidden := map[string]string{"1": "{S}"}

	// A baseline that must pass: pipelined honest requests.
	add("baseline pipelined", get("1")+get("2"), []string{"200:1", "200:2"}, nil)

	// CL.TE and TE.CL: both framings; a strict server refuses.
	add("CL.TE", head("POST", "1", "Content-Length: "+fmt.Sprint(smugLen(lastChunk+"{S}"))+"\r\nTransfer-Encoding: chunked\r\n\r\n")+lastChunk+"{S}", rej, nil)
	add("TE.CL", head("POST", "1", "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n")+chunk("{S}")+lastChunk, rej, nil)
	add("CL.TE CL last", head("POST", "1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n")+lastChunk+"{S}", rej, nil)
	add("CL.TE http/1.0", "POST {P}1 HTTP/1.0\r\n{A}Connection: keep-alive\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"+lastChunk+"{S}", rej, nil)

	// TE.TE: obfuscated Transfer-Encoding. The body is one chunk holding
	// the smuggled request: a server that ignores the header reads it as
	// the next request. Each also with a Content-Length beside it.
	for _, o := range []struct {
		name, te string
		valid    bool // still plain chunked under RFC 9112
	}{
		{"chunked, identity", "Transfer-Encoding: chunked, identity\r\n", false},
		{"identity, chunked", "Transfer-Encoding: identity, chunked\r\n", false},
		{"xchunked", "Transfer-Encoding: xchunked\r\n", false},
		{"chunked trailing space", "Transfer-Encoding: chunked \r\n", true},
		{"chunked trailing tab", "Transfer-Encoding: chunked\t\r\n", true},
		{"space before colon", "Transfer-Encoding : chunked\r\n", false},
		{"tab after colon", "Transfer-Encoding:\tchunked\r\n", true},
		{"mixed case", "tRANSFER-eNCODING: ChUnKeD\r\n", true},
		{"duplicated chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", false},
		{"duplicated chunked identity", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n", false},
		{"chunked, chunked", "Transfer-Encoding: chunked, chunked\r\n", false},
		{"obs-fold value", "Transfer-Encoding:\r\n chunked\r\n", false},
		{"obs-fold hides header", "X-A: b\r\n Transfer-Encoding: chunked\r\n", false},
		{"vertical tab", "Transfer-Encoding: \x0bchunked\r\n", false},
		{"quoted", "Transfer-Encoding: \"chunked\"\r\n", false},
		{"NUL before name", "\x00Transfer-Encoding: chunked\r\n", false},
		{"empty value", "Transfer-Encoding: \r\n", false},
	} {
		want, bodies := rej, map[string]string(nil)
		if o.valid {
			want, bodies = ok1, hidden
		}
		add("TE.TE "+o.name, head("POST", "1", o.te+"\r\n")+chunk("{S}")+lastChunk, want, bodies)
		add("TE.TE "+o.name+" with CL", head("POST", "1", o.te+"Content-Length: 3\r\n\r\n")+chunk("{S}")+lastChunk, rej, nil)
	}
	// Not Transfer-Encoding at all: no body, then garbage where the next
	// request line should be.
	add("TE.TE underscore name", head("POST", "1", "Transfer_Encoding: chunked\r\n\r\n")+chunk("{S}")+lastChunk, []string{"200:1", "rej"}, map[string]string{"1": ""})

	// Content-Length: conflicting, malformed, huge. The body is "hello"
	// and the smuggled request follows: a server reading another length
	// swallows or exposes part of it.
	body := "hello{S}"
	for _, o := range []struct {
		name, cl string
		want     []string
	}{
		{"5, 6", "Content-Length: 5, 6\r\n", rej},
		{"two headers differ", "Content-Length: 5\r\nContent-Length: 6\r\n", rej},
		{"+5", "Content-Length: +5\r\n", rej},
		{"0x5", "Content-Length: 0x5\r\n", rej},
		{"-5", "Content-Length: -5\r\n", rej},
		{"5.0", "Content-Length: 5.0\r\n", rej},
		{"5 5", "Content-Length: 5 5\r\n", rej},
		{"20 digits", "Content-Length: 99999999999999999999\r\n", rej},
		{"int64 overflow", "Content-Length: 9223372036854775808\r\n", rej},
		{"uint64 wrap to 5", "Content-Length: 18446744073709551621\r\n", rej},
		{"empty", "Content-Length: \r\n", rej},
		{"space before colon", "Content-Length : 5\r\n", rej},
		{"obs-fold", "Content-Length:\r\n 5\r\n", rej},
		{"leading space", "Content-Length:  5\r\n", []string{"200:1", "401"}},
		{"trailing space", "Content-Length: 5 \r\n", []string{"200:1", "401"}},
		{"5, 5", "Content-Length: 5, 5\r\n", []string{"200:1", "401"}},
		{"two headers equal", "Content-Length: 5\r\nContent-Length: 5\r\n", []string{"200:1", "401"}},
	} {
		var bodies map[string]string
		if len(o.want) > 1 {
			bodies = map[string]string{"1": "hello"}
		}
		add("CL "+o.name, head("POST", "1", o.cl+"\r\n")+body, o.want, bodies)
	}

	// Chunk framing: invalid sizes, extensions, line ends.
	te := "Transfer-Encoding: chunked\r\n\r\n"
	for _, o := range []struct {
		name, chunks string
		want         []string
		body         string
	}{
		{"size -1", "-1\r\n{S}\r\n" + lastChunk, rej, ""},
		{"size 0x10", "0x10\r\nhello\r\n" + lastChunk, rej, ""},
		{"size hex overflow", "10000000000000005\r\nhello\r\n" + lastChunk, rej, ""},
		{"size 17 f", "fffffffffffffffff\r\nhello\r\n" + lastChunk, rej, ""},
		{"size with inner space", "1 0\r\nhello\r\n" + lastChunk, rej, ""},
		{"size with leading space", " 5\r\nhello\r\n" + lastChunk, rej, ""},
		{"size with trailing space", "5 \r\nhello\r\n" + lastChunk, rej, ""},
		{"size empty", "\r\nhello\r\n" + lastChunk, rej, ""},
		{"extension", "5;ext=1\r\nhello\r\n" + lastChunk, ok1, "hello"},
		{"extension quoted", "5;a=\"b;c\"\r\n" + "hello\r\n" + lastChunk, ok1, "hello"},
		{"extension BWS", "5 ; a = b\r\nhello\r\n" + lastChunk, ok1, "hello"},
		{"extension oversized", "5;" + strings.Repeat("x", 5000) + "\r\nhello\r\n" + lastChunk, rej, ""},
		{"extension bare CR", "5;a\rb\r\nhello\r\n" + lastChunk, rej, ""},
		{"extension bare LF", "5;a\n" + chunk("{S}") + lastChunk, rej, ""},
		{"extension NUL", "5;a\x00\r\nhello\r\n" + lastChunk, rej, ""},
		{"extension not a token", "5;a b\r\nhello\r\n" + lastChunk, rej, ""},
		{"no CRLF after data", "5\r\nhelloX\r\n" + lastChunk, rej, ""},
		{"data longer than size", "3\r\nhello\r\n" + lastChunk, rej, ""},
		{"bare LF after data", "5\r\nhello\n" + lastChunk, rej, ""},
		{"bare CR after data", "5\r\nhello\r" + lastChunk, rej, ""},
		{"bare LF size line", "5\nhello\r\n" + lastChunk, rej, ""},
		{"bare LF everywhere", "5\nhello\n0\n\n", rej, ""},
		{"last chunk bare LF", "5\r\nhello\r\n0\n\r\n", rej, ""},
		{"trailer field", "5\r\nhello\r\n0\r\nX-T: 1\r\n\r\n", ok1, "hello"},
		{"trailer is a request line", "5\r\nhello\r\n0\r\n{S}", rej, ""},
		{"trailer NUL", "5\r\nhello\r\n0\r\nX-T: \x00\r\n\r\n", rej, ""},
		{"trailer obs-fold", "5\r\nhello\r\n0\r\nX-T: 1\r\n folded\r\n\r\n", rej, ""},
		{"hidden in chunk", chunk("{S}") + lastChunk, ok1, "{S}"},
	} {
		var bodies map[string]string
		if o.want[0] != "rej" {
			bodies = map[string]string{"1": o.body}
		}
		add("chunk "+o.name, head("POST", "1", te)+o.chunks, o.want, bodies)
	}

	// Line ends and control characters in the head. RFC 9112 2.2 lets a
	// recipient take a bare LF as a line end; a bare CR, NUL or CR inside
	// a name or value is invalid.
	add("bare LF head", "GET {P}1 HTTP/1.1\nHost: gw\n{A}\n", ok1, nil)
	add("bare LF request line only", "GET {P}1 HTTP/1.1\nHost: gw\r\n{A}\r\n", ok1, nil)
	add("bare CR request line", "GET {P}1 HTTP/1.1\rHost: gw\r\n{A}\r\n", rej, nil)
	add("bare CR header", head("GET", "1", "X-A: b\rTransfer-Encoding: chunked\r\n\r\n"), rej, nil)
	add("bare CR line end", head("GET", "1", "X-A: b\r\r\n\r\n"), rej, nil)
	add("CR in name", head("GET", "1", "X-\rA: b\r\n\r\n"), rej, nil)
	add("NUL in value", head("GET", "1", "X-A: b\x00c\r\n\r\n"), rej, nil)
	add("NUL in name", head("GET", "1", "X-\x00A: b\r\n\r\n"), rej, nil)
	add("NUL in target", "GET {P}1\x00 HTTP/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("bare LF hides CL", head("POST", "1", "X-A: b\nContent-Length: 5\r\n\r\n")+body, []string{"200:1", "401"}, map[string]string{"1": "hello"})

	// Oversized heads.
	add("request line 70KB", "GET {P}1?"+strings.Repeat("a", 70<<10)+" HTTP/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("header block 70KB", head("GET", "1", strings.Repeat("X-Pad: "+strings.Repeat("a", 1000)+"\r\n", 70)+"\r\n"), rej, nil)
	add("one header 70KB", head("GET", "1", "X-Pad: "+strings.Repeat("a", 70<<10)+"\r\n\r\n"), rej, nil)

	// HTTP/1.0 keep-alive.
	add("1.0 keep-alive", "GET {P}1 HTTP/1.0\r\n{A}Connection: keep-alive\r\n\r\nGET {P}2 HTTP/1.0\r\n{A}\r\nGET {P}3 HTTP/1.0\r\n{A}\r\n", []string{"200:1", "200:2"}, nil)
	add("1.0 keep-alive body", "POST {P}1 HTTP/1.0\r\n{A}Connection: keep-alive\r\n"+withCL("hello")+"POST {P}2 HTTP/1.0\r\n{A}Connection: keep-alive\r\n"+withCL("{S}")+get("3"),
		[]string{"200:1", "200:2", "200:3"}, map[string]string{"1": "hello", "2": "{S}", "3": ""})
	add("1.0 no keep-alive then smuggled", "POST {P}1 HTTP/1.0\r\n{A}"+withCL("hello")+"{S}", ok1, map[string]string{"1": "hello"})
	add("1.0 chunked", "POST {P}1 HTTP/1.0\r\n{A}Connection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"+chunk("{S}")+lastChunk, rej, nil)
	add("1.0 body without length", "POST {P}1 HTTP/1.0\r\n{A}Connection: keep-alive\r\n\r\n{S}", []string{"200:1", "401"}, map[string]string{"1": ""})

	// Pipelined requests with bodies; under one reading the second hides
	// in the first's body.
	add("pipelined CL bodies", head("POST", "1", withCL("hello"))+head("POST", "2", withCL("{S}"))+get("3"),
		[]string{"200:1", "200:2", "200:3"}, map[string]string{"1": "hello", "2": "{S}", "3": ""})
	add("pipelined chunked bodies", head("POST", "1", te)+chunk("{S}")+lastChunk+head("POST", "2", te)+chunk("x")+chunk("{S}")+lastChunk+get("3"),
		[]string{"200:1", "200:2", "200:3"}, map[string]string{"1": "{S}", "2": "x{S}", "3": ""})
	add("pipelined smuggled after body", head("POST", "1", withCL("hello"))+"{S}"+get("2"), []string{"200:1", "401", "200:2"}, map[string]string{"1": "hello"})
	add("GET with body hiding request", head("GET", "1", withCL("{S}")), ok1, hidden)
	add("leading CRLF", "\r\n"+get("1"), ok1, nil)

	// Expect: 100-continue with the above.
	ex := "Expect: 100-continue\r\n"
	add("expect CL.TE", head("POST", "1", ex+"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")+lastChunk+"{S}", rej, nil)
	add("expect TE xchunked", head("POST", "1", ex+"Transfer-Encoding: xchunked\r\n\r\n")+chunk("{S}")+lastChunk, rej, nil)
	add("expect chunked hidden", head("POST", "1", ex+te)+chunk("{S}")+lastChunk+get("2"), []string{"200:1", "200:2"}, map[string]string{"1": "{S}"})
	add("expect CL hidden", head("POST", "1", ex+withCL("{S}"))+get("2"), []string{"200:1", "200:2"}, map[string]string{"1": "{S}"})
	add("expect bad chunk", head("POST", "1", ex+te)+"5\nhello\n0\n\n", rej, nil)
	add("expect unknown", head("POST", "1", "Expect: 100-continuex\r\n"+withCL("hello")), rej, nil)

	// Request line oddities.
	add("absolute-form other host", "GET http://other.example{P}1 HTTP/1.1\r\nHost: gw\r\n{A}\r\n", ok1, nil)
	add("absolute-form smuggled path", "GET http://gw/pizzashack/1.0.0/smuggled HTTP/1.1\r\nHost: gw\r\n\r\n"+get("1"), []string{"401", "200:1"}, nil)
	add("two spaces after method", "GET  {P}1 HTTP/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("two spaces before version", "GET {P}1  HTTP/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("tab separator", "GET\t{P}1 HTTP/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("trailing space", "GET {P}1 HTTP/1.1 \r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("space in target", "GET {P}1 {S}", rej, nil)
	add("lower-case version", "GET {P}1 http/1.1\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("HTTP/1.1 without Host", "GET {P}1 HTTP/1.1\r\n{A}\r\n", rej, nil)
	add("two Host headers", head("GET", "1", "Host: other\r\n\r\n"), rej, nil)
	add("Host with @", "GET {P}1 HTTP/1.1\r\nHost: gw@other\r\n{A}\r\n", rej, nil)
	add("HTTP/2.0", "GET {P}1 HTTP/2.0\r\nHost: gw\r\n{A}\r\n", rej, nil)
	add("HTTP/1.2", "GET {P}1 HTTP/1.2\r\nHost: gw\r\n{A}\r\n", rej, nil) // h1 refuses on purpose what RFC 9110 2.5 would serve as 1.1
	return cs
}
