package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/zeninpaint/studio/client"
)

// Options configure a Manager.
type Options struct {
	Store *Store
	// Clients returns the client for a server; it is called for every run,
	// so a changed API key takes effect on the next job.
	Clients func(Server) (*client.Client, error)
	// OutputDir returns the folder results are saved to.
	OutputDir func() string
	// OnChange is called, from any goroutine, with a copy of a job after
	// each change.
	OnChange func(Job)
	// OnSaveError is called, from any goroutine, when the queue could not
	// be written to disk: the user must hear of it, not only the log.
	OnSaveError func(error)
	// OnCharged is called, from any goroutine, once for each request the
	// hosted service took (and so billed); never for the local engine.
	OnCharged func(Job)
	Logger    *slog.Logger
	// KeepFinished, when set and above zero, is how long finished jobs
	// stay in the queue (and their images in the store) after they end;
	// older ones are removed at start and by Tidy.
	KeepFinished func() time.Duration
}

// Manager runs the queue. Its methods are safe for concurrent use.
type Manager struct {
	opts Options

	mu      sync.Mutex
	jobs    []*Job
	cancels map[string]context.CancelFunc
	notify  map[string]time.Time // last progress notice per job

	ctx    context.Context
	stop   context.CancelFunc
	wg     sync.WaitGroup
	saveMu sync.Mutex
	// loaded is closed once the saved queue is read: nothing is saved,
	// added or resumed before, so a save never writes a queue without the
	// jobs still being read.
	loaded chan struct{}
}

// Spec is what the user asks for: one job.
type Spec struct {
	Mode           client.Mode
	Prompt         string
	NegativePrompt string
	Seed           int64
	Async          bool
	Server         Server
	Inputs         map[client.Role]InputData
	// Framing and Originals, when set, put the result back into the
	// full-resolution originals (see package framing).
	Framing   *Framing
	Originals map[client.Role]InputData
	// Credits, when set, is what the plan promised for this request; Add
	// refuses a request whose bill would differ.
	Credits float64
	// Press names the press of Generate the job came from: its variations
	// share it.
	Press string
}

// InputData is an image to send and the name to show for it.
type InputData struct {
	Name string
	Data []byte
}

// Request builds the client request of a spec.
func (s Spec) Request() *client.Request {
	r := &client.Request{Mode: s.Mode, Prompt: s.Prompt, NegativePrompt: s.NegativePrompt, Seed: s.Seed}
	for field, in := range s.Inputs {
		if p := r.Image(field); p != nil {
			*p = in.Data
		}
	}
	return r
}

// NewManager loads the saved queue (see Store.Load; a *LoadReport error
// says what could not be loaded) and tidies the store. Call Resume to
// restart what was under way.
func NewManager(opts Options) (*Manager, error) {
	m := newManager(opts)
	return m, m.load()
}

// OpenManager is NewManager without the wait: it returns at once and reads
// the queue and tidies the store on another goroutine, then calls loaded
// with what NewManager would have returned as its error. Until then Jobs
// is empty, and Add, Resume, removals and Close wait for the queue.
func OpenManager(opts Options, loaded func(error)) *Manager {
	m := newManager(opts)
	go func() { loaded(m.load()) }()
	return m
}

func newManager(opts Options) *Manager {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.OnChange == nil {
		opts.OnChange = func(Job) {}
	}
	if opts.OnSaveError == nil {
		opts.OnSaveError = func(error) {}
	}
	if opts.OnCharged == nil {
		opts.OnCharged = func(Job) {}
	}
	ctx, stop := context.WithCancel(context.Background())
	return &Manager{opts: opts, cancels: map[string]context.CancelFunc{},
		notify: map[string]time.Time{}, ctx: ctx, stop: stop, loaded: make(chan struct{})}
}

// load reads the saved queue, then tidies the store.
func (m *Manager) load() error {
	loaded, err := m.opts.Store.Load()
	m.mu.Lock()
	m.jobs = loaded
	m.mu.Unlock()
	close(m.loaded)
	var report *LoadReport
	if errors.As(err, &report) {
		m.opts.Logger.Warn("the saved job queue", "kept", report.Kept, "set aside", len(report.Skipped),
			"unreadable", report.Unreadable, "copy", report.Copy, "copy error", report.CopyErr)
	}
	if held := m.opts.Store.HeldBlobs(); held != "" {
		m.opts.Logger.Warn("stored pictures are kept, none deleted", "because", held)
	}
	if _, terr := m.Tidy(); terr != nil {
		m.opts.Logger.Warn("tidying the job store", "error", terr)
	}
	return err
}

