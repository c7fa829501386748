package client

import (
	"context"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// eventually waits until cond holds, bounded by the test's deadline.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	clienttest.Until(t, what, nil, cond)
}

// TestSlotsKeepRoomForPolls: with every slot held by submissions and more
// queued, a poll of a waited-for job takes the next free slot; while it is
// waited for, submissions leave room for polls; with no job waited for they
// use every slot.
func TestSlotsKeepRoomForPolls(t *testing.T) {
	s := newSlots(4)
	ctx := context.Background()
	var held []func()
	for range 4 {
		rel, err := s.acquire(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, rel)
	}
	done := s.waiting()
	got := make(chan string, 8)
	go func() { // a queued upload
		rel, _ := s.acquire(ctx, true)
		got <- "upload"
		defer rel()
	}()
	time.Sleep(20 * time.Millisecond) // the upload likely queues first (if not, the order asserted holds all the same)
	go func() {
		rel, _ := s.acquire(ctx, false)
		got <- "poll"
		defer rel()
	}()
	eventually(t, "the poll waits", func() bool { s.mu.Lock(); defer s.mu.Unlock(); return len(s.polls) == 1 })
	held[0]()
	if first := <-got; first != "poll" {
		t.Fatalf("the freed slot went to the %s, not the poll", first)
	}
	// While the job is waited for, submissions leave 2 of 4 slots: with 3
	// uploads still in flight, freeing one lets no upload in.
	held[1]()
	select {
	case who := <-got:
		t.Fatalf("an %s took a slot kept for polls", who)
	case <-time.After(50 * time.Millisecond):
	}
	done() // no job waited for any more: the upload may go
	if who := <-got; who != "upload" {
		t.Fatalf("got %s", who)
	}
	held[2]()
	held[3]()
}
