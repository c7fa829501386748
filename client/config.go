package client

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The hosted service's documented endpoints and limits.
const (
	DefaultSyncURL       = "https://zen-inpaint-1066271267292.europe-west1.run.app"
	DefaultAsyncURL      = "https://zeninpaint-pro-1066271267292.europe-west1.run.app"
	DefaultPollInterval  = 1500 * time.Millisecond
	DefaultMaxWait       = 300 * time.Second
	DefaultMaxConcurrent = 14
	// MaxResponseBytes caps every response body the client reads.
	MaxResponseBytes = 64 << 20
)

// Config says where and how the client talks. The zero value of each field
// means its default.
type Config struct {
	SyncURL  string // base URL for sync calls (POST to the base itself)
	AsyncURL string // base URL for /run and /predict
	APIKey   string // sent as x-api-key; never logged or shown
	Email    string // sent as x-email

	HTTPClient    *http.Client  // http.DefaultClient's transport when nil
	PollInterval  time.Duration // between /predict calls: default 1.5 s, clamped to 1–2 s
	MaxWait       time.Duration // how long Wait and a sync call may take: default 300 s
	MaxConcurrent int           // requests in flight at once: default 14
	MaxPixels     int64         // per input image: default imagefile.DefaultMaxPixels
	// RequestTimeout bounds each attempt of a poll, ping or download
	// (a stalled answer is retried): default 60 s.
	RequestTimeout time.Duration
	Logger         *slog.Logger // request log at Debug level; discarded when nil
}

// String shows the configuration with the API key redacted.
func (c Config) String() string {
	return fmt.Sprintf("client.Config{SyncURL: %q, AsyncURL: %q, APIKey: %s, Email: %q, MaxConcurrent: %d}",
		c.SyncURL, c.AsyncURL, redact(c.APIKey), c.Email, c.MaxConcurrent)
}

// GoString is String, so that %#v redacts the key too.
func (c Config) GoString() string { return c.String() }

// LogValue lets slog log the configuration without the key.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("sync_url", c.SyncURL),
		slog.String("async_url", c.AsyncURL),
		slog.String("api_key", redact(c.APIKey)),
		slog.String("email", c.Email),
	)
}

func redact(secret string) string {
	if secret == "" {
		return "(none)"
	}
	return "(set, redacted)"
}

// withDefaults fills zero fields and clamps the poll interval.
func (c Config) withDefaults() Config {
	if c.SyncURL == "" {
		c.SyncURL = DefaultSyncURL
	}
	if c.AsyncURL == "" {
		c.AsyncURL = DefaultAsyncURL
	}
	// The sync URL is POSTed to as it is written: "…/api/" and "…/api" are
	// different addresses, and a redirect from one to the other is not
	// followed with a paid body.
	c.AsyncURL = strings.TrimRight(c.AsyncURL, "/")
	if c.MaxConcurrent <= 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 60 * time.Second
	}
	if c.HTTPClient == nil {
		// Keep a connection per request in flight: the default keeps only
		// two idle per host, and re-dials the rest every time.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = c.MaxConcurrent
		c.HTTPClient = &http.Client{Transport: t}
	}
	if c.PollInterval == 0 {
		c.PollInterval = DefaultPollInterval
	}
	c.PollInterval = min(max(c.PollInterval, time.Second), 2*time.Second)
	if c.MaxWait <= 0 {
		c.MaxWait = DefaultMaxWait
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// CheckURL refuses URLs that would send credentials in the clear: only
// https is allowed, or plain http to this computer (loopback).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a valid server address", raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if IsLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w (%s)", ErrInsecureURL, u.Host)
	}
	return fmt.Errorf("%q: the address must start with https://", raw)
}

// IsLoopback reports whether host names this computer: localhost or an
// address in 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackURL reports whether a URL's host is this computer.
func IsLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && IsLoopback(u.Hostname())
}
