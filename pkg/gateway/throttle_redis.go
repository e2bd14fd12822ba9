package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/prom"
	"github.com/mgwio/mgw/pkg/gateway/internal/ratelimit"
	"github.com/mgwio/mgw/pkg/gateway/internal/redis"
)

// errRedisDown is returned, in reject mode, for counts Redis cannot take.
var errRedisDown = errors.New("throttling: Redis is unreachable and throttling.redis_fallback is reject")

// redisKeyPrefix starts every counter key mgw writes to Redis.
const redisKeyPrefix = "mgw:throttle:"

// sharedStore counts in Redis, shared by every gateway using it. While
// Redis is unreachable it counts in local memory (or refuses, in reject
// mode), logs the outage once, and goes back to Redis when a health
// check succeeds.
type sharedStore struct {
	client   redis.Client
	opts     redis.Options
	local    *ratelimit.Memory
	reject   bool
	interval time.Duration
	log      *slog.Logger

	down      atomic.Bool
	fallbacks atomic.Uint64 // counts Redis could not take
	outages   atomic.Uint64
}

func newSharedStore(opts redis.Options, cfg ThrottlingConfig, local *ratelimit.Memory, log *slog.Logger) *sharedStore {
	return &sharedStore{
		client:   redis.New(opts, cfg.RedisPoolSize, cfg.RedisTimeout),
		opts:     opts,
		local:    local,
		reject:   cfg.RedisFallback == redisFallbackReject,
		interval: cfg.RedisCheckInterval,
		log:      log,
	}
}

// add counts n on key in window w: in Redis, or locally while it is down.
func (s *sharedStore) add(ctx context.Context, key []byte, n int64, w ratelimit.Window, now time.Time) (int64, error) {
	if !s.down.Load() {
		rk := make([]byte, 0, len(redisKeyPrefix)+len(key)+24)
		rk = append(rk, redisKeyPrefix...)
		rk = append(rk, key...)
		rk = append(rk, ':')
		rk = strconv.AppendInt(rk, w.Start, 10)
		// Keys carry their window, so a lifetime a little past the
		// window's end is enough even with clocks slightly apart.
		v, err := redis.IncrExpire(ctx, s.client, string(rk), n, w.Remaining(now)+5*time.Second)
		if err == nil {
			return v, nil
		}
		if ctx.Err() != nil {
			// The client went away; that says nothing about Redis.
			return 0, ctx.Err()
		}
		if !errors.Is(err, redis.ErrPoolTimeout) {
			// A busy pool is load, not an outage: only this count is
			// made locally.
			s.markDown(err)
		}
	}
	s.fallbacks.Add(1)
	if s.reject {
		return 0, errRedisDown
	}
	return s.local.Incr(key, n, w), nil
}

// markDown records the start of an outage, logging it once.
func (s *sharedStore) markDown(err error) {
	if s.down.CompareAndSwap(false, true) {
		s.outages.Add(1)
		mode := "counting in this gateway's memory until it is back"
		if s.reject {
			mode = "refusing throttled requests (900808) until it is back"
		}
		s.log.Warn("Redis for throttling is unreachable; "+mode, "redis", s.opts.String(), "error", err.Error())
	}
}

// watch is the OnServe task that brings an unreachable Redis back.
func (s *sharedStore) watch(ctx context.Context) {
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if !s.down.Load() {
			continue
		}
		if err := redis.Ping(ctx, s.client, s.opts); err == nil && s.down.CompareAndSwap(true, false) {
			s.log.Info("Redis for throttling is reachable again; shared counting resumed", "redis", s.opts.String())
		}
	}
}

// writeMetrics adds the Redis families to /metrics.
func (s *sharedStore) writeMetrics(w *prom.Writer) {
	w.Family("mgw_throttle_redis_fallback_total", "Throttling counts Redis could not take, counted locally (or refused with redis_fallback reject).", "counter")
	w.Sample("mgw_throttle_redis_fallback_total", nil, float64(s.fallbacks.Load()))
	w.Family("mgw_throttle_redis_outages_total", "Times Redis for throttling became unreachable.", "counter")
	w.Sample("mgw_throttle_redis_outages_total", nil, float64(s.outages.Load()))
	up := 1.0
	if s.down.Load() {
		up = 0
	}
	w.Family("mgw_throttle_redis_up", "1 while throttling counts in Redis, 0 while it falls back.", "gauge")
	w.Sample("mgw_throttle_redis_up", nil, up)
}

// checkRedis is --check's look at Redis: with throttling on and a Redis
// URL set, the server (with Sentinel: a Sentinel, then the master it
// names; with Cluster: a node) must answer within the Redis timeout. The
// error names the servers, never the password.
func checkRedis(ctx context.Context, cfg Config) error {
	if !cfg.Throttling.Enabled || cfg.Redis.URL == "" {
		return nil
	}
	opts, err := cfg.redisOptions()
	if err != nil {
		return err
	}
	c := redis.New(opts, 1, cfg.Throttling.RedisTimeout)
	defer c.Close()
	ctx, cancel := context.WithTimeout(ctx, 4*cfg.Throttling.RedisTimeout)
	defer cancel()
	if err := redis.Ping(ctx, c, opts); err != nil {
		return fmt.Errorf("redis.url: Redis does not answer (the running gateway would count locally until it does, see throttling.redis_fallback): %w", err)
	}
	return nil
}
