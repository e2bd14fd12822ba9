// Package keymanager validates opaque OAuth2 tokens with the API Manager
// key manager: the SOAP APIKeyValidationService validateKey call of API
// Manager 2.x, or RFC 7662 token introspection, with positive and
// negative caches and one call for concurrent requests with the same
// token.
package keymanager

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Request is what validateKey is asked about.
type Request struct {
	// Context is the API's base path ending in "/<version>".
	Context string
	Version string
	Token   string
	// Resource is the matched path template, Verb the HTTP method.
	Resource string
	Verb     string
}

// Info is the key manager's answer (APIKeyValidationInfoDTO).
type Info struct {
	Authorized             bool     `xml:"authorized"`
	ValidationStatus       int      `xml:"validationStatus"`
	Tier                   string   `xml:"tier"`
	ApplicationID          string   `xml:"applicationId"`
	ApplicationName        string   `xml:"applicationName"`
	ApplicationTier        string   `xml:"applicationTier"`
	Subscriber             string   `xml:"subscriber"`
	ConsumerKey            string   `xml:"consumerKey"`
	EndUserName            string   `xml:"endUserName"`
	EndUserToken           string   `xml:"endUserToken"`
	APIPublisher           string   `xml:"apiPublisher"`
	APITier                string   `xml:"apiTier"`
	Type                   string   `xml:"type"`
	IssuedTime             int64    `xml:"issuedTime"`
	ValidityPeriod         int64    `xml:"validityPeriod"`
	StopOnQuotaReach       bool     `xml:"stopOnQuotaReach"`
	SpikeArrestLimit       int64    `xml:"spikeArrestLimit"`
	SpikeArrestUnit        string   `xml:"spikeArrestUnit"`
	SubscriberTenantDomain string   `xml:"subscriberTenantDomain"`
	ContentAware           bool     `xml:"contentAware"`
	Scopes                 []string `xml:"scopes"`
}

// ValidateKeyBody renders the SOAP 1.1 envelope the original sends to
// /services/APIKeyValidationService (SOAPAction urn:validateKey).
func ValidateKeyBody(r Request) []byte {
	var b bytes.Buffer
	b.WriteString(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://org.apache.axis2/xsd">`)
	b.WriteString(`<soapenv:Header/><soapenv:Body><xsd:validateKey>`)
	field := func(name, value string) {
		b.WriteString("<xsd:" + name + ">")
		_ = xml.EscapeText(&b, []byte(value))
		b.WriteString("</xsd:" + name + ">")
	}
	field("context", r.Context)
	field("version", r.Version)
	field("accessToken", r.Token)
	field("requiredAuthenticationLevel", "Any")
	field("clientDomain", "*")
	field("matchingResource", r.Resource)
	field("httpVerb", r.Verb)
	b.WriteString(`</xsd:validateKey></soapenv:Body></soapenv:Envelope>`)
	return b.Bytes()
}

// maxResponseBytes bounds a key manager answer.
const maxResponseBytes = 1 << 20

// DecodeValidateKey reads a validateKey response envelope. A SOAP fault
// or an envelope without a return element is an error.
func DecodeValidateKey(r io.Reader) (*Info, error) {
	var env struct {
		XMLName xml.Name
		Body    struct {
			Fault *struct {
				Code   string `xml:"faultcode"`
				String string `xml:"faultstring"`
			} `xml:"Fault"`
			Response *struct {
				Return *Info `xml:"return"`
			} `xml:"validateKeyResponse"`
		} `xml:"Body"`
	}
	d := xml.NewDecoder(io.LimitReader(r, maxResponseBytes))
	d.Strict = true
	if err := d.Decode(&env); err != nil {
		return nil, fmt.Errorf("key manager answer is not a SOAP envelope: %w", err)
	}
	if env.XMLName.Local != "Envelope" {
		return nil, fmt.Errorf("key manager answer is a <%s>, not a SOAP Envelope", env.XMLName.Local)
	}
	if f := env.Body.Fault; f != nil {
		return nil, fmt.Errorf("key manager SOAP fault %s: %s", strings.TrimSpace(f.Code), truncate(strings.TrimSpace(f.String), 200))
	}
	if env.Body.Response == nil || env.Body.Response.Return == nil {
		return nil, errors.New("key manager answer has no validateKeyResponse/return")
	}
	info := env.Body.Response.Return
	for i := 0; i < len(info.Scopes); {
		if info.Scopes[i] == "" {
			info.Scopes = append(info.Scopes[:i], info.Scopes[i+1:]...)
			continue
		}
		i++
	}
	return info, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
