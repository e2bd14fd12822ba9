package redis

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

func TestSlogAdapter(t *testing.T) {
	var buf bytes.Buffer
	a := slogAdapter{slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))}
	a.Printf(context.Background(), "dial %s failed", "127.0.0.1:6379")
	if got := buf.String(); !strings.Contains(got, `"msg":"redis client"`) || !strings.Contains(got, `"detail":"dial 127.0.0.1:6379 failed"`) {
		t.Errorf("log line %q", got)
	}
}
