package jobs

import (
	"context"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

func specs() map[string]Spec {
	bg := clienttest.PNG(clienttest.Photo(80, 60))
	return map[string]Spec{
		"inpaint": {Mode: client.ModeInpaint, Prompt: "a ball", Seed: 5, Inputs: map[client.Role]InputData{
			"subject": {"ball.png", clienttest.PNG(clienttest.Subject(30, 30))}, "background": {"room.png", bg},
			"mask": {"mask.png", clienttest.PNG(clienttest.Mask(80, 60, image.Rect(20, 20, 60, 50)))}}},
		"scene":          {Mode: client.ModeScene, Prompt: "ünïcode dusk — 夕方", Seed: 6, Inputs: map[client.Role]InputData{client.RoleDepth: {"depth.png", clienttest.PNG(clienttest.Depth(64, 48))}}},
		"new background": {Mode: client.ModeBackground, Prompt: "studio", Seed: 7, Inputs: map[client.Role]InputData{"subject": {"cutout.png", clienttest.PNG(clienttest.Subject(50, 40))}}},
	}
}

type harness struct {
	store  *Store
	out    string
	server Server
	mu     sync.Mutex
	seen   []Job
}

// newHarness starts a real engine on loopback (wrapped by wrap, if given)
// and a store in a temp folder.
func newHarness(t *testing.T, wrap func(http.Handler) http.Handler) *harness {
	t.Helper()
	var h http.Handler = engine.NewServer(engine.Options{})
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	store, err := OpenStore(filepath.Join(t.TempDir(), "storage"))
	if err != nil {
		t.Fatal(err)
	}
	return &harness{store: store, out: filepath.Join(t.TempDir(), "Pictures", "Zen Inpaint"),
		server: Server{SyncURL: srv.URL, AsyncURL: srv.URL}}
}

func (h *harness) manager(t *testing.T) *Manager {
	t.Helper()
	m, err := NewManager(Options{
		Store: h.store,
		Clients: func(s Server) (*client.Client, error) {
			return client.New(client.Config{SyncURL: s.SyncURL, AsyncURL: s.AsyncURL})
		},
		OutputDir: func() string { return h.out },
		OnChange: func(j Job) {
			h.mu.Lock()
			h.seen = append(h.seen, j)
			h.mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	return m
}

// waitFor polls until the job reaches a final status.
func waitFor(t *testing.T, m *Manager, id string) Job {
	t.Helper()
	var j Job
	clienttest.Until(t, "job "+id+" to finish", nil, func() bool {
		var ok bool
		j, ok = m.Job(id)
		return ok && !j.Status.Active()
	})
	return j
}

func TestEveryModeSyncAndAsyncIsSavedWithMetadata(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	m := h.manager(t)
	for name, s := range specs() {
		for _, async := range []bool{false, true} {
			s.Async, s.Server = async, h.server
			job, err := m.Add(s)
			if err != nil {
				t.Fatalf("%s: Add: %v", name, err)
			}
			j := waitFor(t, m, job.ID)
			if j.Status != Done || j.Error != "" {
				t.Fatalf("%s async=%v: %s %q", name, async, j.Status, j.Error)
			}
			if j.Credits != 0.04 || j.Elapsed(time.Now()) <= 0 {
				t.Errorf("credits %v, elapsed %v", j.Credits, j.Elapsed(time.Now()))
			}
			data, err := os.ReadFile(j.ResultPath)
			if err != nil || filepath.Dir(j.ResultPath) != h.out {
				t.Fatalf("result file %q: %v", j.ResultPath, err)
			}
			if _, _, err := imagefile.Decode(data, 0); err != nil {
				t.Fatalf("saved result does not decode: %v", err)
			}
			meta := PNGText(data)
			if meta["Mode"] != string(s.Mode) || meta["Prompt"] != s.Prompt || meta["Seed"] != fmt.Sprint(s.Seed) || meta["Creation Time"] == "" {
				t.Errorf("metadata %v", meta)
			}
		}
	}
	statuses := map[Status]bool{}
	h.mu.Lock()
	for _, j := range h.seen {
		statuses[j.Status] = true
	}
	h.mu.Unlock()
	for _, s := range []Status{Queued, Sending, Done} {
		if !statuses[s] {
			t.Errorf("no change event with status %s (saw %v)", s, statuses)
		}
	}
}

// A queue written with pending tickets, opened by a new manager, resumes
// polling and finishes; a sync job that was in flight is never resent.
func TestResumeAfterRestart(t *testing.T) {
	t.Parallel()
	var syncCalls atomic.Int32
	h := newHarness(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				syncCalls.Add(1)
			}
			next.ServeHTTP(w, r)
		})
	})
	c, _ := client.New(client.Config{SyncURL: h.server.SyncURL, AsyncURL: h.server.AsyncURL})
	first := h.manager(t)
	var ids []string
	for name, s := range specs() {
		ticket, err := c.Submit(context.Background(), s.Request(), nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		j := pendingJob(t, h, s, ticket)
		first.jobs = append(first.jobs, j)
		ids = append(ids, j.ID)
	}
	inFlight := pendingJob(t, h, specs()["scene"], "")
	inFlight.Async, inFlight.Status = false, Sending
	first.jobs = append(first.jobs, inFlight)
	if err := first.save(); err != nil {
		t.Fatal(err)
	}

	second := h.manager(t) // a new app instance on the same storage
	if got := len(second.Jobs()); got != 4 {
		t.Fatalf("the new instance has %d jobs, want 4", got)
	}
	second.Resume()
	for _, id := range ids {
		if j := waitFor(t, second, id); j.Status != Done || j.ResultPath == "" {
			t.Errorf("resumed job %s: %s %q", id, j.Status, j.Error)
		}
	}
	j := waitFor(t, second, inFlight.ID)
	if j.Status != Interrupted || !strings.Contains(j.Error, "retry") {
		t.Errorf("in-flight sync job: %s %q, want interrupted", j.Status, j.Error)
	}
	if syncCalls.Load() != 0 {
		t.Errorf("the interrupted sync job was resent %d times", syncCalls.Load())
	}
	if err := second.Retry(inFlight.ID); err != nil {
		t.Fatal(err)
	}
	if j := waitFor(t, second, inFlight.ID); j.Status != Done || syncCalls.Load() != 1 {
		t.Errorf("after Retry: %s, %d sync calls", j.Status, syncCalls.Load())
	}
}

// pendingJob is the record of an async job that got a ticket.
func pendingJob(t *testing.T, h *harness, s Spec, ticket string) *Job {
	t.Helper()
	j := &Job{ID: newID(), Mode: s.Mode, Prompt: s.Prompt, Seed: s.Seed, Async: true, Server: h.server,
		Inputs: map[client.Role]Input{}, Status: Waiting, Ticket: ticket, Created: time.Now(), Started: time.Now()}
	for field, in := range s.Inputs {
		blob, err := h.store.PutBlob(in.Data)
		if err != nil {
			t.Fatal(err)
		}
		j.Inputs[field] = Input{Blob: blob, Name: in.Name}
	}
	return j
}

func TestLocalJobsAreResentAfterRestart(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	m := h.manager(t)
	j := pendingJob(t, h, specs()["new background"], "ticket-of-an-engine-that-is-gone")
	j.Server.Local = true
	m.jobs = append(m.jobs, j)
	m.Resume()
	if got := waitFor(t, m, j.ID); got.Status != Done {
		t.Fatalf("local job after restart: %s %q", got.Status, got.Error)
	}
}

func TestCancelAbortsASyncRequest(t *testing.T) {
	t.Parallel()
	arrived, aborted := make(chan struct{}), make(chan struct{})
	h := newHarness(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// The server notices a hang-up only once the body has been read.
			_, _ = io.Copy(io.Discard, r.Body)
			close(arrived)
			<-r.Context().Done()
			close(aborted)
		})
	})
	m := h.manager(t)
	s := specs()["scene"]
	s.Server = h.server
	job, err := m.Add(s)
	if err != nil {
		t.Fatal(err)
	}
	clienttest.Receive(t, "the request to reach the server", arrived) // cancel once the server has it
	m.Cancel(job.ID)
	if j := waitFor(t, m, job.ID); j.Status != Cancelled {
		t.Errorf("status %s after cancel", j.Status)
	}
	clienttest.Receive(t, "the server to see the request end", aborted)
}

