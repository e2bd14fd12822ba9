package gateway

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
)

// Schema validation fault codes (MGW 3.x).
const (
	// CodeInvalidRequest: the request does not match the API's schemas.
	CodeInvalidRequest = 900915
	// CodeInvalidResponse: the backend's response does not match them.
	CodeInvalidResponse = 900916
)

// opValidator checks one operation's requests (and responses).
type opValidator struct {
	set       *schemaSet
	request   bool
	params    []paramCheck
	body      *BodyRule
	bodyJSON  int // 0-based, -1 none
	responses []ResponseRule
	response  string // validateOff, validateLog or validateReject
}

// validationState is the per-request scratch, pooled.
type validationState struct {
	v     jsonValidator
	body  []byte
	param []byte
	vals  []string
	pairs []paramPair
	rd    bodyReader
	rec   responseBuffer
}

// maxPooledBuffer bounds the buffers a pooled state keeps, so one huge
// body does not stay in memory.
const maxPooledBuffer = 1 << 20

// release drops references into the request and oversized buffers.
func (st *validationState) release() {
	st.rd.Reset(nil)
	if cap(st.body) > maxPooledBuffer {
		st.body = nil
	}
	if cap(st.rec.buf) > maxPooledBuffer {
		st.rec.buf = nil
	}
	clear(st.vals[:cap(st.vals)])
	st.vals = st.vals[:0]
	clear(st.pairs[:cap(st.pairs)])
	st.pairs = st.pairs[:0]
}

// bodyReader hands a validated body on to the backend.
type bodyReader struct{ bytes.Reader }

// Close implements io.Closer.
func (*bodyReader) Close() error { return nil }

// newValidation compiles every API's schemas and attaches a validator to
// each operation the configuration selects. It adds no middleware when
// none is selected, so APIs without validation pay nothing.
func (g *Gateway) newValidation() (Middleware, error) {
	cfg := g.cfg.Validation
	var problems []string
	selectedAny := false
	for _, ar := range g.router.apis {
		var set *schemaSet
		for _, rt := range ar.routes {
			val := rt.res.Validation
			if val == nil || val.Skipped != "" {
				if val != nil && cfg.Request == validateAll {
					g.log.Warn("operation not validated", "api", ar.label, "resource", rt.res.Method+" "+rt.res.Path, "reason", val.Skipped)
				}
				continue
			}
			selected := val.Request || cfg.Request == validateAll
			request := selected && cfg.Request != validateOff
			response := validateOff
			if selected && len(val.Responses) > 0 {
				response = cfg.Response
			}
			if !request && response == validateOff {
				continue
			}
			if set == nil {
				if ps := schemaProblems(ar.api); len(ps) > 0 {
					problems = append(problems, ps...)
					break
				}
				set, _ = compileSchemas(ar.api.Schemas)
			}
			o := &opValidator{set: set, request: request, body: val.Body, bodyJSON: -1, responses: val.Responses, response: response}
			if request {
				o.params = newParamChecks(set, val.Params, rt.res.Path)
				if val.Body != nil {
					o.bodyJSON = val.Body.JSON - 1
				}
			}
			rt.validator = o
			selectedAny = true
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "; "))
	}
	if !selectedAny {
		return nil, nil
	}
	maxResp := int64(cfg.MaxResponseBytes)
	if maxResp == 0 {
		maxResp = g.maxBody
	}
	pool := &sync.Pool{New: func() any { return new(validationState) }}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ex := exchangeFrom(r.Context())
			if ex == nil || ex.route == nil || ex.route.validator == nil {
				next.ServeHTTP(w, r)
				return
			}
			o := ex.route.validator
			st := pool.Get().(*validationState)
			// The server may look at the body after the handler: give it
			// back its own (read to the end) before the state is reused.
			body, length, te := r.Body, r.ContentLength, r.TransferEncoding
			defer func() {
				r.Body, r.ContentLength, r.TransferEncoding = body, length, te
				st.release()
				pool.Put(st)
			}()
			if o.request && !g.validateRequest(w, r, ex, o, st) {
				return
			}
			if o.response == validateOff {
				next.ServeHTTP(w, r)
				return
			}
			g.validateResponse(w, r, next, ex, o, st, maxResp)
		})
	}, nil
}

