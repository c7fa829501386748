package client

import (
	"context"
	"sync"
)

// slots caps the requests in flight. While a job the server took is being
// waited for, submissions leave pollReserve slots free for its polls, so
// that polls never queue behind long sync uploads; with no job waited for,
// submissions may use every slot. Waiting requests are served as slots free
// up, and a submission never takes a slot ahead of a poll that was waiting.
type slots struct {
	mu        sync.Mutex
	capacity  int
	inFlight  int
	paid      int           // submissions in flight
	waits     int           // Wait loops running: polls to keep room for
	pollsWant int           // polls blocked for a slot
	freed     chan struct{} // closed and replaced whenever a slot frees up
}

func newSlots(capacity int) *slots {
	return &slots{capacity: capacity, freed: make(chan struct{})}
}

// acquire takes a slot (for a submission, or for anything else) and
// returns its release, or ctx's error.
func (s *slots) acquire(ctx context.Context, submission bool) (func(), error) {
	counted := false
	for {
		s.mu.Lock()
		if s.fits(submission) {
			s.inFlight++
			if submission {
				s.paid++
			}
			if counted {
				s.pollsWant--
			}
			s.mu.Unlock()
			return func() { s.release(submission) }, nil
		}
		if !submission && !counted {
			s.pollsWant++
			counted = true
		}
		freed := s.freed
		s.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			if counted {
				s.mu.Lock()
				s.pollsWant--
				s.mu.Unlock()
			}
			return nil, ctx.Err()
		}
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
	if s.pollsWant > 0 {
		return false // a poll is waiting: it goes first
	}
	reserve := 0
	if s.waits > 0 {
		reserve = min(pollReserve, s.capacity-1)
	}
	return s.paid < s.capacity-reserve
}

func (s *slots) release(submission bool) {
	s.mu.Lock()
	s.inFlight--
	if submission {
		s.paid--
	}
	close(s.freed)
	s.freed = make(chan struct{})
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
		close(s.freed) // submissions held back by the reserve may go
		s.freed = make(chan struct{})
		s.mu.Unlock()
	}
}
