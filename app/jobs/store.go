// Package jobs is the app's job queue without the user interface: job
// records, their crash-safe persistence, and the runner that sends them
// through the API client, resumes them after a restart and saves results.
package jobs

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/zeninpaint/studio/client"
)

// Status is where a job is.
type Status string

// Job statuses.
const (
	Queued      Status = "queued"      // not sent yet
	Sending     Status = "sending"     // uploading, or a sync call in flight
	Waiting     Status = "waiting"     // async: submitted, queued on the server
	Processing  Status = "processing"  // the server is working on it
	Finishing   Status = "finishing"   // the result has arrived: putting it back into the original, saving it
	Done        Status = "done"        // result saved
	Failed      Status = "failed"      // with Error
	Cancelled   Status = "cancelled"   // by the user
	Interrupted Status = "interrupted" // the app stopped while it was in flight; retry to resend
)

// Active reports whether the job is still under way.
func (s Status) Active() bool {
	return s == Queued || s == Sending || s == Waiting || s == Processing || s == Finishing
}

// Billing says whether a job has cost credits.
type Billing string

// Billing states. A job is charged once the server has taken it: a ticket
// came back (async) or the result did (sync).
const (
	NotCharged  Billing = ""        // the server never took it
	Charged     Billing = "charged" // the server took it
	MaybeBilled Billing = "maybe"   // sent, then the connection broke: it may have been taken
)

// Server says where a job was sent. A local job goes to the engine inside
// the app, whose address changes with every start; its tickets do not
// outlive the app, but resending costs nothing.
type Server struct {
	Local    bool   `json:"local"`
	SyncURL  string `json:"sync_url,omitempty"`
	AsyncURL string `json:"async_url,omitempty"`
}

// Input is one image of a job, kept in the store by content hash.
type Input struct {
	Blob   string `json:"blob"`
	Name   string `json:"name"` // the file name the user gave, for display
	Width  int    `json:"width"`
	Height int    `json:"height"`
}

// Job is one generation request and what became of it.
type Job struct {
	ID             string                `json:"id"`
	Mode           client.Mode           `json:"mode"`
	Prompt         string                `json:"prompt"`
	NegativePrompt string                `json:"negative_prompt,omitempty"`
	Seed           int64                 `json:"seed"`
	Async          bool                  `json:"async"`
	Server         Server                `json:"server"`
	Inputs         map[client.Role]Input `json:"inputs"`  // by role
	Credits        float64               `json:"credits"` // the request's price on the hosted service
	Billing        Billing               `json:"billing,omitempty"`
	Press          string                `json:"press,omitempty"` // the press of Generate it came from

	Status     Status    `json:"status"`
	Progress   float64   `json:"progress"` // 0..1, -1 when unknown
	Ticket     string    `json:"ticket,omitempty"`
	Error      string    `json:"error,omitempty"`
	Created    time.Time `json:"created"`
	Started    time.Time `json:"started,omitzero"`
	Finished   time.Time `json:"finished,omitzero"`
	ResultBlob string    `json:"result_blob,omitempty"` // the image as the server sent it
	ResultPath string    `json:"result_path,omitempty"` // the PNG saved in the output folder

	// Framing, when set, says how the raw result goes back into the
	// full-resolution originals; the composite is what is saved.
	Framing       *Framing              `json:"framing,omitempty"`
	Originals     map[client.Role]Input `json:"originals,omitempty"`
	CompositeBlob string                `json:"composite_blob,omitempty"`
}

// Framing kinds.
const (
	PasteInpaint = "inpaint" // paste into the original background inside the feathered mask
	PasteSubject = "subject" // upsize, then restore the subject's opaque pixels
	PasteUpsize  = "upsize"  // upsize to the original size
)

// Framing is how a job's result is put back into its originals.
type Framing struct {
	Kind    string `json:"kind"`
	Box     [4]int `json:"box"`  // x0, y0, x1, y1 in the original (inpaint)
	Size    [2]int `json:"size"` // the original's size
	Feather int    `json:"feather,omitempty"`
}

// Final is the blob to show and save: the composite when there is one.
func (j *Job) Final() string {
	if j.CompositeBlob != "" {
		return j.CompositeBlob
	}
	return j.ResultBlob
}

// Elapsed is the time the job has run (so far, or in all).
func (j *Job) Elapsed(now time.Time) time.Duration {
	if j.Started.IsZero() {
		return 0
	}
	if !j.Finished.IsZero() {
		return j.Finished.Sub(j.Started)
	}
	return now.Sub(j.Started)
}

// Store keeps the queue in a folder: queue.json, written atomically on every
// change, and blobs/ with the input and result images by content hash.
type Store struct {
	dir string

	mu    sync.Mutex
	fresh map[string]bool // blobs put since the last save that named them
	// holdBlobs, when set, says why Prune deletes nothing: the queue was
	// not loaded, or not all of it could be read or kept, so a stored
	// picture may belong to a job the app cannot see.
	holdBlobs string
	// sideQueue is set when queue.json exists but cannot be read: it is
	// left as it is, and the queue is saved to queue.next.json instead
	// (and read from there too, until queue.json can be read again).
	sideQueue bool
}

