package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// TestExplainSpeaksPlainly: every error a run can end with is told in
// words, with what to do, and without Go's own error text.
func TestExplainSpeaksPlainly(t *testing.T) {
	var syntax error = json.Unmarshal([]byte("<html>"), new(any))
	cut := json.Unmarshal([]byte(`{"a":`), new(any))
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"garbled answer", fmt.Errorf("%w: %v", client.ErrBadResponse, syntax), "could not be understood"},
		{"cut answer", fmt.Errorf("%w: %v", client.ErrBadResponse, cut), "Check the server address"},
		{"answer too large", fmt.Errorf("%w: %w: %w (over 64 MiB)", client.ErrOutcomeUnknown, client.ErrBadResponse, client.ErrAnswerTooLarge), "larger than the app accepts"},
		{"answer too large, not billed", fmt.Errorf("%w: %w", client.ErrBadResponse, client.ErrAnswerTooLarge), "larger than the app accepts"},
		{"timed out after sending", fmt.Errorf("%w: %w", client.ErrOutcomeUnknown, client.ErrTimeout), "did not answer in time after the job was sent"},
		{"gateway after sending", fmt.Errorf("%w: %w", client.ErrOutcomeUnknown, &client.APIError{StatusCode: 502}), "gateway"},
		{"garbled after sending", fmt.Errorf("%w: %w: no ticket in the answer", client.ErrOutcomeUnknown, client.ErrBadResponse), "could not be understood, so it may have been processed"},
		{"connection broke", fmt.Errorf("%w: %w", client.ErrOutcomeUnknown, syscall.ECONNRESET), "connection broke"},
		{"network", fmt.Errorf("%w (api): dial tcp: connection refused", client.ErrNetwork), "Could not reach the server"},
		{"disk full", fmt.Errorf("saving queue.json: %w", &fs.PathError{Op: "write", Path: "/data/queue.json", Err: syscall.ENOSPC}), "the disk is full"},
		{"cancelled", context.Canceled, "Stopped"},
		{"job failed", &client.JobError{Message: "NSFW content"}, "NSFW content"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Explain(tc.err)
			if !strings.Contains(got, tc.want) {
				t.Errorf("Explain = %q, want it to say %q", got, tc.want)
			}
			for _, goText := range []string{"invalid character", "unexpected end of JSON", "dial tcp", "/data/", "MiB)", "connection reset"} {
				if strings.Contains(got, goText) {
					t.Errorf("Explain = %q shows Go's text %q", got, goText)
				}
			}
		})
	}
}
