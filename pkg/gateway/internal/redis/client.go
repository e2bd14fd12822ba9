// Package redis connects the gateway to Redis through
// github.com/redis/go-redis/v9: one server, a Sentinel-watched master or
// a Cluster, named by one URL (ParseURL), and the atomic counter
// throttling needs (IncrExpire).
package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Client is what the gateway uses of a go-redis client; the single,
// failover (Sentinel) and cluster clients all implement it.
type Client = goredis.UniversalClient

// ErrPoolTimeout is returned when every pooled connection stayed busy
// for the whole timeout: the client is overloaded, the server may be fine.
var ErrPoolTimeout = goredis.ErrPoolTimeout

// New returns a client for opts that opens at most poolSize connections
// (per server) and gives each step of a call (waiting for a connection,
// connecting, writing, reading) at most timeout. Calls are not retried
// after a network error and a failed dial is not repeated, so an outage
// shows after one timeout and an increment is never sent twice; Cluster
// still follows MOVED and ASK redirections.
func New(opts Options, poolSize int, timeout time.Duration) Client {
	if poolSize < 1 {
		poolSize = 1
	}
	if timeout <= 0 {
		timeout = time.Second
	}
	off := &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	switch opts.Mode {
	case Sentinel:
		return goredis.NewFailoverClient(&goredis.FailoverOptions{
			MasterName: opts.MasterName, SentinelAddrs: opts.Addrs,
			Username: opts.Username, Password: opts.Password, DB: opts.DB, TLSConfig: opts.TLS,
			PoolSize: poolSize, DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout, PoolTimeout: timeout,
			MaxRetries: -1, DialerRetries: 1, DisableIdentity: true,
		})
	case Cluster:
		return goredis.NewClusterClient(&goredis.ClusterOptions{
			Addrs:    opts.Addrs,
			Username: opts.Username, Password: opts.Password, TLSConfig: opts.TLS,
			PoolSize: poolSize, DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout, PoolTimeout: timeout,
			MaxRetries: -1, DialerRetries: 1, DisableIdentity: true, MaintNotificationsConfig: off,
		})
	}
	return goredis.NewClient(&goredis.Options{
		Addr:     opts.Addrs[0],
		Username: opts.Username, Password: opts.Password, DB: opts.DB, TLSConfig: opts.TLS,
		PoolSize: poolSize, DialTimeout: timeout, ReadTimeout: timeout, WriteTimeout: timeout, PoolTimeout: timeout,
		MaxRetries: -1, DialerRetries: 1, DisableIdentity: true, MaintNotificationsConfig: off,
	})
}

// Ping checks that the server answers (with Sentinel: that a Sentinel
// names a master and the master answers), with opts' description in the
// error.
func Ping(ctx context.Context, c Client, opts Options) error {
	if err := c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis (%s): %w", opts, err)
	}
	return nil
}
