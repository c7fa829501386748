package clienttest

import (
	"testing"
	"time"
)

// Tests wait for events, never for a fixed number of seconds: on a busy
// two-core machine under -race a step that takes 50 ms on a quiet one can
// take 30 s. A wait is bounded by the test's own deadline (go test's
// -timeout) instead, and ends with a message of what did not happen a
// little before that deadline would kill the whole package.

// reserve is the share of the time left before the test's deadline that a
// wait leaves, so that a failing wait still reports its own message (and
// the other tests of the package their results) instead of go test's panic.
const reserve = 30 * time.Second

// noDeadline bounds a wait in a test run without -timeout (go test's
// default is 10 minutes; -timeout 0 means none).
const noDeadline = 10 * time.Minute

// WaitDeadline is when a wait started now in t gives up: shortly before the
// test binary's deadline.
func WaitDeadline(t testing.TB) time.Time {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if end, ok := d.Deadline(); ok {
			left := time.Until(end)
			margin := reserve
			if left < 4*margin {
				margin = left / 4
			}
			return end.Add(-margin)
		}
	}
	return time.Now().Add(noDeadline)
}

// Until calls step (when not nil) and then cond until cond holds, checking
// often at first and then every 20 ms at most, and fails t with what it
// waited for when the test's deadline (WaitDeadline) comes first. step is
// what makes progress visible, such as running the UI's queued calls.
func Until(t testing.TB, what string, step func(), cond func() bool) {
	t.Helper()
	deadline := WaitDeadline(t)
	pause := time.Millisecond
	for {
		if step != nil {
			step()
		}
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s at the test's deadline", what)
		}
		time.Sleep(pause)
		if pause < 20*time.Millisecond {
			pause *= 2
		}
	}
}

// Receive waits for a value from ch, bounded by the test's deadline.
func Receive[T any](t testing.TB, what string, ch <-chan T) T {
	t.Helper()
	timer := time.NewTimer(time.Until(WaitDeadline(t)))
	defer timer.Stop()
	select {
	case v := <-ch:
		return v
	case <-timer.C:
		t.Fatalf("gave up waiting for %s at the test's deadline", what)
		var zero T
		return zero
	}
}