// OpenStore uses dir, creating it when needed.
func OpenStore(dir string) (*Store, error) {
	if err := os.MkdirAll(filepath.Join(dir, "blobs"), 0o700); err != nil {
		return nil, fmt.Errorf("opening the job store: %w", err)
	}
	return &Store{dir: dir, fresh: map[string]bool{}, holdBlobs: "the saved queue has not been read yet"}, nil
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

const (
	queueFile = "queue.json"
	// nextFile holds the queue while queue.json cannot be read.
	nextFile = "queue.next.json"
)

type queueDoc struct {
	Version int    `json:"version"`
	Jobs    []*Job `json:"jobs"`
}

// Load reads the saved queue; a missing file is an empty queue. Nothing it
// could not read is ever deleted or overwritten, and damage never stops
// the app: the jobs that can be read are returned, and the error, a
// *LoadReport wrapping ErrQueueDamaged, says in plain words what was set
// aside and what to do.
//   - A damaged file is copied aside (queue.json.damaged.N, the newest few
//     kept) and the jobs read from it are saved in its place.
//   - A file over MaxQueueBytes is moved aside unread.
//   - A file that cannot be read (no permission, a folder, an I/O error)
//     is left where it is; the queue is saved beside it (queue.next.json)
//     and read from there until queue.json can be read again.
//
// Until a Load has read every job there is, Prune deletes nothing.
func (s *Store) Load() ([]*Job, error) {
	report := &LoadReport{}
	s.sideQueue = false
	jobs, err := s.loadFile(queueFile, report)
	if err != nil {
		report.Unreadable = err
		s.sideQueue = true
	}
	// A queue saved beside an unreadable one by an earlier start: its jobs
	// are the newer ones.
	if later, err := s.loadFile(nextFile, report); err != nil {
		report.Skipped = append(report.Skipped, "the queue saved beside it could not be read")
		report.Unreadable = errors.Join(report.Unreadable, err)
	} else if len(later) > 0 {
		jobs = mergeJobs(jobs, later)
		report.Merged = len(later)
	}
	report.Kept = len(jobs)
	s.mu.Lock()
	s.holdBlobs = report.holdReason()
	s.mu.Unlock()
	if report.Unreadable == nil && report.Merged > 0 {
		// Both files read: one queue again, in its usual place.
		if err := s.Save(jobs); err == nil {
			_ = os.Remove(filepath.Join(s.dir, nextFile))
		}
	}
	if !report.troubled() {
		return jobs, nil
	}
	return jobs, report
}

// loadFile reads one queue file into jobs, noting in report what it set
// aside. A missing file is no jobs; err is set only when the file is there
// but cannot be read at all.
func (s *Store) loadFile(name string, report *LoadReport) ([]*Job, error) {
	path := filepath.Join(s.dir, name)
	info, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, errIsFolder
	}
	if info.Size() > MaxQueueBytes {
		moved, err := s.moveAside(path)
		if err != nil {
			return nil, fmt.Errorf("%w (%d MB): %w", errTooLarge, info.Size()>>20, err)
		}
		report.Copy = moved
		report.Skipped = append(report.Skipped, fmt.Sprintf("the file was too large to be a job queue (%d MB)", info.Size()>>20))
		return nil, nil
	}
	data, err := readLimited(path, MaxQueueBytes)
	if err != nil {
		return nil, err
	}
	jobs, version, skipped, notes := parseQueue(data)
	report.Skipped = append(report.Skipped, skipped...)
	report.Notes = append(report.Notes, notes...)
	if version > queueVersion {
		report.Newer = version
	}
	if len(skipped) == 0 && len(notes) == 0 && version <= queueVersion {
		return jobs, nil
	}
	copied, err := s.setAside(data)
	if err != nil {
		report.CopyErr = errors.Join(report.CopyErr, err)
		return jobs, nil
	}
	report.Copy = copied
	if name == queueFile && version <= queueVersion {
		// The original is kept aside: the jobs read from it take its
		// place, so the next start does not copy it again.
		if err := s.Save(jobs); err != nil {
			report.CopyErr = errors.Join(report.CopyErr, err)
		}
	}
	return jobs, nil
}

var (
	errIsFolder = errors.New("it is a folder, not a file")
	errTooLarge = errors.New("it is too large to be a job queue")
)

// readLimited reads at most limit bytes of a file.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// mergeJobs is base with the jobs of later added, or put in place of the
// base's job with the same ID.
func mergeJobs(base, later []*Job) []*Job {
	at := map[string]int{}
	for i, j := range base {
		at[j.ID] = i
	}
	for _, j := range later {
		if i, ok := at[j.ID]; ok {
			base[i] = j
			continue
		}
		at[j.ID] = len(base)
		base = append(base, j)
	}
	return base
}

