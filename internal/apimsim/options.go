package apimsim

import (
	"io"
	"io/fs"
	"time"

	"github.com/mgwio/mgw/pkg/apim"
)

// Default values of Options.
const (
	DefaultTokenTTL  = time.Hour
	DefaultSlowDelay = 30 * time.Second
	DefaultAddr      = "127.0.0.1:0"
)

// Options configures a Server. The zero value serves the embedded demo set
// over TLS on 127.0.0.1 with a random port.
type Options struct {
	// Version is the API Manager release line served: apim.V26 (the
	// default), apim.V3 or apim.V4. Only that version's REST and DCR paths
	// exist; the others answer 404 as on a real server.
	Version apim.Version
	// Fixtures is the data folder (layout in the package doc). Nil means the
	// embedded demo set.
	Fixtures fs.FS
	// Addr is the address Start listens on; empty means 127.0.0.1:0.
	Addr string
	// PlainHTTP makes Start serve plain HTTP instead of HTTPS (debugging).
	PlainHTTP bool
	// CertOut, if set, is the file Start writes the server's self-signed
	// certificate to (PEM), for clients' --ca-file.
	CertOut string
	// AnalyticsDir, if set, is the folder uploaded usage files are written
	// to. Uploads are also kept in memory (see Server.Uploads).
	AnalyticsDir string
	// TokenTTL is the lifetime of issued access tokens; zero means one hour.
	TokenTTL time.Duration
	// SlowDelay is how long a list request for the "slow" label sleeps;
	// zero means 30 s.
	SlowDelay time.Duration
	// HostilePolicies adds policies with hostile names (quotes, backticks,
	// "{{", "*/", non-ASCII, a newline) to every Admin policy list; the
	// "hostile" label's APIs refer to them.
	HostilePolicies bool
	// Backend, if set, replaces the fixtures' demo backends
	// (http://127.0.0.1:8280 and :8281) in every endpointConfig.
	Backend string
	// Log receives one line per request (never secrets); nil discards.
	Log io.Writer
	// Now is the clock used for token expiry; nil means time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Version == "" {
		o.Version = apim.V26
	}
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = DefaultTokenTTL
	}
	if o.SlowDelay <= 0 {
		o.SlowDelay = DefaultSlowDelay
	}
	if o.Log == nil {
		o.Log = io.Discard
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}
