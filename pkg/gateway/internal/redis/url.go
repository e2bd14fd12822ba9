package redis

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Mode is how the gateway finds its Redis server.
type Mode int

// The topologies a Redis URL names.
const (
	// Single is one server: redis:// or rediss://.
	Single Mode = iota
	// Sentinel asks Redis Sentinels for the current master:
	// redis+sentinel:// or rediss+sentinel://.
	Sentinel
	// Cluster spreads keys over a Redis Cluster: redis+cluster:// or
	// rediss+cluster://.
	Cluster
)

// Options say where and how to connect.
type Options struct {
	Mode Mode
	// Addrs are host:port: the server (Single), the Sentinels, or the
	// cluster nodes to discover the others from.
	Addrs []string
	// MasterName is the master the Sentinels watch (Sentinel only).
	MasterName string
	// Username and Password authenticate to the Redis servers (not to the
	// Sentinels): a Redis 6 ACL user, or the password alone.
	Username string
	Password string
	// DB is selected after connecting (not with Cluster).
	DB int
	// TLS, when set, wraps connections in TLS (rediss…://).
	TLS *tls.Config
}

// usage is appended to every parse error; it shows the accepted forms.
const usage = "use redis://[user:password@]host[:port][/db], rediss://… (TLS), " +
	"redis+sentinel://[user:password@]host:26379[,host:26379…]/master[/db] " +
	"or redis+cluster://[user:password@]host:port[,host:port…]"

// errNotURL hides the input: it may hold a password.
var errNotURL = errors.New("the Redis URL is not a valid URL (not shown: it may hold a password)")

// ParseURL reads the Redis URL forms of usage. It is strict: anything it
// does not understand is an error, and its errors never contain the
// password.
func ParseURL(s string) (Options, error) {
	var o Options
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return o, fmt.Errorf("%w; %s", errNotURL, usage)
	}
	defPort := "6379"
	switch strings.ToLower(scheme) {
	case "redis":
	case "rediss":
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	case "redis+sentinel":
		o.Mode, defPort = Sentinel, "26379"
	case "rediss+sentinel":
		o.Mode, defPort = Sentinel, "26379"
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	case "redis+cluster":
		o.Mode = Cluster
	case "rediss+cluster":
		o.Mode = Cluster
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	default:
		if !hostName(strings.ReplaceAll(scheme, "+", "")) {
			return o, fmt.Errorf("%w; %s", errNotURL, usage)
		}
		return o, fmt.Errorf("the Redis URL's scheme %q is not supported; %s", scheme+"://", usage)
	}
	if strings.ContainsAny(rest, "?#") {
		return o, fmt.Errorf("the Redis URL must not have a query or fragment (options are gateway settings); %s", usage)
	}
	authority, path, _ := strings.Cut(rest, "/")
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		if err := o.setUser(authority[:at]); err != nil {
			return Options{}, err
		}
		authority = authority[at+1:]
	}
	// Parts of a URL holding credentials are never shown: a password
	// with an unescaped / or @ may have ended up anywhere.
	show := func(part string) string { return strconv.Quote(part) }
	if strings.Contains(s, "@") {
		show = func(string) string { return "(not shown: the URL holds a password)" }
	}
	if err := o.setAddrs(authority, defPort, show); err != nil {
		return Options{}, err
	}
	if err := o.setPath(path, show); err != nil {
		return Options{}, err
	}
	if o.TLS != nil && o.Mode == Single {
		o.TLS.ServerName, _, _ = net.SplitHostPort(o.Addrs[0])
	}
	return o, nil
}

// setUser reads user:password, or a lone password as most clients do.
func (o *Options) setUser(info string) error {
	user, pass, hasPass := strings.Cut(info, ":")
	var err1, err2 error
	o.Username, err1 = url.PathUnescape(user)
	o.Password, err2 = url.PathUnescape(pass)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("the Redis URL's user or password has a bad %%-escape (not shown); escape reserved characters as %%XX")
	}
	if !hasPass {
		o.Username, o.Password = "", o.Username
	}
	return nil
}

// setAddrs reads host[:port], comma-separated unless the mode is Single.
func (o *Options) setAddrs(authority, defPort string, show func(string) string) error {
	if authority == "" {
		return fmt.Errorf("the Redis URL has no host; %s", usage)
	}
	hosts := strings.Split(authority, ",")
	if o.Mode == Single && len(hosts) > 1 {
		return fmt.Errorf("the Redis URL names %d hosts; several hosts need redis+sentinel:// or redis+cluster://", len(hosts))
	}
	for _, h := range hosts {
		host, port := h, defPort
		if strings.HasPrefix(h, "[") || strings.Count(h, ":") == 1 {
			var err error
			if host, port, err = net.SplitHostPort(h); err != nil {
				return fmt.Errorf("the Redis URL's host %s is not host:port", show(h))
			}
		}
		if !hostName(host) && net.ParseIP(host) == nil {
			return fmt.Errorf("the Redis URL's host %s is not a host name or IP address", show(host))
		}
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 || port[0] == '0' || port[0] == '+' {
			return fmt.Errorf("the Redis URL's port %s is not a TCP port (1-65535)", show(port))
		}
		o.Addrs = append(o.Addrs, net.JoinHostPort(host, port))
	}
	return nil
}

// setPath reads /db, /master[/db] (Sentinel) or nothing (Cluster).
func (o *Options) setPath(path string, show func(string) string) error {
	parts := strings.Split(strings.TrimSuffix(path, "/"), "/")
	if parts[0] == "" {
		parts = parts[:0]
	}
	if o.Mode == Sentinel {
		if len(parts) == 0 {
			return fmt.Errorf("the Sentinel URL has no master name; use redis+sentinel://host:26379[,host:26379…]/mymaster[/db]")
		}
		o.MasterName, parts = parts[0], parts[1:]
		if !hostName(o.MasterName) {
			return fmt.Errorf("the Sentinel URL's master name %s is not a name", show(o.MasterName))
		}
	}
	switch {
	case len(parts) == 0:
		return nil
	case o.Mode == Cluster:
		return fmt.Errorf("the Redis Cluster URL must not have a path: a cluster has only database 0")
	case len(parts) > 1:
		return fmt.Errorf("the Redis URL's path %s has too many parts; %s", show("/"+path), usage)
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n < 0 || parts[0][0] == '+' {
		return fmt.Errorf("the Redis URL's database %s must be a number such as 0", show(parts[0]))
	}
	o.DB = n
	return nil
}

// hostName reports whether h is a DNS name: letters, digits, '.', '-'
// and '_'.
func hostName(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, c := range h {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// String describes the server for logs and errors, without credentials:
// "127.0.0.1:6379", "sentinel master mymaster via h1:26379,h2:26379" or
// "cluster via h1:7000,h2:7001".
func (o Options) String() string {
	addrs := strings.Join(o.Addrs, ",")
	switch o.Mode {
	case Sentinel:
		return "sentinel master " + o.MasterName + " via " + addrs
	case Cluster:
		return "cluster via " + addrs
	}
	return addrs
}