// Save writes the queue atomically: a temporary file, fsync, rename, and
// an fsync of the folder, so a crash leaves the old or the new queue, never
// a torn one.
func (s *Store) Save(jobs []*Job) error {
	for _, j := range jobs {
		if j != nil && (math.IsNaN(j.Progress) || math.IsInf(j.Progress, 0)) {
			j.Progress = -1 // JSON has no NaN: one bad figure must not stop every later save
		}
	}
	data, err := json.MarshalIndent(queueDoc{Version: queueVersion, Jobs: jobs}, "", " ")
	if err != nil {
		return err
	}
	name := queueFile
	if s.sideQueue {
		name = nextFile // queue.json could not be read: never write over it
	}
	if err := writeAtomic(filepath.Join(s.dir, name), data); err != nil {
		return err
	}
	// Blobs a saved job names are no longer fresh: from now on only the
	// jobs decide whether they stay.
	used := references(jobs)
	s.mu.Lock()
	for name := range s.fresh {
		if used[name] {
			delete(s.fresh, name)
		}
	}
	s.mu.Unlock()
	return nil
}

func writeAtomic(path string, data []byte) error { return writeAtomicMode(path, data, 0o600) }

// writeAtomicMode is writeAtomic with the file's permissions: the app's
// own files are private (0600); results the user shares are 0644.
func writeAtomicMode(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this does nothing
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if perm != 0o600 {
		if err := os.Chmod(tmp.Name(), perm); err != nil {
			return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("saving %s: %w", filepath.Base(path), err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // not supported on every OS; the rename is what matters
		d.Close()
	}
	return nil
}

// PutBlob stores data and returns its content hash; storing the same bytes
// twice keeps one copy. The blob is safe from Prune until a saved queue
// names it (and then for as long as one does).
func (s *Store) PutBlob(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	name := hex.EncodeToString(sum[:])
	path := filepath.Join(s.dir, "blobs", name)
	s.mu.Lock()
	s.fresh[name] = true
	s.mu.Unlock()
	if _, err := os.Stat(path); err == nil {
		return name, nil
	}
	if err := writeAtomic(path, data); err != nil {
		return "", err
	}
	return name, nil
}

// Blob reads stored bytes by hash.
func (s *Store) Blob(name string) ([]byte, error) {
	if len(name) != 64 {
		return nil, fmt.Errorf("bad blob name %q", name)
	}
	data, err := os.ReadFile(filepath.Join(s.dir, "blobs", name))
	if err != nil {
		return nil, fmt.Errorf("reading a stored image: %w", err)
	}
	return data, nil
}

// references is the set of blobs the jobs name.
func references(jobs []*Job) map[string]bool {
	used := map[string]bool{}
	for _, j := range jobs {
		for _, in := range j.Inputs {
			used[in.Blob] = true
		}
		for _, in := range j.Originals {
			used[in.Blob] = true
		}
		used[j.ResultBlob], used[j.CompositeBlob] = true, true
	}
	return used
}

// blobRef finds blob names in a set-aside queue file.
var blobRef = regexp.MustCompile(`[0-9a-f]{64}`)

// Prune deletes the blobs no job refers to, except those put since the
// last save that named them (a job being added or finished) and those a
// set-aside damaged queue names (kept for inspection, with its images).
// It deletes nothing unless the last Load read every job there was
// (HeldBlobs says why). It returns the bytes freed.
func (s *Store) Prune(jobs []*Job) (int64, error) {
	s.mu.Lock()
	held := s.holdBlobs
	s.mu.Unlock()
	if held != "" {
		return 0, nil
	}
	used := references(jobs)
	kept, _ := filepath.Glob(filepath.Join(s.dir, queueFile+".damaged*"))
	for _, path := range kept {
		// A copy is at most MaxQueueBytes, unless it was moved aside for
		// its size; then its pictures are kept, unread.
		info, err := os.Stat(path)
		if err != nil || info.Size() > MaxQueueBytes {
			return 0, nil
		}
		data, err := readLimited(path, MaxQueueBytes+1)
		if err != nil || len(data) > MaxQueueBytes {
			return 0, nil
		}
		for _, name := range blobRef.FindAll(data, -1) {
			used[string(name)] = true
		}
	}
	entries, err := os.ReadDir(filepath.Join(s.dir, "blobs"))
	if err != nil {
		return 0, fmt.Errorf("tidying the app's storage: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var freed int64
	var errs []error
	for _, e := range entries {
		if used[e.Name()] || s.fresh[e.Name()] {
			continue
		}
		info, _ := e.Info()
		if err := os.Remove(filepath.Join(s.dir, "blobs", e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		if info != nil {
			freed += info.Size()
		}
	}
	if len(errs) > 0 {
		return freed, fmt.Errorf("tidying the app's storage: %w", errors.Join(errs...))
	}
	return freed, nil
}

// HeldBlobs says why Prune deletes nothing, or is "" when it may.
func (s *Store) HeldBlobs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holdBlobs
}

// DiskUsage is the bytes the store uses: the queue, any set-aside copies
// and the blobs.
func (s *Store) DiskUsage() (int64, error) {
	var total int64
	err := filepath.WalkDir(s.dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	if err != nil {
		return total, fmt.Errorf("measuring the app's storage: %w", err)
	}
	return total, nil
}