// waitLoaded waits until the saved queue has been read.
func (m *Manager) waitLoaded() { <-m.loaded }

// Loaded is closed once the saved queue has been read.
func (m *Manager) Loaded() <-chan struct{} { return m.loaded }

// Jobs returns copies of all jobs, oldest first.
func (m *Manager) Jobs() []Job {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Job, len(m.jobs))
	for i, j := range m.jobs {
		out[i] = *j
	}
	return out
}

// Job returns a copy of one job.
func (m *Manager) Job(id string) (Job, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if j := m.find(id); j != nil {
		return *j, true
	}
	return Job{}, false
}

func (m *Manager) find(id string) *Job {
	for _, j := range m.jobs {
		if j.ID == id {
			return j
		}
	}
	return nil
}

// Add validates a spec, stores its images, saves it to the queue and
// starts it.
func (m *Manager) Add(s Spec) (Job, error) {
	m.waitLoaded()
	req := s.Request()
	credits, err := req.EstimateCredits(0)
	if err != nil {
		return Job{}, err
	}
	if s.Credits != 0 && credits != s.Credits {
		return Job{}, fmt.Errorf("the prepared request would cost %.2f credits, not the %.2f shown; nothing was sent", credits, s.Credits)
	}
	j := &Job{ID: newID(), Mode: s.Mode, Prompt: s.Prompt, NegativePrompt: s.NegativePrompt, Seed: s.Seed,
		Async: s.Async, Server: s.Server, Inputs: map[client.Role]Input{}, Credits: credits, Press: s.Press,
		Status: Queued, Progress: -1, Created: time.Now()}
	inputs, _ := req.Validate(0)
	j.Framing = s.Framing
	for field, in := range s.Originals {
		blob, err := m.opts.Store.PutBlob(in.Data)
		if err != nil {
			return Job{}, err
		}
		if j.Originals == nil {
			j.Originals = map[client.Role]Input{}
		}
		j.Originals[field] = Input{Blob: blob, Name: in.Name}
	}
	for field, in := range s.Inputs {
		blob, err := m.opts.Store.PutBlob(in.Data)
		if err != nil {
			return Job{}, err
		}
		rec := Input{Blob: blob, Name: in.Name}
		for _, info := range inputs {
			if info.Role == field {
				rec.Width, rec.Height = info.Info.Width, info.Info.Height
			}
		}
		j.Inputs[field] = rec
	}
	m.mu.Lock()
	m.jobs = append(m.jobs, j)
	added := *j
	m.mu.Unlock()
	m.changed(j, true)
	m.start(added.ID)
	return added, nil
}

// Resume restarts what was under way when the app stopped: queued jobs are
// sent; async jobs with a ticket resume polling; a local job is simply
// resent (the local engine forgets tickets when the app stops, and it costs
// nothing). A cloud job that was being sent may or may not have reached the
// server, so it becomes Interrupted and is never resent on its own: each
// request costs credits.
func (m *Manager) Resume() {
	m.waitLoaded()
	m.mu.Lock()
	var start []string
	var touched []*Job
	for _, j := range m.jobs {
		switch {
		case !j.Status.Active():
			continue
		case j.Status == Queued:
		case j.Server.Local:
			j.Status, j.Ticket, j.Progress = Queued, "", -1
		case j.Async && j.Ticket != "":
			// keep Waiting/Processing and the ticket: polling resumes
		case j.Status == Finishing && j.ResultBlob != "":
			// the result had arrived: finish it from the stored copy
		default:
			j.Status, j.Finished, j.Billing = Interrupted, time.Now(), MaybeBilled
			j.Error = "The app closed while this job was being sent. It may or may not have been processed " +
				"(and billed); retry to send it again."
			touched = append(touched, j)
			continue
		}
		start = append(start, j.ID)
		touched = append(touched, j)
	}
	m.mu.Unlock()
	for _, j := range touched {
		m.changed(j, true)
	}
	for _, id := range start {
		m.start(id)
	}
}

