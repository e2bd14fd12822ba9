// Package usage records API usage events in the WSO2 API Microgateway 2.6
// file format, rotates the file into zip archives and uploads them to an
// API Manager Analytics server.
//
// Events travel from the request path through a bounded queue to a single
// writer goroutine (Recorder); a full queue drops events and counts them,
// it never blocks a request. Rotated archives are named
// api-usage-data.dat.<epochMs>.<uuid>.zip and uploaded by an Uploader.
package usage

import (
	"net/netip"
	"strconv"
	"time"
)

// Stream ids of the three event kinds (API Manager 2.6 analytics streams).
const (
	StreamRequest  = "org.wso2.apimgt.statistics.request:3.0.0"
	StreamFault    = "org.wso2.apimgt.statistics.fault:3.0.0"
	StreamThrottle = "org.wso2.apimgt.statistics.throttle:3.0.0"
)

// Number of payload fields of each stream.
const (
	RequestFields  = 36
	FaultFields    = 17
	ThrottleFields = 14
)

// GatewayType is the gatewayType field of every event.
const GatewayType = "MICRO"

// Kind selects the stream an Event is written to.
type Kind uint8

// Event kinds.
const (
	KindRequest Kind = iota + 1
	KindFault
	KindThrottle
)

// StreamID returns the stream id of the kind, or "" for an unknown kind.
func (k Kind) StreamID() string {
	switch k {
	case KindRequest:
		return StreamRequest
	case KindFault:
		return StreamFault
	case KindThrottle:
		return StreamThrottle
	}
	return ""
}

// Event is one usage event. Which fields are written depends on Kind; the
// field names follow the original's DTOs (RequestResponseExecutionDTO,
// FaultDTO, ThrottleAnalyticsEventDTO).
type Event struct {
	Kind Kind
	// Time is the event's timestamp (the line's timestamp field; also
	// faultTime and throttledTime).
	Time time.Time
	// ClientType (the key type) and CorrelationID (the request id) make
	// the metadata {"clientType":…,"correlationID":…}.
	ClientType    string
	CorrelationID string

	ConsumerKey      string
	ApplicationName  string
	ApplicationID    string
	ApplicationOwner string
	APIContext       string
	APIName          string
	APIVersion       string
	ResourcePath     string
	ResourceTemplate string
	Method           string
	APICreator       string
	APICreatorTenant string
	APITier          string
	Hostname         string
	UserName         string
	UserTenant       string
	UserIP           netip.Addr
	UserAgent        string
	RequestTime      time.Time
	ThrottledOut     bool
	// ResponseTime is the whole time the gateway took, ServiceTime the
	// part not spent waiting for the backend, BackendTime the backend's.
	ResponseTime time.Duration
	ServiceTime  time.Duration
	BackendTime  time.Duration
	CacheHit     bool
	ResponseSize int64
	Protocol     string
	ResponseCode int
	Destination  string
	// The latency breakdown, in the original's order.
	SecurityLatency          time.Duration
	ThrottlingLatency        time.Duration
	RequestMediationLatency  time.Duration
	ResponseMediationLatency time.Duration
	BackendLatency           time.Duration
	OtherLatency             time.Duration
	Label                    string

	// Fault events.
	ErrorCode    int
	ErrorMessage string

	// Throttle events.
	Subscriber         string
	ThrottledOutReason string
}

// Line separators of the original's data_writer.bal format.
const (
	keySep     = "-KS-"
	entrySep   = "-ES-"
	payloadSep = "-OS-"
)

// AppendLine appends e as one line of api-usage-data.dat, newline
// included:
//
//	streamId-KS-<id>-ES-timestamp-KS-<ms>-ES-metadata-KS-<json>-ES-correlationData-KS-null-ES-payLoadData-KS-<f1>-OS-<f2>…
//
// Values cannot break the format: line breaks become spaces and a '-' that
// would start a separator ("-OS-", "-ES-", "-KS-") becomes '_'.
func AppendLine(dst []byte, e *Event) []byte {
	dst = append(dst, "streamId"+keySep...)
	dst = append(dst, e.Kind.StreamID()...)
	dst = append(dst, entrySep+"timestamp"+keySep...)
	dst = strconv.AppendInt(dst, e.Time.UnixMilli(), 10)
	dst = append(dst, entrySep+"metadata"+keySep+`{"clientType":`...)
	dst = appendJSON(dst, e.ClientType)
	dst = append(dst, `,"correlationID":`...)
	dst = appendJSON(dst, e.CorrelationID)
	dst = append(dst, "}"+entrySep+"correlationData"+keySep+"null"+entrySep+"payLoadData"+keySep...)
	p := payload{dst: dst}
	switch e.Kind {
	case KindRequest:
		p.requestFields(e)
	case KindFault:
		p.faultFields(e)
	case KindThrottle:
		p.throttleFields(e)
	}
	return append(p.dst, '\n')
}

