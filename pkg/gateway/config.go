package gateway

import (
	"time"
)

// Config is the gateway's runtime configuration. LoadConfig builds it from
// built-in defaults, the compiled-in Spec.DefaultConfig, a config file and
// MGW_* environment variables, in rising precedence. Every key is
// documented in CONFIG.md.
type Config struct {
	HTTP       HTTPConfig             `yaml:"http"`
	HTTPS      HTTPSConfig            `yaml:"https"`
	Server     ServerConfig           `yaml:"server"`
	Backend    BackendConfig          `yaml:"backend"`
	Log        LogConfig              `yaml:"log"`
	Metrics    MetricsConfig          `yaml:"metrics"`
	Security   SecurityConfig         `yaml:"security"`
	JWT        JWTConfig              `yaml:"jwt"`
	KeyManager KeyManagerConfig       `yaml:"key_manager"`
	Analytics  AnalyticsConfig        `yaml:"analytics"`
	Redis      RedisConfig            `yaml:"redis"`
	Throttling ThrottlingConfig       `yaml:"throttling"`
	CORS       CORSConfig             `yaml:"cors"`
	Validation ValidationConfig       `yaml:"validation"`
	Tracing    TracingConfig          `yaml:"tracing"`
	APIs       map[string]APIOverride `yaml:"apis"`
	origins    map[string]string      // key path -> "file:line" or "MGW_X"
	warnings   []string               // non-fatal findings of LoadConfig
}

// HTTPConfig is the plain-HTTP listener.
type HTTPConfig struct {
	// Enabled turns the listener on (default true).
	Enabled bool `yaml:"enabled"`
	// Host is the address to bind; empty means every interface.
	Host string `yaml:"host"`
	// Port is the TCP port (MGW_HTTP_PORT, default 9090); 0 picks a free
	// port.
	Port int `yaml:"port"`
}

// HTTPSConfig is the TLS listener; it runs when CertFile and KeyFile are
// set.
type HTTPSConfig struct {
	Host string `yaml:"host"`
	// Port is the TCP port (MGW_HTTPS_PORT, default 9095).
	Port int `yaml:"port"`
	// CertFile and KeyFile are PEM files (MGW_TLS_CERT_FILE,
	// MGW_TLS_KEY_FILE).
	CertFile string `yaml:"cert_file"`
	KeyFile  string `yaml:"key_file"`
	// ClientCAFile enables mutual TLS (MGW_TLS_CLIENT_CA_FILE).
	ClientCAFile string `yaml:"client_ca_file"`
	// ClientAuth is "require" (default) or "optional" when ClientCAFile
	// is set.
	ClientAuth string `yaml:"client_auth"`
	// HTTP2 offers HTTP/2 by ALPN (default true).
	HTTP2 bool `yaml:"http2"`
}

// ServerConfig bounds what clients may do and how the gateway stops.
type ServerConfig struct {
	ReadHeaderTimeout time.Duration `yaml:"read_header_timeout"`
	ReadTimeout       time.Duration `yaml:"read_timeout"`
	WriteTimeout      time.Duration `yaml:"write_timeout"`
	IdleTimeout       time.Duration `yaml:"idle_timeout"`
	MaxHeaderBytes    ByteSize      `yaml:"max_header_bytes"`
	// MaxBodyBytes bounds request bodies; 0 means no limit.
	MaxBodyBytes ByteSize `yaml:"max_body_bytes"`
	// ShutdownDelay keeps serving, with readiness failing, before the
	// listeners close, so load balancers stop sending traffic first.
	ShutdownDelay time.Duration `yaml:"shutdown_delay"`
	// ShutdownGrace is how long in-flight requests may take to finish.
	ShutdownGrace time.Duration `yaml:"shutdown_grace"`
	// ReadyFile, when set, receives {"http":"addr","https":"addr"} once
	// the listeners are bound (useful with port 0).
	ReadyFile string `yaml:"ready_file"`
	// AllowEncodedSlashes lets "%2F" and "%5C" (encoded / and \) through
	// inside path segments, still encoded. By default such requests get
	// 400: a backend that decodes them could route differently from the
	// gateway.
	AllowEncodedSlashes bool `yaml:"allow_encoded_slashes"`
	// TrustedProxies are CIDRs (or addresses) whose X-Forwarded-* headers
	// are kept and extended instead of replaced.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// Engine is the server of the plain-HTTP listener: "h1" (the
	// gateway's own HTTP/1.1 server) or "net/http" (MGW_SERVER_ENGINE).
	// HTTPS always uses net/http.
	Engine string `yaml:"engine"`
}

