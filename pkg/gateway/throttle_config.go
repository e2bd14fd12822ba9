package gateway

import (
	"crypto/x509"
	"fmt"
	"os"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis"
)

// ThrottlingConfig controls the throttling middleware. Counters are kept
// in memory unless redis.url (MGW_REDIS_URL) is set; then they are shared
// through Redis by every gateway using it.
type ThrottlingConfig struct {
	// Enabled turns throttling on (default true).
	Enabled bool `yaml:"enabled"`
	// RedisFallback is what happens while Redis cannot be reached:
	// "local" (default) counts in this gateway's memory, "reject" answers
	// 500 (fault 900808).
	RedisFallback string `yaml:"redis_fallback"`
	// RedisTimeout bounds one Redis call, connecting included.
	RedisTimeout time.Duration `yaml:"redis_timeout"`
	// RedisPoolSize is the most connections opened to Redis.
	RedisPoolSize int `yaml:"redis_pool_size"`
	// RedisCheckInterval is how often an unreachable Redis is retried.
	RedisCheckInterval time.Duration `yaml:"redis_check_interval"`
	// RedisCAFile holds PEM CA certificates trusted for rediss:// instead
	// of the system pool.
	RedisCAFile string `yaml:"redis_ca_file"`
}

// Values of ThrottlingConfig.RedisFallback.
const (
	redisFallbackLocal  = "local"
	redisFallbackReject = "reject"
)

// defaultThrottlingConfig is the throttling part of DefaultConfig.
func defaultThrottlingConfig() ThrottlingConfig {
	return ThrottlingConfig{
		Enabled:            true,
		RedisFallback:      redisFallbackLocal,
		RedisTimeout:       250 * time.Millisecond,
		RedisPoolSize:      64,
		RedisCheckInterval: time.Second,
	}
}

// validateThrottling checks the throttling section and the Redis URL.
func (c *Config) validateThrottling() []string {
	var out []string
	bad := func(path, format string, args ...any) {
		out = append(out, c.where(path)+": "+fmt.Sprintf(format, args...))
	}
	t := c.Throttling
	if t.RedisFallback != redisFallbackLocal && t.RedisFallback != redisFallbackReject {
		bad("throttling.redis_fallback", "%q is not allowed; use local (count in memory while Redis is down) or reject", t.RedisFallback)
	}
	if t.RedisTimeout <= 0 {
		bad("throttling.redis_timeout", "must be positive, such as 250ms")
	}
	if t.RedisPoolSize < 1 {
		bad("throttling.redis_pool_size", "must be at least 1")
	}
	if t.RedisCheckInterval <= 0 {
		bad("throttling.redis_check_interval", "must be positive, such as 1s")
	}
	if c.Redis.URL != "" {
		if _, err := redis.ParseURL(string(c.Redis.URL)); err != nil {
			bad("redis.url", "%v", err)
		}
	}
	if t.RedisCAFile != "" {
		if _, err := loadCAPool(t.RedisCAFile); err != nil {
			bad("throttling.redis_ca_file", "%v", err)
		}
	}
	return out
}

// redisOptions turns the configured URL into client options, with the
// CA file's pool for TLS.
func (c *Config) redisOptions() (redis.Options, error) {
	opts, err := redis.ParseURL(string(c.Redis.URL))
	if err != nil {
		return opts, fmt.Errorf("redis.url: %w", err)
	}
	if opts.TLS != nil && c.Throttling.RedisCAFile != "" {
		pool, err := loadCAPool(c.Throttling.RedisCAFile)
		if err != nil {
			return opts, fmt.Errorf("throttling.redis_ca_file: %w", err)
		}
		opts.TLS.RootCAs = pool
	}
	return opts, nil
}

// loadCAPool reads PEM CA certificates.
func loadCAPool(file string) (*x509.CertPool, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %s", file, pathErr(err))
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("%s holds no PEM certificate", file)
	}
	return pool, nil
}
