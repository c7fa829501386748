package client

import (
	"context"
	"slices"
	"sync"
)

// slots caps the requests in flight. While a job the server took is being
// waited for, submissions leave pollReserve slots free for its polls, so
// that polls never queue behind long sync uploads; with no job waited for,
// submissions may use every slot. Waiting requests are served in order as
// slots free up, each woken alone (a freed slot is handed to the next
// waiter, as a buffered channel hands it to the next sender), and a
// submission never takes a slot ahead of a poll that was waiting.
type slots struct {
	mu       sync.Mutex
	capacity int
	inFlight int
	paid     int // submissions in flight
	waits    int // Wait loops running: polls to keep room for
	// polls and submits wait for a slot, oldest first.
	polls, submits []*slotWaiter
}

// slotWaiter is a request waiting for a slot.
type slotWaiter struct {
	ready   chan struct{} // closed once the slot is granted
	granted bool
}

func newSlots(capacity int) *slots {
	return &slots{capacity: capacity}
}

// acquire takes a slot (for a submission, or for anything else) and
// returns its release, or ctx's error.
func (s *slots) acquire(ctx context.Context, submission bool) (func(), error) {
	release := func() { s.release(submission) }
	s.mu.Lock()
	queue := &s.polls
	if submission {
		queue = &s.submits
	}
	if len(*queue) == 0 && s.fits(submission) {
		s.take(submission)
		s.mu.Unlock()
		return release, nil
	}
	w := &slotWaiter{ready: make(chan struct{})}
	*queue = append(*queue, w)
	s.mu.Unlock()
	select {
	case <-w.ready:
		return release, nil
	case <-ctx.Done():
		s.mu.Lock()
		if w.granted { // granted as ctx ended: pass the slot on
			s.mu.Unlock()
			release()
			return nil, ctx.Err()
		}
		*queue = slices.DeleteFunc(*queue, func(o *slotWaiter) bool { return o == w })
		s.grant() // a submission held back by this poll may go
		s.mu.Unlock()
		return nil, ctx.Err()
	}
}

// fits reports whether a request may take a slot now (s.mu held).
func (s *slots) fits(submission bool) bool {
	if s.inFlight >= s.capacity {
		return false
	}
	if !submission {
		return true
	}
	if len(s.polls) > 0 {
		return false // a poll is waiting: it goes first
	}
	reserve := 0
	if s.waits > 0 {
		reserve = min(pollReserve, s.capacity-1)
	}
	return s.paid < s.capacity-reserve
}

// take counts a slot as in flight (s.mu held).
func (s *slots) take(submission bool) {
	s.inFlight++
	if submission {
		s.paid++
	}
}

// grant hands free slots to the waiters, polls first (s.mu held).
func (s *slots) grant() {
	for len(s.polls) > 0 && s.fits(false) {
		s.wake(&s.polls, false)
	}
	for len(s.submits) > 0 && s.fits(true) {
		s.wake(&s.submits, true)
	}
}

// wake gives the oldest waiter of queue its slot (s.mu held).
func (s *slots) wake(queue *[]*slotWaiter, submission bool) {
	w := (*queue)[0]
	*queue = (*queue)[1:]
	s.take(submission)
	w.granted = true
	close(w.ready)
}

func (s *slots) release(submission bool) {
	s.mu.Lock()
	s.inFlight--
	if submission {
		s.paid--
	}
	s.grant()
	s.mu.Unlock()
}

// waiting marks a Wait loop running until the returned func is called.
func (s *slots) waiting() func() {
	s.mu.Lock()
	s.waits++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.waits--
		s.grant() // submissions held back by the reserve may go
		s.mu.Unlock()
	}
}
