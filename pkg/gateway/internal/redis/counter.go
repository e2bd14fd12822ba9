package redis

import (
	"context"
	"fmt"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// incrScript adds ARGV[1] to KEYS[1] and gives the key a lifetime of
// ARGV[2] ms when it has none, in one atomic step. It touches only the
// one key it declares, so under Cluster it always runs on the node that
// owns that key's slot and never needs a {hash tag}.
var incrScript = goredis.NewScript(`local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`)

// IncrExpire atomically adds n to the integer at key, sets the key to
// expire after ttl if it has no expiry yet, and returns the new value:
// one round trip (EVALSHA; EVAL when the server does not know the script).
func IncrExpire(ctx context.Context, c Client, key string, n int64, ttl time.Duration) (int64, error) {
	ms := ttl.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	v, err := incrScript.Run(ctx, c, []string{key}, n, ms).Int64()
	if err != nil {
		return 0, fmt.Errorf("redis: counter script: %w", err)
	}
	return v, nil
}
