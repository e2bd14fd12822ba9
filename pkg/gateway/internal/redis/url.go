package redis

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Options say where and how to connect.
type Options struct {
	// Addr is host:port.
	Addr string
	// Username and Password authenticate with AUTH (Redis 6 ACL users, or
	// the password alone).
	Username string
	Password string
	// DB is selected after connecting when not 0.
	DB int
	// TLS, when set, wraps connections in TLS (rediss://).
	TLS *tls.Config
}

// ParseURL reads redis://[[user]:password@]host[:port][/db] and
// rediss://… (TLS). Its errors never contain the password.
func ParseURL(s string) (Options, error) {
	u, err := url.Parse(s)
	if err != nil {
		return Options{}, fmt.Errorf("the Redis URL is not a valid URL (not shown: it may hold a password); use redis://[:password@]host:port[/db]")
	}
	var o Options
	switch u.Scheme {
	case "redis":
	case "rediss":
		o.TLS = &tls.Config{MinVersion: tls.VersionTLS12}
	default:
		return Options{}, fmt.Errorf("the Redis URL must start with redis:// or rediss:// (TLS), not %q", u.Scheme+"://")
	}
	host := u.Hostname()
	if host == "" {
		return Options{}, fmt.Errorf("the Redis URL has no host; use redis://host:6379")
	}
	port := u.Port()
	if port == "" {
		port = "6379"
	} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return Options{}, fmt.Errorf("the Redis URL's port %q is not a TCP port (1-65535)", port)
	}
	o.Addr = net.JoinHostPort(host, port)
	if o.TLS != nil {
		o.TLS.ServerName = host
	}
	if u.User != nil {
		o.Username = u.User.Username()
		o.Password, _ = u.User.Password()
		if _, hasPW := u.User.Password(); !hasPW {
			// redis://secret@host: a lone user part is the password, as
			// most clients read it.
			o.Username, o.Password = "", o.Username
		}
	}
	if db := strings.Trim(u.Path, "/"); db != "" {
		n, err := strconv.Atoi(db)
		if err != nil || n < 0 {
			return Options{}, fmt.Errorf("the Redis URL's path %q must be a database number such as /0", u.Path)
		}
		o.DB = n
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return Options{}, fmt.Errorf("the Redis URL must not have a query or fragment; only redis://[:password@]host:port[/db] is understood")
	}
	return o, nil
}
