package jobs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"unicode"
	"unicode/utf8"

	"github.com/zeninpaint/studio/client"
)

// checkHistory ends every message about a job that may have been billed.
const checkHistory = " Check your account's history before you retry: Retry sends it again."

// Explain turns an error from a run into a sentence for a designer: what
// happened and what to do. Technical detail (Go's own error text) stays in
// the -v log, where the manager writes the whole error.
func Explain(err error) string {
	msg := explain(err)
	msg = strings.TrimPrefix(msg, client.ErrInvalidRequest.Error()+": ")
	r, n := utf8.DecodeRuneInString(msg)
	return string(unicode.ToUpper(r)) + msg[n:]
}

func explain(err error) string {
	var apiErr *client.APIError
	var jobErr *client.JobError
	var pathErr *fs.PathError
	maybe := errors.Is(err, client.ErrOutcomeUnknown)
	switch {
	case errors.Is(err, client.ErrAnswerTooLarge):
		msg := "The server's answer was larger than the app accepts, so its result was not kept."
		if maybe {
			msg += " The job may have been processed (and billed)." + checkHistory
		}
		return msg
	case maybe && errors.Is(err, client.ErrTimeout):
		return "The server did not answer in time after the job was sent, so it may have been processed (and billed)." + checkHistory
	case maybe && errors.As(err, &apiErr):
		return fmt.Sprintf("A gateway in front of the server answered with an error (HTTP %d) after the job was sent, "+
			"so it may have been processed (and billed).", apiErr.StatusCode) + checkHistory
	case maybe && errors.Is(err, client.ErrBadResponse):
		return "The server's answer to the job could not be understood, so it may have been processed (and billed)." + checkHistory
	case maybe:
		return "The connection broke after the job was sent, so it may have been processed (and billed)." + checkHistory
	case errors.Is(err, client.ErrBadResponse):
		return "The server's answer could not be understood (a proxy's error page, or a server that is not Zen-Inpaint, " +
			"may be in the way). Check the server address in Settings, then retry."
	case errors.Is(err, client.ErrNetwork):
		return "Could not reach the server. Check the internet connection and the server address in Settings, then retry."
	case errors.Is(err, client.ErrTimeout):
		return "The server did not finish in time. Retry, or use smaller images."
	case errors.Is(err, client.ErrNotFound):
		return "The server no longer knows this job (it may have expired). Retry to send it again."
	case errors.As(err, &apiErr), errors.As(err, &jobErr), errors.Is(err, client.ErrRedirected):
		return err.Error() // the client's own plain sentence, with the server's words
	case errors.Is(err, context.Canceled):
		return "Stopped."
	case errors.As(err, &pathErr):
		return fmt.Sprintf("The app could not %s %s: %s. Free some space or check the folder in Settings, then retry.",
			verbOf(pathErr.Op), filepath.Base(pathErr.Path), diskReason(err))
	}
	return err.Error()
}

// verbOf names a file operation for a sentence.
func verbOf(op string) string {
	switch op {
	case "open", "read", "stat", "lstat":
		return "read"
	}
	return "write"
}

// diskReason is a file error's cause in words.
func diskReason(err error) string {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return "the app is not allowed to"
	case errors.Is(err, fs.ErrNotExist):
		return "the file or its folder is missing"
	}
	return "the disk refused"
}
