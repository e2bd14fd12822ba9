package gateway

import (
	"log/slog"
	"net/http"
	"strconv"
)

// responseBuffer holds back a backend response whose declared schema is
// JSON, up to a limit, so it can be validated before the client sees it.
// Responses without a JSON schema, compressed ones and 1xx pass through.
type responseBuffer struct {
	w       http.ResponseWriter
	o       *opValidator
	limit   int64
	status  int
	schema  int // 0-based; -1 passing through
	buf     []byte
	tooBig  bool
	decided bool
}

// Header implements http.ResponseWriter.
func (b *responseBuffer) Header() http.Header { return b.w.Header() }

// WriteHeader implements http.ResponseWriter; a validated response's
// status waits with its body.
func (b *responseBuffer) WriteHeader(code int) {
	if b.decided {
		return
	}
	if code < 200 {
		b.w.WriteHeader(code)
		return
	}
	b.decided, b.status, b.schema = true, code, -1
	h := b.w.Header()
	if ce := h.Get("Content-Encoding"); ce == "" || ce == "identity" {
		if mt := mediaType(h.Get("Content-Type")); isJSONMediaType(mt) {
			b.schema = b.o.responseSchema(code)
		}
	}
	if b.schema < 0 {
		b.w.WriteHeader(code)
	}
}

// Write implements http.ResponseWriter.
func (b *responseBuffer) Write(p []byte) (int, error) {
	if !b.decided {
		b.WriteHeader(http.StatusOK)
	}
	if b.schema < 0 {
		return b.w.Write(p)
	}
	if b.limit > 0 && int64(len(b.buf)+len(p)) > b.limit {
		// Too large to hold back: send what we have and stream the rest.
		b.tooBig, b.schema = true, -1
		b.w.WriteHeader(b.status)
		if _, err := b.w.Write(b.buf); err != nil {
			return 0, err
		}
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush implements http.Flusher; a held-back response is not flushed.
func (b *responseBuffer) Flush() {
	if b.schema < 0 {
		if f, ok := b.w.(http.Flusher); ok {
			f.Flush()
		}
	}
}

// responseSchema picks the schema of a status: the exact code, then its
// class ("2XX"), then "default"; -1 when none is JSON.
func (o *opValidator) responseSchema(code int) int {
	exact := strconv.Itoa(code)
	class := exact[:1] + "XX"
	best, rank := -1, 3
	for _, r := range o.responses {
		k := 3
		switch r.Status {
		case exact:
			k = 0
		case class:
			k = 1
		case "default":
			k = 2
		}
		if k < rank {
			best, rank = r.JSON-1, k
		}
	}
	return best
}

// validateResponse runs the backend call with the response held back and
// checks it: "log" passes an invalid response on and logs it, "reject"
// replaces it with 500, fault 900916.
func (g *Gateway) validateResponse(w http.ResponseWriter, r *http.Request, next http.Handler, ex *exchange, o *opValidator, st *validationState, limit int64) {
	b := &st.rec
	*b = responseBuffer{w: w, o: o, limit: limit, buf: b.buf[:0]}
	defer func() { b.w, b.o = nil, nil }()
	next.ServeHTTP(b, r)
	if !b.decided || b.schema < 0 {
		if b.tooBig {
			g.log.LogAttrs(r.Context(), slog.LevelWarn, "response too large to validate",
				slog.String("request_id", ex.info.ID), slog.String("api", ex.route.api.label))
		}
		return
	}
	reason := ""
	if len(b.buf) > 0 { // an empty body (HEAD, 204) has nothing to check
		reason = st.v.validate(o.set, b.schema, b.buf)
	}
	if reason == "" {
		w.WriteHeader(b.status)
		_, _ = w.Write(b.buf)
		return
	}
	desc := "response body"
	if st.v.where != "" && st.v.where != "/" {
		desc += " at " + st.v.where
	}
	desc = truncate(desc+": "+reason, 512)
	g.log.LogAttrs(r.Context(), slog.LevelWarn, "response failed validation",
		slog.String("request_id", ex.info.ID), slog.String("api", ex.route.api.label),
		slog.Int("status", b.status), slog.String("problem", desc), slog.String("action", o.response))
	if o.response == validateLog {
		w.WriteHeader(b.status)
		_, _ = w.Write(b.buf)
		return
	}
	h := w.Header()
	for _, k := range []string{"Content-Encoding", "Content-Length", "Etag", "Last-Modified", "Trailer"} {
		h.Del(k)
	}
	f := FaultFor(CodeInvalidResponse)
	f.Description = desc
	WriteFault(w, f)
}