func TestFailureMessagesAndRetry(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	h := newHarness(t, func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch calls.Add(1) {
			case 1:
				w.WriteHeader(http.StatusPaymentRequired)
				_, _ = w.Write([]byte(`{"error":"balance 0.00"}`))
			case 2:
				w.WriteHeader(http.StatusInternalServerError)
			default:
				next.ServeHTTP(w, r)
			}
		})
	})
	m := h.manager(t)
	s := specs()["new background"]
	s.Server = h.server
	job, _ := m.Add(s)
	j := waitFor(t, m, job.ID)
	if j.Status != Failed || !strings.Contains(j.Error, "Not enough credits") || !strings.Contains(j.Error, "Top up") {
		t.Errorf("402: %s %q", j.Status, j.Error)
	}
	_ = m.Retry(job.ID)
	j = waitFor(t, m, job.ID)
	if j.Status != Failed || !strings.Contains(j.Error, "The server had a problem") {
		t.Errorf("500: %s %q", j.Status, j.Error)
	}
	_ = m.Retry(job.ID)
	if j = waitFor(t, m, job.ID); j.Status != Done {
		t.Errorf("third try: %s %q", j.Status, j.Error)
	}
}

func TestAddRefusesInvalidSpecs(t *testing.T) {
	h := newHarness(t, nil)
	m := h.manager(t)
	s := specs()["new background"]
	s.Inputs = map[client.Role]InputData{"subject": {"photo.jpg", clienttest.JPEG(clienttest.Photo(20, 20))}}
	if _, err := m.Add(s); err == nil || !strings.Contains(err.Error(), "PNG") {
		t.Errorf("Add = %v", err)
	}
	if len(m.Jobs()) != 0 {
		t.Error("a refused job was queued")
	}
}
