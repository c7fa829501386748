package jobs

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// TestNothingIsSentWhenSendingCannotBeSaved: if "Sending" cannot be
// written to disk, the paid request never leaves, and the user hears of it.
func TestNothingIsSentWhenSendingCannotBeSaved(t *testing.T) {
	var posts atomic.Int32
	h := newHarness(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.URL.Path != "/predict" {
				posts.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	var saveErrors atomic.Int32
	queue := filepath.Join(h.store.Dir(), queueFile)
	m, err := NewManager(Options{
		Store: h.store,
		Clients: func(s Server) (*client.Client, error) {
			// The disk fails between Add and the send: the queue file's
			// place is taken by a folder, so the next save cannot land.
			_ = os.Remove(queue)
			if err := os.MkdirAll(filepath.Join(queue, "blocked"), 0o700); err != nil {
				t.Error(err)
			}
			return client.New(client.Config{SyncURL: s.SyncURL, AsyncURL: s.AsyncURL})
		},
		OutputDir:   func() string { return h.out },
		OnSaveError: func(error) { saveErrors.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	job, err := m.Add(specWith(specs()["scene"], h.server))
	if err != nil {
		t.Fatal(err)
	}
	j := waitFor(t, m, job.ID)
	if posts.Load() != 0 {
		t.Fatalf("%d paid requests left although 'Sending' was not saved", posts.Load())
	}
	if j.Status != Failed || !strings.Contains(j.Error, "not sent") || j.Billing != NotCharged {
		t.Errorf("job %s %q billing %q", j.Status, j.Error, j.Billing)
	}
	if saveErrors.Load() == 0 {
		t.Error("the failed save was not reported")
	}
}

func specWith(s Spec, srv Server) Spec {
	s.Server = srv
	return s
}

// TestNaNProgressDoesNotStopSaves: a server that reports "NaN" progress;
// the next job is on disk all the same.
func TestNaNProgressDoesNotStopSaves(t *testing.T) {
	var polls atomic.Int32
	h := newHarness(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/predict" && polls.Add(1) <= 2 {
				_, _ = io.ReadAll(r.Body)
				_, _ = io.WriteString(w, `{"status":"processing","progress":"NaN"}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	m := h.manager(t)
	sp := specWith(specs()["scene"], h.server)
	sp.Async = true
	first, err := m.Add(sp)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, m, first.ID)
	j := sp
	j.Async = false
	second, err := m.Add(j)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, m, second.ID)
	// The queue on disk, read as the next start reads it: by a store of its
	// own (the manager's may still be saving the job's last state).
	disk, err := OpenStore(h.store.Dir())
	if err != nil {
		t.Fatal(err)
	}
	saved, err := disk.Load()
	if err != nil || len(saved) != 2 || saved[1].ID != second.ID {
		t.Fatalf("the queue on disk: %d jobs, %v", len(saved), err)
	}
	// And a NaN that reaches a job record some other way is stored as unknown.
	saved[0].Progress = nan()
	if err := disk.Save(saved); err != nil {
		t.Errorf("saving a NaN progress: %v", err)
	}
}

func nan() float64 { var z float64; return z / z }

// TestCancelAlwaysAnswers: Cancel says what happened in every state.
func TestCancelAlwaysAnswers(t *testing.T) {
	h := newHarness(t, nil)
	m := h.manager(t)
	job, err := m.Add(specWith(specs()["scene"], h.server))
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, m, job.ID)
	if got := m.Cancel(job.ID); !strings.Contains(got, "already ended") {
		t.Errorf("Cancel of a finished job: %q", got)
	}
	if got := m.Cancel("nope"); got == "" {
		t.Error("Cancel of an unknown job said nothing")
	}
	m.mu.Lock()
	m.find(job.ID).Status = Finishing
	m.mu.Unlock()
	if got := m.Cancel(job.ID); !strings.Contains(got, "Too late") {
		t.Errorf("Cancel while finishing: %q", got)
	}
}

// TestChargedOnlyWhenTaken: a job the server refused costs nothing; one it
// took is charged once (OnCharged) and marked so.
func TestChargedOnlyWhenTaken(t *testing.T) {
	var refuse atomic.Bool
	h := newHarness(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if refuse.Load() && r.URL.Path != "/ping" {
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `{"error":"no"}`)
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	var charged atomic.Int32
	m, err := NewManager(Options{Store: h.store, OutputDir: func() string { return h.out },
		Clients: func(s Server) (*client.Client, error) {
			return client.New(client.Config{SyncURL: s.SyncURL, AsyncURL: s.AsyncURL})
		},
		OnCharged: func(Job) { charged.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ok, _ := m.Add(specWith(specs()["scene"], h.server))
	if j := waitFor(t, m, ok.ID); j.Billing != Charged || j.Status != Done {
		t.Errorf("a finished job: %s billing %q", j.Status, j.Billing)
	}
	refuse.Store(true)
	bad, _ := m.Add(specWith(specs()["scene"], h.server))
	if j := waitFor(t, m, bad.ID); j.Billing != NotCharged || j.Status != Failed {
		t.Errorf("a refused job: %s billing %q", j.Status, j.Billing)
	}
	if charged.Load() != 1 {
		t.Errorf("%d charges reported, want 1", charged.Load())
	}
}