// Cancel stops a job: a sync request is aborted, an async job stops being
// polled (the server may still finish it). It returns what happened, in
// words, for every state: a press of Cancel always gets an answer.
func (m *Manager) Cancel(id string) string {
	m.mu.Lock()
	cancel := m.cancels[id]
	j := m.find(id)
	var status Status
	var billing Billing
	if j != nil {
		status, billing = j.Status, j.Billing
		if status == Queued && cancel == nil {
			j.Status, j.Finished = Cancelled, time.Now()
		}
	}
	m.mu.Unlock()
	switch {
	case j == nil:
		return "This job is no longer in the list."
	case status == Finishing:
		return "Too late to cancel: the result has arrived and is being saved."
	case !status.Active():
		return "This job has already ended."
	}
	if cancel != nil {
		cancel()
	} else {
		m.changed(j, true)
	}
	switch {
	case status == Queued:
		return "Cancelled before it was sent: nothing was charged."
	case status == Sending && billing == NotCharged:
		return "Cancelled. If the upload had finished, the server may still process (and bill) it."
	case j.Server.Local:
		return "Cancelled."
	}
	return "Stopped waiting. The server may still finish (and bill) this job; Check again looks for its result."
}

// Retry sends a failed, cancelled or interrupted job again. A job the
// server took (it has a ticket) and that ended while waiting is not sent
// again: Retry looks for its result with the same ticket ("Check again"),
// which costs nothing.
func (m *Manager) Retry(id string) error {
	m.mu.Lock()
	j := m.find(id)
	if j == nil || j.Status.Active() {
		m.mu.Unlock()
		return errors.New("this job is still running")
	}
	if j.Ticket != "" && j.Status != Done {
		j.Status, j.Error, j.Progress, j.Finished = Waiting, "", -1, time.Time{}
		m.mu.Unlock()
		m.changed(j, true)
		m.start(id)
		return nil
	}
	j.Status, j.Ticket, j.Error, j.Progress, j.Billing = Queued, "", "", -1, NotCharged
	j.Started, j.Finished, j.ResultBlob, j.ResultPath, j.CompositeBlob = time.Time{}, time.Time{}, "", "", ""
	m.mu.Unlock()
	m.changed(j, true)
	m.start(id)
	return nil
}

// Remove deletes a job that is not running from the queue.
func (m *Manager) Remove(id string) error {
	m.mu.Lock()
	i := slices.IndexFunc(m.jobs, func(j *Job) bool { return j.ID == id })
	if i < 0 || m.jobs[i].Status.Active() {
		m.mu.Unlock()
		return errors.New("cancel the job before removing it")
	}
	m.jobs = slices.Delete(m.jobs, i, i+1)
	m.mu.Unlock()
	if err := m.save(); err != nil {
		return err
	}
	_, err := m.prune()
	return err
}

// ClearFinished removes every job that is not under way and deletes the
// images no remaining job uses; it returns how many jobs it removed.
func (m *Manager) ClearFinished() (int, error) {
	return m.removeWhere(func(j *Job) bool { return !j.Status.Active() })
}

// Tidy removes the finished jobs older than Options.KeepFinished and then
// every stored image no job uses (from removals, or left by an older
// version); it returns the bytes freed. NewManager calls it.
func (m *Manager) Tidy() (int64, error) {
	if m.opts.KeepFinished != nil {
		if keep := m.opts.KeepFinished(); keep > 0 {
			cutoff := time.Now().Add(-keep)
			if _, err := m.removeWhere(func(j *Job) bool {
				return !j.Status.Active() && !j.Finished.IsZero() && j.Finished.Before(cutoff)
			}); err != nil {
				return 0, err
			}
		}
	}
	return m.prune()
}

// removeWhere removes the jobs that match (never one being run), saves the
// queue when it changed and prunes the store.
func (m *Manager) removeWhere(match func(*Job) bool) (int, error) {
	m.waitLoaded()
	m.mu.Lock()
	n := len(m.jobs)
	m.jobs = slices.DeleteFunc(m.jobs, func(j *Job) bool { return m.cancels[j.ID] == nil && match(j) })
	removed := n - len(m.jobs)
	m.mu.Unlock()
	if removed > 0 {
		if err := m.save(); err != nil {
			return removed, err
		}
	}
	_, err := m.prune()
	return removed, err
}