// BackendConfig holds the defaults for connections to backends.
type BackendConfig struct {
	ConnectTimeout      time.Duration `yaml:"connect_timeout"`
	ResponseTimeout     time.Duration `yaml:"response_timeout"`
	IdleConnTimeout     time.Duration `yaml:"idle_conn_timeout"`
	MaxIdleConnsPerHost int           `yaml:"max_idle_conns_per_host"`
	// CAFile adds PEM CA certificates to the system pool for backend TLS
	// (MGW_BACKEND_CA_FILE).
	CAFile string `yaml:"ca_file"`
	// Engine is the client for plain-HTTP backends: "h1" (the gateway's
	// own HTTP/1.1 client) or "net/http" (MGW_BACKEND_ENGINE).
	Engine string `yaml:"engine"`
	// ProxyURL sends backend requests through an HTTP proxy
	// (MGW_BACKEND_PROXY_URL, environment only: it may hold a password).
	ProxyURL Secret `yaml:"proxy_url" restricted:"the proxy URL may hold a password; set MGW_BACKEND_PROXY_URL"`
	// NoProxy lists backend hosts reached directly although ProxyURL is
	// set (MGW_BACKEND_NO_PROXY).
	NoProxy []string `yaml:"no_proxy"`
}

// LogConfig selects the log level and format.
type LogConfig struct {
	// Level is debug, info, warn or error (MGW_LOG_LEVEL).
	Level string `yaml:"level"`
	// Format is text or json (MGW_LOG_FORMAT).
	Format string `yaml:"format"`
	// Access writes one line per request at level info.
	Access bool `yaml:"access"`
}

// MetricsConfig controls the /metrics endpoint.
type MetricsConfig struct {
	Enabled bool `yaml:"enabled"`
}

// JWTConfig configures JWT access tokens: the default issuer (Issuer,
// Audience, CertFile, JWKSURL) and any further Issuers (security_config.go).
type JWTConfig struct {
	Issuer   string `yaml:"issuer"`
	Audience string `yaml:"audience"`
	CertFile string `yaml:"cert_file"`
	JWKSURL  string `yaml:"jwks_url"`
	// Skew tolerates clock differences for exp, nbf and iat.
	Skew time.Duration `yaml:"skew"`
	// ValidateSubscription rejects tokens of the default issuer that carry
	// no subscribedAPIs claim (the original let them through).
	ValidateSubscription bool `yaml:"validate_subscription"`
	// MaxTokenBytes bounds the size of a token.
	MaxTokenBytes ByteSize `yaml:"max_token_bytes"`
	// JWKSRefreshInterval is the least time between two fetches of a JWKS
	// URL for an unknown kid, and the background refresh period.
	JWKSRefreshInterval time.Duration `yaml:"jwks_refresh_interval"`
	// Issuers are further trusted issuers, each with its own keys.
	Issuers []JWTIssuer `yaml:"issuers"`
}

// KeyManagerConfig configures opaque token validation against the API
// Manager key manager.
type KeyManagerConfig struct {
	URL      string `yaml:"url"`
	Username string `yaml:"username"`
	// Password comes only from MGW_KM_PASSWORD or PasswordFile.
	Password     Secret `yaml:"password" restricted:"secrets are not read from configuration files; set MGW_KM_PASSWORD or key_manager.password_file"`
	PasswordFile string `yaml:"password_file"`
	CAFile       string `yaml:"ca_file"`
	// Mode is "soap" (APIKeyValidationService validateKey, as API
	// Manager 2.x) or "introspect" (RFC 7662 at IntrospectURL).
	Mode string `yaml:"mode"`
	// IntrospectURL defaults to URL + "/oauth2/introspect".
	IntrospectURL string `yaml:"introspect_url"`
	// Timeout bounds one key manager call.
	Timeout time.Duration `yaml:"timeout"`
	// CacheTTL is how long a valid token's answer is reused;
	// NegativeCacheTTL how long an invalid token is remembered.
	CacheTTL         time.Duration `yaml:"cache_ttl"`
	NegativeCacheTTL time.Duration `yaml:"negative_cache_ttl"`
}