// validateRequest checks parameters and body; on failure it answers 400
// (900915) and returns false. The body it read is put back on r.
func (g *Gateway) validateRequest(w http.ResponseWriter, r *http.Request, ex *exchange, o *opValidator, st *validationState) bool {
	if msg := o.checkParams(st, r, ex.info.BackendPath); msg != "" {
		g.invalidRequest(w, r, ex, msg)
		return false
	}
	if o.body == nil {
		return true
	}
	hasBody := r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0
	st.body = st.body[:0]
	if hasBody {
		if g.maxBody > 0 && r.ContentLength > g.maxBody {
			g.writeFault(w, CodeBodyTooLarge)
			return false
		}
		body, err := readBody(st.body, r.Body, g.maxBody)
		st.body = body
		if err != nil {
			// Declared here, not above: errors.As makes it escape, which
			// cost every request an allocation.
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				g.writeFault(w, CodeBodyTooLarge)
				return false
			}
			w.Header().Set("Connection", "close")
			g.writeFault(w, CodeBadBody)
			return false
		}
		st.rd.Reset(st.body)
		r.Body = &st.rd
		r.ContentLength = int64(len(st.body))
		r.TransferEncoding = nil
		if len(st.body) == 0 {
			r.Body, r.ContentLength = http.NoBody, 0
		}
	}
	if len(st.body) == 0 {
		if o.body.Required {
			g.invalidRequest(w, r, ex, "request body: the operation requires a body")
			return false
		}
		return true
	}
	mt := mediaType(r.Header.Get("Content-Type"))
	isJSON := mt == "" || isJSONMediaType(mt)
	if !isJSON || o.bodyJSON < 0 {
		if !acceptsMediaType(o.body.MediaTypes, mt) {
			g.invalidRequest(w, r, ex, fmt.Sprintf("request body: Content-Type %q is not accepted; the operation takes %s",
				truncate(mt, 64), strings.Join(o.body.MediaTypes, ", ")))
			return false
		}
		return true // a declared type that is not JSON (XML, forms): not checked
	}
	if reason := st.v.validate(o.set, o.bodyJSON, st.body); reason != "" {
		where := "request body"
		if st.v.where != "" && st.v.where != "/" {
			where += " at " + st.v.where
		}
		g.invalidRequest(w, r, ex, where+": "+reason)
		return false
	}
	return true
}

// invalidRequest answers 400 with fault 900915 and a description naming
// what failed.
func (g *Gateway) invalidRequest(w http.ResponseWriter, r *http.Request, ex *exchange, desc string) {
	desc = truncate(desc, 512)
	g.log.LogAttrs(r.Context(), slog.LevelDebug, "request failed validation",
		slog.String("request_id", ex.info.ID), slog.String("api", ex.route.api.label), slog.String("problem", desc))
	f := FaultFor(CodeInvalidRequest)
	f.Description = desc
	WriteFault(w, f)
}

// readBody reads r into buf, at most limit bytes (0: no limit).
func readBody(buf []byte, r io.Reader, limit int64) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if limit > 0 && int64(len(buf)) > limit {
			return buf, &http.MaxBytesError{Limit: limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// mediaType returns the media type of a Content-Type value, lower case,
// without parameters.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	ct = strings.TrimSpace(ct)
	for i := 0; i < len(ct); i++ {
		if c := ct[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(ct)
		}
	}
	return ct
}

// isJSONMediaType reports application/json and the +json types.
func isJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// acceptsMediaType reports whether mt matches one of the declared types,
// wildcards ("text/*", "*/*") included.
func acceptsMediaType(declared []string, mt string) bool {
	for _, d := range declared {
		switch {
		case d == mt, d == "*/*":
			return true
		case strings.HasSuffix(d, "/*") && strings.HasPrefix(mt, d[:len(d)-1]):
			return true
		}
	}
	return false
}