// prune deletes the blobs no job uses. It holds saveMu so that its view of
// the jobs is no older than the last save, which is what frees a new blob
// for pruning (see Store.PutBlob).
func (m *Manager) prune() (int64, error) {
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	return m.opts.Store.Prune(m.snapshot())
}

// snapshot copies the jobs, for the store to write or read.
func (m *Manager) snapshot() []*Job {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]*Job, len(m.jobs))
	for i, j := range m.jobs {
		c := *j
		out[i] = &c
	}
	return out
}

// DiskUsage is the bytes the job store uses on disk.
func (m *Manager) DiskUsage() (int64, error) { return m.opts.Store.DiskUsage() }

// Close stops polling and sending without changing the saved states, so
// the next start resumes; it waits for the runs to end.
func (m *Manager) Close() {
	m.waitLoaded()
	m.stop()
	m.wg.Wait()
	_ = m.save()
}

// Input reads a job's input image bytes.
func (m *Manager) Input(j Job, role client.Role) ([]byte, error) {
	in, ok := j.Inputs[role]
	if !ok {
		return nil, fmt.Errorf("the job has no %s", role.Title())
	}
	return m.opts.Store.Blob(in.Blob)
}

// Result reads a finished job's final image: the composite into the
// originals when the job was framed, else what the server sent.
func (m *Manager) Result(j Job) ([]byte, error) {
	if j.Final() == "" {
		return nil, errors.New("the job has no result yet")
	}
	return m.opts.Store.Blob(j.Final())
}

// RawResult reads what the server sent, before any paste-back.
func (m *Manager) RawResult(j Job) ([]byte, error) {
	if j.ResultBlob == "" {
		return nil, errors.New("the job has no result yet")
	}
	return m.opts.Store.Blob(j.ResultBlob)
}

func (m *Manager) start(id string) {
	ctx, cancel := context.WithCancel(m.ctx)
	m.mu.Lock()
	if m.ctx.Err() != nil || m.cancels[id] != nil {
		m.mu.Unlock()
		cancel()
		return
	}
	m.cancels[id] = cancel
	m.mu.Unlock()
	m.wg.Go(func() {
		defer func() {
			m.mu.Lock()
			delete(m.cancels, id)
			m.mu.Unlock()
			cancel()
		}()
		m.run(ctx, id)
	})
}

// update changes a job under the lock and reports it (persisting when
// persist is true).
func (m *Manager) update(id string, persist bool, fn func(j *Job)) {
	m.mu.Lock()
	j := m.find(id)
	if j != nil {
		fn(j)
		sanitize(j)
	}
	m.mu.Unlock()
	if j != nil {
		m.changed(j, persist)
	}
}

// durable changes a job and returns only once the change is on disk: a
// job is "Sending" on disk before its paid request leaves, or it is not
// sent, so a crash can never lead Resume to send it a second time.
func (m *Manager) durable(id string, fn func(j *Job)) error {
	m.mu.Lock()
	j := m.find(id)
	if j == nil {
		m.mu.Unlock()
		return errors.New("the job is no longer in the list")
	}
	fn(j)
	sanitize(j)
	c := *j
	m.mu.Unlock()
	if err := m.save(); err != nil {
		m.saveFailed(err)
		return err
	}
	m.opts.OnChange(c)
	return nil
}

// sanitize keeps a job's figures storable.
func sanitize(j *Job) {
	if math.IsNaN(j.Progress) || math.IsInf(j.Progress, 0) {
		j.Progress = -1
	}
}

func (m *Manager) saveFailed(err error) {
	m.opts.Logger.Error("saving the queue", "error", err)
	m.opts.OnSaveError(err)
}

// charge records that the hosted service took a job.
func (m *Manager) charge(id string, fn func(j *Job)) {
	var charged *Job
	m.update(id, true, func(j *Job) {
		fn(j)
		if !j.Server.Local && j.Billing != Charged {
			j.Billing = Charged
			c := *j
			charged = &c
		}
	})
	if charged != nil {
		m.opts.OnCharged(*charged)
	}
}

