package usage

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Line is one decoded line of a usage data file.
type Line struct {
	// StreamID is one of StreamRequest, StreamFault, StreamThrottle.
	StreamID string
	// Timestamp is the event time in Unix milliseconds.
	Timestamp int64
	// Metadata is the JSON metadata object, as written.
	Metadata string
	// CorrelationData is "null" in every line the gateway writes.
	CorrelationData string
	// Payload holds the payload fields in stream order.
	Payload []string
}

// ParseLine decodes one line (without its newline) written by AppendLine,
// checking the entry names, the stream id and its number of payload
// fields.
func ParseLine(s string) (Line, error) {
	var l Line
	s = strings.TrimSuffix(s, "\n")
	entries := strings.Split(s, entrySep)
	names := []string{"streamId", "timestamp", "metadata", "correlationData", "payLoadData"}
	if len(entries) != len(names) {
		return l, fmt.Errorf("usage line: %d entries separated by %q, want %d (%s)", len(entries), entrySep, len(names), strings.Join(names, ", "))
	}
	values := make([]string, len(names))
	for i, e := range entries {
		k, v, ok := strings.Cut(e, keySep)
		if !ok || k != names[i] {
			return l, fmt.Errorf("usage line: entry %d must be %s%s<value>, got %.40q", i+1, names[i], keySep, e)
		}
		values[i] = v
	}
	l.StreamID, l.Metadata, l.CorrelationData = values[0], values[2], values[3]
	ts, err := strconv.ParseInt(values[1], 10, 64)
	if err != nil || ts < 0 {
		return l, fmt.Errorf("usage line: timestamp %.40q is not a count of milliseconds", values[1])
	}
	l.Timestamp = ts
	if !strings.HasPrefix(l.Metadata, "{") || !strings.HasSuffix(l.Metadata, "}") {
		return l, errors.New("usage line: metadata is not a JSON object")
	}
	want := 0
	switch l.StreamID {
	case StreamRequest:
		want = RequestFields
	case StreamFault:
		want = FaultFields
	case StreamThrottle:
		want = ThrottleFields
	default:
		return l, fmt.Errorf("usage line: unknown stream %.60q; want %s, %s or %s", l.StreamID, StreamRequest, StreamFault, StreamThrottle)
	}
	l.Payload = strings.Split(values[4], payloadSep)
	if len(l.Payload) != want {
		return l, fmt.Errorf("usage line: stream %s has %d payload fields, want %d", l.StreamID, len(l.Payload), want)
	}
	return l, nil
}