// AnalyticsConfig configures usage analytics (the original's [analytics]
// section): events written to Dir, rotated into zips and uploaded.
type AnalyticsConfig struct {
	// Enabled records usage events (default false).
	Enabled bool `yaml:"enabled"`
	// Dir holds api-usage-data.dat and the rotated zips.
	Dir string `yaml:"dir"`
	// Upload sends rotated files to UploadURL (task.uploadFiles).
	Upload bool `yaml:"upload"`
	// UploadURL is the analytics server's upload endpoint.
	UploadURL string `yaml:"upload_url"`
	// UploadPeriod is the upload interval (uploadingTimeSpanInMillis).
	UploadPeriod time.Duration `yaml:"upload_period"`
	// RotatePeriod is the rotation interval (rotatingPeriod).
	RotatePeriod time.Duration `yaml:"rotate_period"`
	// RotateSize rotates the data file once it is this large; 0 never.
	RotateSize ByteSize `yaml:"rotate_size"`
	// QueueSize is how many events may wait for the writer; more are
	// dropped (and counted), never waited for.
	QueueSize int `yaml:"queue_size"`
	// MaxDiskBytes bounds the rotated files kept; the oldest go first.
	// 0 means no bound.
	MaxDiskBytes ByteSize `yaml:"max_disk_bytes"`
	// Hostname is the events' hostname field (the original's
	// datacenterId); empty means the request's Host.
	Hostname string `yaml:"hostname"`
	// CAFile adds PEM CA certificates for the upload endpoint's TLS.
	CAFile   string `yaml:"ca_file"`
	Username string `yaml:"username"`
	// Password comes only from MGW_ANALYTICS_PASSWORD or PasswordFile.
	Password     Secret `yaml:"password" restricted:"secrets are not read from configuration files; set MGW_ANALYTICS_PASSWORD or analytics.password_file"`
	PasswordFile string `yaml:"password_file"`
}

// RedisConfig is the Redis that shares throttling counters between
// gateways (see ThrottlingConfig).
type RedisConfig struct {
	// URL may hold a password, so it comes only from MGW_REDIS_URL or
	// URLFile.
	URL     Secret `yaml:"url" restricted:"the Redis URL may hold a password; set MGW_REDIS_URL or redis.url_file"`
	URLFile string `yaml:"url_file"`
}

// APIOverride changes an API's endpoints at deploy time. Config files key
// it by "name/version".
type APIOverride struct {
	Production *EndpointOverride `yaml:"production"`
	Sandbox    *EndpointOverride `yaml:"sandbox"`
}

// EndpointOverride replaces parts of an API-level endpoint; unset fields
// keep the compiled-in values.
type EndpointOverride struct {
	// Type is http, load_balance or failover.
	Type string `yaml:"type"`
	// URLs replace the endpoint's URLs.
	URLs []string `yaml:"urls"`
	// Timeout is the backend response timeout.
	Timeout time.Duration `yaml:"timeout"`
	// ConnectTimeout overrides backend.connect_timeout for this endpoint.
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// Username sets or replaces the backend basic-auth user.
	Username string `yaml:"username"`
	// Password comes only from the environment or PasswordFile.
	Password     Secret `yaml:"password" restricted:"secrets are not read from configuration files; set the MGW_API_<NAME>_<VERSION>_<PRODUCTION|SANDBOX>_PASSWORD variable or password_file"`
	PasswordFile string `yaml:"password_file"`
}

// DefaultConfig returns the built-in defaults, the lowest layer.
func DefaultConfig() Config {
	return Config{
		HTTP:  HTTPConfig{Enabled: true, Port: 9090},
		HTTPS: HTTPSConfig{Port: 9095, ClientAuth: "require", HTTP2: true},
		Server: ServerConfig{
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       120 * time.Second,
			MaxHeaderBytes:    64 << 10,
			MaxBodyBytes:      32 << 20,
			ShutdownGrace:     30 * time.Second,
			Engine:            EngineH1,
		},
		Backend: BackendConfig{
			ConnectTimeout:      5 * time.Second,
			ResponseTimeout:     60 * time.Second,
			IdleConnTimeout:     90 * time.Second,
			MaxIdleConnsPerHost: 256,
			Engine:              EngineH1,
		},
		Log:      LogConfig{Level: "info", Format: "text", Access: true},
		Metrics:  MetricsConfig{Enabled: true},
		Security: defaultSecurityConfig(),
		JWT: JWTConfig{
			Issuer:              "https://localhost:9443/oauth2/token",
			Audience:            "http://org.wso2.apimgt/gateway",
			Skew:                5 * time.Second,
			MaxTokenBytes:       16 << 10,
			JWKSRefreshInterval: 5 * time.Minute,
		},
		KeyManager: defaultKeyManagerConfig(),
		Analytics: AnalyticsConfig{
			Dir:          "api-usage-data",
			Upload:       true,
			UploadURL:    "https://localhost:9444/analytics/v1.0/usage/upload-file",
			UploadPeriod: 10 * time.Minute,
			RotatePeriod: 10 * time.Minute,
			RotateSize:   100 << 20,
			QueueSize:    10000,
			MaxDiskBytes: 1 << 30,
			Username:     "admin",
		},
		Throttling: defaultThrottlingConfig(),
		Validation: defaultValidationConfig(),
	}
}

// Warnings returns non-fatal findings of LoadConfig, such as unknown MGW_*
// variables.
func (c *Config) Warnings() []string { return c.warnings }

// origin says where the value at key path p came from.
func (c *Config) origin(p string) string {
	if o, ok := c.origins[p]; ok {
		return o
	}
	return "default"
}
