package redis

import (
	"bufio"
	"context"
	"crypto/sha1"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client is a pool of connections to one Redis server. It is safe for
// concurrent use.
type Client struct {
	opts    Options
	timeout time.Duration
	slots   chan struct{} // one token per connection that may be open
	mu      sync.Mutex
	idle    []*conn
	closed  bool
	dialer  net.Dialer
}

type conn struct {
	nc  net.Conn
	br  *bufio.Reader
	buf []byte
}

// ErrClosed is returned by calls on a closed client.
var ErrClosed = errors.New("redis: client closed")

// ErrPoolTimeout is returned when every pooled connection stayed busy
// for the whole timeout: the client is overloaded, the server may be fine.
var ErrPoolTimeout = errors.New("redis: timed out waiting for a pooled connection")

// New returns a client that opens at most poolSize connections and gives
// each call at most timeout (or the context's deadline, if sooner).
func New(opts Options, poolSize int, timeout time.Duration) *Client {
	if poolSize < 1 {
		poolSize = 1
	}
	if timeout <= 0 {
		timeout = time.Second
	}
	return &Client{opts: opts, timeout: timeout, slots: make(chan struct{}, poolSize), dialer: net.Dialer{Timeout: timeout}}
}

// Close closes the idle connections; connections in use close when
// their call ends.
func (c *Client) Close() error {
	c.mu.Lock()
	idle := c.idle
	c.idle, c.closed = nil, true
	c.mu.Unlock()
	for _, cn := range idle {
		_ = cn.nc.Close()
	}
	return nil
}

// Do sends one command and returns its reply; an error reply is returned
// as *Error.
func (c *Client) Do(ctx context.Context, args ...[]byte) (Reply, error) {
	ctx, cancel := c.deadline(ctx)
	defer cancel()
	cn, err := c.get(ctx)
	if err != nil {
		return Reply{}, err
	}
	rep, err := cn.roundTrip(ctx, args)
	c.put(cn, err)
	if err != nil {
		return Reply{}, err
	}
	if rep.Kind == '-' {
		return rep, &Error{Msg: rep.Str}
	}
	return rep, nil
}

func (c *Client) deadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= c.timeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, c.timeout)
}

// Ping checks that the server answers.
func (c *Client) Ping(ctx context.Context) error {
	rep, err := c.Do(ctx, []byte("PING"))
	if err != nil {
		return err
	}
	if rep.Kind != '+' || rep.Str != "PONG" {
		return fmt.Errorf("%w: PING answered %q", ErrProtocol, rep.Str)
	}
	return nil
}

// incrScript adds ARGV[1] to KEYS[1] and gives the key a lifetime of
// ARGV[2] ms when it has none, in one atomic step.
const incrScript = `local v = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return v`

var incrSHA = func() string { s := sha1.Sum([]byte(incrScript)); return hex.EncodeToString(s[:]) }()

// IncrExpire atomically adds n to the integer at key, sets the key to
// expire after ttl if it has no expiry yet, and returns the new value:
// one round trip (EVALSHA; EVAL when the server does not know the script).
func (c *Client) IncrExpire(ctx context.Context, key []byte, n int64, ttl time.Duration) (int64, error) {
	var nb, tb [20]byte
	ms := ttl.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	num := strconv.AppendInt(nb[:0], n, 10)
	exp := strconv.AppendInt(tb[:0], ms, 10)
	rep, err := c.Do(ctx, []byte("EVALSHA"), []byte(incrSHA), []byte("1"), key, num, exp)
	var re *Error
	if errors.As(err, &re) && strings.HasPrefix(re.Msg, "NOSCRIPT") {
		rep, err = c.Do(ctx, []byte("EVAL"), []byte(incrScript), []byte("1"), key, num, exp)
	}
	if err != nil {
		return 0, err
	}
	if rep.Kind != ':' {
		return 0, fmt.Errorf("%w: the counter script returned type %q", ErrProtocol, rep.Kind)
	}
	return rep.Int, nil
}

// get takes an idle connection or dials a new one within the pool size.
func (c *Client) get(ctx context.Context) (*conn, error) {
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("%w: %w", ErrPoolTimeout, ctx.Err())
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		<-c.slots
		return nil, ErrClosed
	}
	if n := len(c.idle); n > 0 {
		cn := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return cn, nil
	}
	c.mu.Unlock()
	cn, err := c.dial(ctx)
	if err != nil {
		<-c.slots
		return nil, err
	}
	return cn, nil
}

// put returns a healthy connection to the pool and closes a broken one.
func (c *Client) put(cn *conn, err error) {
	var re *Error
	broken := err != nil && !errors.As(err, &re)
	c.mu.Lock()
	if broken || c.closed {
		c.mu.Unlock()
		_ = cn.nc.Close()
	} else {
		c.idle = append(c.idle, cn)
		c.mu.Unlock()
	}
	<-c.slots
}

func (c *Client) dial(ctx context.Context) (*conn, error) {
	nc, err := c.dialer.DialContext(ctx, "tcp", c.opts.Addr)
	if err != nil {
		return nil, fmt.Errorf("redis: connecting to %s: %w", c.opts.Addr, err)
	}
	if c.opts.TLS != nil {
		tc := tls.Client(nc, c.opts.TLS)
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = nc.Close()
			return nil, fmt.Errorf("redis: TLS handshake with %s: %w", c.opts.Addr, err)
		}
		nc = tc
	}
	cn := &conn{nc: nc, br: bufio.NewReaderSize(nc, 4096), buf: make([]byte, 0, 256)}
	if c.opts.Password != "" {
		args := [][]byte{[]byte("AUTH"), []byte(c.opts.Password)}
		if c.opts.Username != "" {
			args = [][]byte{[]byte("AUTH"), []byte(c.opts.Username), []byte(c.opts.Password)}
		}
		if err := cn.expectOK(ctx, args); err != nil {
			_ = nc.Close()
			return nil, fmt.Errorf("redis: authenticating to %s (check the password in the Redis URL): %w", c.opts.Addr, err)
		}
	}
	if c.opts.DB != 0 {
		if err := cn.expectOK(ctx, [][]byte{[]byte("SELECT"), []byte(strconv.Itoa(c.opts.DB))}); err != nil {
			_ = nc.Close()
			return nil, fmt.Errorf("redis: selecting database %d: %w", c.opts.DB, err)
		}
	}
	return cn, nil
}

func (cn *conn) expectOK(ctx context.Context, args [][]byte) error {
	rep, err := cn.roundTrip(ctx, args)
	if err != nil {
		return err
	}
	if rep.Kind == '-' {
		return &Error{Msg: rep.Str}
	}
	return nil
}

// roundTrip writes one command and reads its reply under the context's
// deadline.
func (cn *conn) roundTrip(ctx context.Context, args [][]byte) (Reply, error) {
	if d, ok := ctx.Deadline(); ok {
		_ = cn.nc.SetDeadline(d)
	}
	cn.buf = appendCommand(cn.buf[:0], args...)
	if _, err := cn.nc.Write(cn.buf); err != nil {
		return Reply{}, fmt.Errorf("redis: sending a command: %w", err)
	}
	if cap(cn.buf) > 64<<10 {
		cn.buf = make([]byte, 0, 256)
	}
	return ReadReply(cn.br)
}
