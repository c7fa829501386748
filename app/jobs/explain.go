package jobs

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zeninpaint/studio/client"
)

// Explain turns an error from a run into a sentence for a designer: what
// happened and what to do.
func Explain(err error) string {
	var msg string
	switch {
	case errors.Is(err, client.ErrOutcomeUnknown):
		msg = "The connection broke after the job was sent, so it may have been processed (and billed). " +
			"Check your account's history before you retry: Retry sends it again."
	case errors.Is(err, client.ErrNetwork):
		msg = "Could not reach the server. Check the internet connection and the server address in Settings, then retry."
	case errors.Is(err, client.ErrTimeout):
		msg = "The server did not finish in time. Retry, or use smaller images."
	case errors.Is(err, client.ErrNotFound):
		msg = "The server no longer knows this job (it may have expired). Retry to send it again."
	default:
		msg = err.Error()
	}
	msg = strings.TrimPrefix(msg, client.ErrInvalidRequest.Error()+": ")
	r, n := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[n:]
}
