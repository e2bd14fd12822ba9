package gateway

import (
	"errors"
	"log/slog"
	"strconv"
	"strings"
)

// Secret is a configuration value that must never be shown: it formats,
// logs and marshals as "[redacted]". Reveal returns the value.
type Secret string

const redacted = "[redacted]"

// Reveal returns the secret's value.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer without revealing the value.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString implements fmt.GoStringer without revealing the value.
func (s Secret) GoString() string { return strconv.Quote(s.String()) }

// LogValue implements slog.LogValuer without revealing the value.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText implements encoding.TextMarshaler without revealing the value.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ByteSize is a number of bytes, written as an integer or with a unit:
// 512, 64KiB, 10MiB, 1GiB (also KB, MB, GB as powers of 1000).
type ByteSize int64

var errByteSize = errors.New(`expected a size such as 1048576, 512KiB or 10MiB`)

// UnmarshalScalar decodes a size from the text of a config value.
func (b *ByteSize) UnmarshalScalar(text string) error {
	v, err := ParseByteSize(text)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// ParseByteSize parses a size such as "10MiB".
func ParseByteSize(text string) (ByteSize, error) {
	units := []struct {
		suffix string
		mult   int64
	}{
		{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30},
		{"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"B", 1},
	}
	t := strings.TrimSpace(text)
	mult := int64(1)
	for _, u := range units {
		if v, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, errByteSize
	}
	return ByteSize(n * mult), nil
}
