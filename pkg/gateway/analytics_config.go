package gateway

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"time"
)

// validateAnalytics checks the analytics section. Values are always
// checked; what analytics needs to run only when it is enabled.
func (c *Config) validateAnalytics() []string {
	var out []string
	bad := func(path, format string, args ...any) {
		out = append(out, c.where(path)+": "+fmt.Sprintf(format, args...))
	}
	a := &c.Analytics
	if a.RotatePeriod < 0 {
		bad("analytics.rotate_period", "must not be negative")
	}
	if a.RotateSize < 0 {
		bad("analytics.rotate_size", "must not be negative")
	}
	if a.MaxDiskBytes < 0 {
		bad("analytics.max_disk_bytes", "must not be negative")
	}
	if a.QueueSize < 1 || a.QueueSize > 10_000_000 {
		bad("analytics.queue_size", "%d is out of range; use 1 to 10000000 events", a.QueueSize)
	}
	if !a.Enabled {
		return out
	}
	if a.Dir == "" {
		bad("analytics.dir", "analytics is enabled but has no folder; set analytics.dir (MGW_ANALYTICS_DIR)")
	}
	if a.RotatePeriod > 0 && a.RotatePeriod < time.Second {
		bad("analytics.rotate_period", "%s is too short; use 1s or more", a.RotatePeriod)
	}
	if a.RotatePeriod == 0 {
		bad("analytics.rotate_period", "must be positive, such as 10m")
	}
	if !a.Upload {
		return out
	}
	if a.UploadPeriod < time.Second {
		bad("analytics.upload_period", "must be at least 1s, such as 10m")
	}
	if a.UploadURL == "" {
		bad("analytics.upload_url", "uploads are on but no URL is set; set analytics.upload_url (MGW_ANALYTICS_UPLOAD_URL) or analytics.upload: false (MGW_ANALYTICS_UPLOAD=false) to keep the files")
	} else if err := checkBackendURL(a.UploadURL); err != nil {
		bad("analytics.upload_url", "%v", err)
	}
	if a.Password == "" {
		bad("analytics.password", "uploads need the analytics server's password: set MGW_ANALYTICS_PASSWORD or analytics.password_file, or analytics.upload: false to keep the files")
	}
	return out
}

// analyticsClient is the HTTP client of the uploader, trusting
// analytics.ca_file in addition to the system roots.
func analyticsClient(a AnalyticsConfig) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if a.CAFile != "" {
		pem, err := os.ReadFile(a.CAFile)
		if err != nil {
			return nil, fmt.Errorf("analytics.ca_file: cannot read %s: %s", a.CAFile, pathErr(err))
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("analytics.ca_file: %s holds no PEM certificate", a.CAFile)
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: tr, Timeout: 2 * time.Minute}, nil
}
