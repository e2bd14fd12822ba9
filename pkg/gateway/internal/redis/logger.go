package redis

import (
	"context"
	"fmt"
	"log/slog"

	goredis "github.com/redis/go-redis/v9"
)

// RouteLogs sends go-redis's own messages (one per failed dial while Redis
// is down, for example) to logger at debug level, instead of the plain
// text go-redis writes to stderr by default. The gateway already logs an
// outage once at warning level. go-redis keeps its logger in a package
// variable, so only a program's entry point may call this.
func RouteLogs(logger *slog.Logger) {
	goredis.SetLogger(slogAdapter{logger})
}

type slogAdapter struct{ l *slog.Logger }

// Printf implements go-redis's internal.Logging.
func (a slogAdapter) Printf(ctx context.Context, format string, v ...any) {
	a.l.DebugContext(ctx, "redis client", "detail", fmt.Sprintf(format, v...))
}