func (m *Manager) changed(j *Job, persist bool) {
	m.mu.Lock()
	c := *j
	if !persist {
		// Progress: at most ten notices a second per job.
		if time.Since(m.notify[j.ID]) < 100*time.Millisecond {
			m.mu.Unlock()
			return
		}
		m.notify[j.ID] = time.Now()
	}
	m.mu.Unlock()
	if persist {
		if err := m.save(); err != nil {
			m.saveFailed(err)
		}
	}
	m.opts.OnChange(c)
}

func (m *Manager) save() error {
	m.waitLoaded()
	m.saveMu.Lock()
	defer m.saveMu.Unlock()
	return m.opts.Store.Save(m.snapshot())
}

// run takes a job from where it is to done, failed or cancelled.
func (m *Manager) run(ctx context.Context, id string) {
	job, ok := m.Job(id)
	if !ok {
		return
	}
	fail := func(err error) {
		maybe := errors.Is(err, client.ErrOutcomeUnknown)
		switch {
		case m.ctx.Err() != nil:
			return // the app is closing: keep the state for Resume
		case ctx.Err() != nil:
			m.update(id, true, func(j *Job) {
				j.Status, j.Finished, j.Progress = Cancelled, time.Now(), -1
				switch {
				case j.Ticket != "":
					j.Error = "Stopped waiting. The server may still finish (and bill) this job; Check again looks for its result."
				case maybe && !j.Server.Local:
					j.Billing = MaybeBilled
					j.Error = "Cancelled after the request was sent: the server may still process (and bill) it."
				}
			})
		default:
			m.opts.Logger.Info("job failed", "id", id, "mode", job.Mode, "error", err)
			m.update(id, true, func(j *Job) {
				j.Status, j.Finished, j.Error, j.Progress = Failed, time.Now(), Explain(err), -1
				var jobErr *client.JobError
				switch {
				case errors.As(err, &jobErr):
					j.Ticket = "" // the server's last word on this ticket
				case j.Ticket != "":
					j.Error += " The server may still finish (and bill) it: Check again looks for its result without sending it again."
				case maybe && !j.Server.Local:
					j.Billing = MaybeBilled
				}
			})
		}
	}
	if job.Status == Finishing && job.ResultBlob != "" {
		// The result had arrived before the app stopped: finish from the copy.
		data, err := m.opts.Store.Blob(job.ResultBlob)
		if err == nil {
			err = m.finish(id, &client.Result{Image: data})
		}
		if err != nil {
			fail(err)
		}
		return
	}
	c, err := m.opts.Clients(job.Server)
	if err != nil {
		fail(err)
		return
	}
	c = c.ForOutput(job.OutputSize())
	req, err := m.request(job)
	if err != nil {
		fail(err)
		return
	}
	progress := func(p client.Progress) {
		m.update(id, false, func(j *Job) {
			j.Progress = p.Fraction
			switch p.Stage {
			case client.StageQueued:
				j.Status = Waiting
			case client.StageProcessing:
				if j.Async {
					j.Status = Processing
				}
			}
		})
	}
	var res *client.Result
	ticket := job.Ticket
	if ticket == "" {
		if err := m.durable(id, func(j *Job) { j.Status, j.Started, j.Progress = Sending, time.Now(), 0 }); err != nil {
			m.update(id, false, func(j *Job) {
				j.Status, j.Finished, j.Progress = Failed, time.Now(), -1
				j.Error = "The job list could not be saved to disk, so this job was not sent (nothing was charged). " +
					"Free some disk space, then retry."
			})
			return
		}
		if !job.Async {
			if res, err = c.Generate(ctx, req, progress); err == nil {
				m.charge(id, func(*Job) {})
			}
		} else if ticket, err = c.Submit(ctx, req, progress); err == nil {
			m.charge(id, func(j *Job) { j.Ticket, j.Status, j.Progress = ticket, Waiting, -1 })
		}
		if err != nil {
			fail(err)
			return
		}
	}
	if res == nil {
		res, err = c.Wait(ctx, ticket, progress)
		if errors.Is(err, client.ErrNotFound) && job.Server.Local && ctx.Err() == nil {
			// The local engine restarted and forgot the ticket: send it
			// again, which costs nothing.
			m.update(id, true, func(j *Job) { j.Ticket, j.Status = "", Queued })
			m.run(ctx, id)
			return
		}
		if err != nil {
			fail(err)
			return
		}
	}
	if err := m.finish(id, res); err != nil {
		fail(err)
	}
}