// payload appends "-OS-"-separated fields.
type payload struct {
	dst []byte
	n   int
}

func (p *payload) sep() {
	if p.n > 0 {
		p.dst = append(p.dst, payloadSep...)
	}
	p.n++
}

func (p *payload) str(s string) {
	p.sep()
	p.dst = appendClean(p.dst, s)
}

func (p *payload) int(v int64) {
	p.sep()
	p.dst = strconv.AppendInt(p.dst, v, 10)
}

func (p *payload) ms(d time.Duration) { p.int(d.Milliseconds()) }

func (p *payload) bool(b bool) {
	p.sep()
	p.dst = strconv.AppendBool(p.dst, b)
}

func (p *payload) ip(a netip.Addr) {
	p.sep()
	if a.IsValid() {
		p.dst = a.AppendTo(p.dst)
	}
}

// requestFields writes the request stream's payload in the original's
// order (responsetime_util.bal).
func (p *payload) requestFields(e *Event) {
	p.str(e.ConsumerKey)
	p.str(e.ApplicationName)
	p.str(e.ApplicationID)
	p.str(e.ApplicationOwner)
	p.str(e.APIContext)
	p.str(e.APIName)
	p.str(e.APIVersion)
	p.str(e.ResourcePath)
	p.str(e.ResourceTemplate)
	p.str(e.Method)
	p.str(e.APICreator)
	p.str(e.APICreatorTenant)
	p.str(e.APITier)
	p.str(e.Hostname)
	p.str(e.UserName)
	p.str(e.UserTenant)
	p.ip(e.UserIP)
	p.str(e.UserAgent)
	p.int(e.RequestTime.UnixMilli())
	p.bool(e.ThrottledOut)
	p.ms(e.ResponseTime)
	p.ms(e.ServiceTime)
	p.ms(e.BackendTime)
	p.bool(e.CacheHit)
	p.int(e.ResponseSize)
	p.str(e.Protocol)
	p.int(int64(e.ResponseCode))
	p.str(e.Destination)
	p.ms(e.SecurityLatency)
	p.ms(e.ThrottlingLatency)
	p.ms(e.RequestMediationLatency)
	p.ms(e.ResponseMediationLatency)
	p.ms(e.BackendLatency)
	p.ms(e.OtherLatency)
	p.str(GatewayType)
	p.str(e.Label)
}

// faultFields writes the fault stream's payload (faults_util.bal).
func (p *payload) faultFields(e *Event) {
	p.str(e.ConsumerKey)
	p.str(e.APIName)
	p.str(e.APIVersion)
	p.str(e.APIContext)
	p.str(e.ResourcePath)
	p.str(e.Method)
	p.str(e.APICreator)
	p.str(e.UserName)
	p.str(e.UserTenant)
	p.str(e.APICreatorTenant)
	p.str(e.Hostname)
	p.str(e.ApplicationID)
	p.str(e.ApplicationName)
	p.str(e.Protocol)
	p.int(int64(e.ErrorCode))
	p.str(e.ErrorMessage)
	p.int(e.Time.UnixMilli())
}

// throttleFields writes the throttle stream's payload (throttle_util.bal
// getThrottlePayloadData).
func (p *payload) throttleFields(e *Event) {
	p.str(e.UserName)
	p.str(e.UserTenant)
	p.str(e.APIName)
	p.str(e.APIVersion)
	p.str(e.APIContext)
	p.str(e.APICreator)
	p.str(e.APICreatorTenant)
	p.str(e.ApplicationID)
	p.str(e.ApplicationName)
	p.str(e.Subscriber)
	p.str(e.ThrottledOutReason)
	p.str(GatewayType)
	p.int(e.Time.UnixMilli())
	p.str(e.Hostname)
}

// appendClean appends s so that it cannot end the line or form a
// separator: CR and LF become spaces, the "-" that starts -OS-, -ES- or
// -KS- an underscore. Clean runs are appended whole, as most values (a
// user agent, a path) have nothing to replace.
func appendClean(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		var r byte
		switch c := s[i]; {
		case c == '\n' || c == '\r':
			r = ' '
		case c == '-' && startsSeparator(s[i:]):
			r = '_'
		default:
			continue
		}
		dst = append(append(dst, s[start:i]...), r)
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// startsSeparator reports whether s begins with -OS-, -ES- or -KS-.
func startsSeparator(s string) bool {
	return len(s) >= 4 && s[3] == '-' && s[2] == 'S' && (s[1] == 'O' || s[1] == 'E' || s[1] == 'K')
}

// appendJSON appends s as a JSON string whose content is also cleaned of
// separators.
func appendJSON(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c < 0x20:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		case c == '-' && startsSeparator(s[i:]):
			dst = append(dst, '_')
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}
