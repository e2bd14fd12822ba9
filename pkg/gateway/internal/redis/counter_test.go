package redis

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mgwio/mgw/pkg/gateway/internal/redis/redistest"
)

func TestIncrExpireAgainstRedis(t *testing.T) {
	srv := redistest.Start(t, "pa55word")
	opts, err := ParseURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := New(opts, 4, time.Second)
	defer c.Close()
	ctx := context.Background()
	// The first call finds no cached script and falls back to EVAL.
	if v, err := IncrExpire(ctx, c, "k", 3, time.Minute); err != nil || v != 3 {
		t.Fatalf("first = %d, %v", v, err)
	}
	if v, err := IncrExpire(ctx, c, "k", 2, time.Minute); err != nil || v != 5 {
		t.Fatalf("second = %d, %v", v, err)
	}
	if ms, err := c.PTTL(ctx, "k").Result(); err != nil || ms <= 0 || ms > time.Minute {
		t.Fatalf("PTTL = %v, %v; want an expiry within a minute", ms, err)
	}
	// After SCRIPT FLUSH EVALSHA fails with NOSCRIPT and EVAL is used again.
	if err := c.ScriptFlush(ctx).Err(); err != nil {
		t.Fatal(err)
	}
	if v, err := IncrExpire(ctx, c, "k", 1, time.Minute); err != nil || v != 6 {
		t.Fatalf("after flush = %d, %v", v, err)
	}
	if _, err := IncrExpire(ctx, c, "short", 1, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	time.Sleep(150 * time.Millisecond)
	if v, err := IncrExpire(ctx, c, "short", 1, time.Minute); err != nil || v != 1 {
		t.Fatalf("expired key = %d, %v; want a fresh counter", v, err)
	}
}

func TestWrongPasswordIsClearAndSecret(t *testing.T) {
	srv := redistest.Start(t, "right-one")
	opts, err := ParseURL("redis://:wrong-one@" + srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	c := New(opts, 1, time.Second)
	defer c.Close()
	err = Ping(context.Background(), c, opts)
	if err == nil || !strings.Contains(err.Error(), srv.Addr()) || strings.Contains(err.Error(), "wrong-one") {
		t.Fatalf("error = %v", err)
	}
}

func TestDownServerFailsWithinTimeout(t *testing.T) {
	srv := redistest.Start(t, "")
	opts, _ := ParseURL(srv.URL())
	c := New(opts, 2, 300*time.Millisecond)
	defer c.Close()
	ctx := context.Background()
	if err := Ping(ctx, c, opts); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	start := time.Now()
	if _, err := IncrExpire(ctx, c, "k", 1, time.Minute); err == nil || errors.Is(err, ErrPoolTimeout) {
		t.Fatalf("count on a stopped server: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("failure took %v; the timeout is 300ms", d)
	}
	srv.Restart()
	var err error
	for i := 0; i < 3; i++ { // a pooled connection may be stale once
		if err = Ping(ctx, c, opts); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
}

// TestIncrExpireOnCluster counts on keys spread over every node: the
// script declares its one key, so it runs where that key's slot lives.
func TestIncrExpireOnCluster(t *testing.T) {
	cl := redistest.StartCluster(t, 3)
	opts, err := ParseURL(cl.URL())
	if err != nil {
		t.Fatal(err)
	}
	c := New(opts, 4, 2*time.Second)
	defer c.Close()
	ctx := context.Background()
	for round := int64(1); round <= 2; round++ {
		for i := 0; i < 30; i++ {
			if v, err := IncrExpire(ctx, c, "mgw:throttle:k"+strconv.Itoa(i), 1, time.Minute); err != nil || v != round {
				t.Fatalf("key %d round %d = %d, %v", i, round, v, err)
			}
		}
	}
	for _, n := range cl.Nodes {
		if got := strings.TrimSpace(n.Cli("DBSIZE")); got == "0" {
			t.Errorf("node %s holds no counter; keys should spread over the cluster", n.Addr())
		}
	}
}