// request rebuilds a job's client request from the stored images.
func (m *Manager) request(j Job) (*client.Request, error) {
	r := &client.Request{Mode: j.Mode, Prompt: j.Prompt, NegativePrompt: j.NegativePrompt, Seed: j.Seed}
	for field, in := range j.Inputs {
		data, err := m.opts.Store.Blob(in.Blob)
		if err != nil {
			return nil, fmt.Errorf("the %s image of this job is gone from the app's storage: %w", field.Title(), err)
		}
		p := r.Image(field)
		if p == nil {
			return nil, fmt.Errorf("this job has an image the app does not know (%q)", field)
		}
		*p = data
	}
	return r, nil
}

// finish stores the result, puts it back into the originals when the job
// was framed, and saves the final image as a PNG with its metadata.
func (m *Manager) finish(id string, res *client.Result) error {
	blob, err := m.opts.Store.PutBlob(res.Image)
	if err != nil {
		return err
	}
	// On disk with its result before the slow part: a crash from here on
	// finishes from the stored copy at the next start, never resends.
	m.update(id, true, func(j *Job) { j.Status, j.ResultBlob, j.Progress = Finishing, blob, 1 })
	job, _ := m.Job(id)
	final, composite := res.Image, ""
	if job.Framing != nil {
		if final, err = m.compose(job, res.Image); err != nil {
			return fmt.Errorf("putting the result back into the original: %w", err)
		}
		if composite, err = m.opts.Store.PutBlob(final); err != nil {
			return err
		}
	}
	now := time.Now()
	path, saveErr := m.saveResult(job, final, now)
	m.update(id, true, func(j *Job) {
		j.Status, j.Finished, j.Progress, j.ResultBlob, j.ResultPath = Done, now, 1, blob, path
		j.CompositeBlob = composite
		if saveErr != nil {
			j.Error = "Finished, but the result could not be saved to the output folder: " + saveErr.Error()
		}
	})
	return nil
}

// MetadataKeys are the PNG text keys of a saved result, in order.
var MetadataKeys = []string{"Software", "Mode", "Prompt", "Negative prompt", "Seed", "Creation Time"}

// Metadata is what a saved result records about its job.
func Metadata(j Job, at time.Time) map[string]string {
	return map[string]string{
		"Software":        "Zen Inpaint Studio",
		"Mode":            string(j.Mode),
		"Prompt":          j.Prompt,
		"Negative prompt": j.NegativePrompt,
		"Seed":            strconv.FormatInt(j.Seed, 10),
		"Creation Time":   at.UTC().Format(time.RFC1123),
	}
}

func (m *Manager) saveResult(j Job, image []byte, at time.Time) (string, error) {
	dir := m.opts.OutputDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	data, err := WithPNGText(image, MetadataKeys, Metadata(j, at))
	if err != nil {
		return "", err
	}
	name := fmt.Sprintf("%s %s seed %d %s.png", at.Format("2006-01-02 150405"), modeSlug(j.Mode), j.Seed, shortID(j.ID))
	path := filepath.Join(dir, name)
	if err := writeAtomicMode(path, data, 0o644); err != nil { // results are for sharing
		return "", err
	}
	return path, nil
}

// modeSlug names a mode in a file name.
func modeSlug(m client.Mode) string {
	switch m {
	case client.ModeInpaint:
		return "inpaint"
	case client.ModeScene:
		return "scene"
	case client.ModeBackground:
		return "new-background"
	}
	return "result"
}

// shortID is the first six characters of an ID, for file names; IDs read
// from a saved queue may be shorter.
func shortID(id string) string {
	if len(id) > 6 {
		return id[:6]
	}
	return id
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// OutputSize is the size of the result the server will send: the size of
// the background, depth map, preview or subject sent.
func (j *Job) OutputSize() image.Point {
	for _, role := range []client.Role{client.RoleBackground, client.RoleDepth, client.RolePreview, client.RoleSubject} {
		if in, ok := j.Inputs[role]; ok {
			return image.Pt(in.Width, in.Height)
		}
	}
	return image.Point{}
}
