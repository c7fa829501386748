package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// ErrRedirected is returned when a server answers a request that must not
// be redirected (a paid submission, a poll) with a redirect, or redirects a
// download somewhere credentials or the result must not go.
var ErrRedirected = errors.New("the server sent the request to another address, which the app does not follow " +
	"for paid or signed requests: check the server address in Settings")

// checkRedirect is the http.Client's redirect policy. A POST (a paid
// submission or a poll) is never redirected: following a 307/308 would send
// the paid body again, to wherever the server says. A GET is followed to
// the same scheme and host with its credentials, to another https host
// without them, and never to plain http off this computer.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	if first.Method != http.MethodGet {
		return ErrRedirected
	}
	if len(via) >= 10 {
		return fmt.Errorf("%w: more than 10 redirects", ErrRedirected)
	}
	if req.URL.Scheme != "https" && !(req.URL.Scheme == "http" && IsLoopback(req.URL.Hostname())) {
		return fmt.Errorf("%w (%s)", ErrInsecureURL, req.URL.Host)
	}
	if !sameOrigin(req.URL, first.URL) {
		req.Header.Del(headerAPIKey)
		req.Header.Del(headerEmail)
	}
	return nil
}

// sameOrigin reports whether two URLs share scheme, host and port.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// sameOriginString is sameOrigin for raw URLs; unparsable ones never match.
func sameOriginString(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	return errA == nil && errB == nil && ua.Host != "" && sameOrigin(ua, ub)
}

// urlQuery matches a URL's query string or fragment, where signed links
// keep their signatures.
var urlQuery = regexp.MustCompile(`(?i)(\bhttps?://[^\s?#"'<>]*)[?#][^\s"'<>]*`)

// Redact removes from text the API key, in any letter case, and the query
// strings of URLs. Every text that comes from a server or a transport
// error passes through it before it reaches an error, a log or a file.
func Redact(text, apiKey string) string {
	text = urlQuery.ReplaceAllString(text, "${1}?[redacted]")
	if strings.TrimSpace(apiKey) == "" {
		return text
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(apiKey)).ReplaceAllString(text, "[redacted]")
}

// redactedError shows a redacted text but unwraps to the original error,
// so errors.Is still sees the cause.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactErr returns err with its text redacted (nil stays nil).
func redactErr(err error, apiKey string) error {
	if err == nil {
		return nil
	}
	text := Redact(err.Error(), apiKey)
	if text == err.Error() {
		return err
	}
	return &redactedError{text: text, err: err}
}

// watchdog cancels an attempt when nothing happens for a while: no upload
// progress, no answer within the answer deadline once the request is sent,
// or no bytes of the answer's body.
type watchdog struct {
	mu     sync.Mutex
	timer  *time.Timer
	cause  error
	fire   func(error)
	done   bool
	period time.Duration
}

func newWatchdog(fire func(error)) *watchdog { return &watchdog{fire: fire} }

// arm (re)starts the countdown: after d without another arm or stop, fire
// is called with cause.
func (w *watchdog) arm(d time.Duration, cause error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	w.cause, w.period = cause, d
	if w.timer == nil {
		w.timer = time.AfterFunc(d, w.expire)
		return
	}
	w.timer.Reset(d)
}

// poke restarts the current countdown (progress was made).
func (w *watchdog) poke() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done && w.timer != nil {
		w.timer.Reset(w.period)
	}
}

func (w *watchdog) expire() {
	w.mu.Lock()
	cause, done := w.cause, w.done
	w.mu.Unlock()
	if !done {
		w.fire(cause)
	}
}

func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	if w.timer != nil {
		w.timer.Stop()
	}
}

// stallError is why the watchdog ended an attempt.
type stallError struct{ what string }

func (e *stallError) Error() string { return e.what }
