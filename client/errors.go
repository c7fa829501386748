package client

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// Sentinel errors: every error the client returns for a server answer or a
// give-up wraps one of these, so callers can branch with errors.Is.
var (
	ErrUnauthorized        = errors.New("the server did not accept the API key or e-mail")
	ErrInsufficientCredits = errors.New("not enough credits on the account")
	ErrTooLarge            = errors.New("the images are too large for the server")
	ErrInvalidInput        = errors.New("the server refused the inputs")
	ErrRateLimited         = errors.New("too many requests at once")
	ErrServer              = errors.New("the server had a problem")
	ErrNotFound            = errors.New("the server does not know this job")
	ErrTimeout             = errors.New("the job took too long")
	ErrJobFailed           = errors.New("the job failed")
	ErrOutcomeUnknown      = errors.New("the connection broke after the request was sent; it may or may not have been processed")
	ErrNetwork             = errors.New("could not reach the server")
	ErrInsecureURL         = errors.New("refusing to send credentials over plain http to a host that is not this computer")
	ErrBadResponse         = errors.New("the server's answer could not be understood")
	// ErrAnswerTooLarge is wrapped with ErrBadResponse when an answer is
	// larger than the client reads (see ResultLimit).
	ErrAnswerTooLarge = errors.New("the server's answer was larger than the app accepts")

	// What kept a request from reaching the server, wrapped with
	// ErrNetwork when known.
	ErrNoSuchHost = errors.New("no such host")
	ErrRefused    = errors.New("nothing is listening at that address")
	ErrTLS        = errors.New("the server's secure connection could not be trusted")
)

// networkCause names what kept a request from the server, or is nil.
func networkCause(err error) error {
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	var header tls.RecordHeaderError
	switch {
	case errors.As(err, &dns) && (dns.IsNotFound || !dns.IsTimeout && !dns.IsTemporary):
		return ErrNoSuchHost
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrRefused
	case errors.As(err, &unknownCA), errors.As(err, &hostname), errors.As(err, &invalid),
		errors.As(err, &verify), errors.As(err, &header):
		return ErrTLS
	}
	return nil
}

// APIError is a non-2xx answer from the server.
type APIError struct {
	StatusCode int
	Message    string        // the server's own text, trimmed
	RetryAfter time.Duration // from a Retry-After header, 0 when absent
	kind       error
	// retryLater: the answer had a Retry-After header (even "0"): the
	// server says it did not take the request.
	retryLater bool
}

// Error is a plain sentence: what went wrong, what to do, and the status.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString(e.kind.Error())
	if hint := hints[e.kind]; hint != "" {
		b.WriteString(". ")
		b.WriteString(hint)
	}
	fmt.Fprintf(&b, " (HTTP %d", e.StatusCode)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	b.WriteString(")")
	return b.String()
}

// Unwrap returns the sentinel for the status.
func (e *APIError) Unwrap() error { return e.kind }

var hints = map[error]string{
	ErrUnauthorized:        "Check the API key and e-mail in Settings",
	ErrInsufficientCredits: "Top up your credits, then retry",
	ErrTooLarge:            "Use smaller images",
	ErrInvalidInput:        "Check the images and the mode",
	ErrRateLimited:         "Wait a moment and retry",
	ErrServer:              "Try again in a moment",
}

// kindForStatus maps an HTTP status to its sentinel.
func kindForStatus(code int) error {
	switch {
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return ErrUnauthorized
	case code == http.StatusPaymentRequired:
		return ErrInsufficientCredits
	case code == http.StatusRequestEntityTooLarge:
		return ErrTooLarge
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return ErrInvalidInput
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500:
		return ErrServer
	}
	return ErrBadResponse
}

// JobError is a job the server reports as failed.
type JobError struct {
	Ticket  string
	Message string
}

// Error says the job failed and the server's reason.
func (e *JobError) Error() string {
	if e.Message == "" {
		return ErrJobFailed.Error()
	}
	return ErrJobFailed.Error() + ": " + e.Message
}

// Unwrap returns ErrJobFailed.
func (e *JobError) Unwrap() error { return ErrJobFailed }

// Retryable reports whether err is worth another try: network trouble, a
// rate limit or a server error. Validation, auth and credit errors are not.
func Retryable(err error) bool {
	return errors.Is(err, ErrNetwork) || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer) ||
		errors.Is(err, ErrOutcomeUnknown) || errors.Is(err, ErrTimeout)
}
