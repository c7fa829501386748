package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// queueVersion is the version of the queue file this app writes.
const queueVersion = 1

// ErrQueueDamaged is wrapped by the error Load returns when part or all of
// the saved queue could not be read; what could be read is still returned.
var ErrQueueDamaged = errors.New("the saved job queue was partly unreadable")

// LoadReport says what Load could not use: the jobs set aside and why, and
// where the original file was kept.
type LoadReport struct {
	Kept    int      // jobs loaded
	Skipped []string // one plain reason per job or part set aside
	Newer   int      // the file's version when a newer app wrote it, else 0
	Copy    string   // the file the original queue was copied to
	CopyErr error    // why no copy could be kept, for the log
}

// Error is the message for the user.
func (r *LoadReport) Error() string {
	var b strings.Builder
	switch {
	case r.Newer > 0:
		fmt.Fprintf(&b, "The job queue was saved by a newer version of the app (queue version %d); "+
			"%d jobs were loaded", r.Newer, r.Kept)
	default:
		fmt.Fprintf(&b, "Part of the saved job queue could not be read; %d jobs were loaded", r.Kept)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, " and %d set aside (%s)", len(r.Skipped), strings.Join(r.Skipped, "; "))
	}
	b.WriteString(".")
	if r.Copy != "" {
		fmt.Fprintf(&b, " The original file is kept as %s.", filepath.Base(r.Copy))
	}
	return b.String()
}

// Unwrap makes the report match ErrQueueDamaged.
func (r *LoadReport) Unwrap() error { return ErrQueueDamaged }

var (
	imageFields = map[string]bool{"subject": true, "mask": true, "background": true, "depth_map": true, "preview": true}
	statuses    = map[Status]bool{Queued: true, Sending: true, Waiting: true, Processing: true, Done: true,
		Failed: true, Cancelled: true, Interrupted: true, Finishing: true}
	framings = map[string]bool{PasteInpaint: true, PasteSubject: true, PasteUpsize: true}
	blobName = regexp.MustCompile(`^[0-9a-f]{64}$`)
	jobID    = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`) // it goes into result file names
)

// parseQueue reads a queue file leniently: every job that is whole and
// makes sense is returned; the reasons for the others are in skipped. A
// truncated file gives the jobs before the cut. It never panics.
func parseQueue(data []byte) (jobs []*Job, version int, skipped []string) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, 0, []string{"the file is not a job queue"}
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return jobs, version, append(skipped, "the file is cut short")
		}
		key, _ := tok.(string)
		switch key {
		case "version":
			if err := dec.Decode(&version); err != nil {
				return jobs, version, append(skipped, "its version is unreadable")
			}
		case "jobs":
			if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
				if tok == nil && err == nil {
					continue // "jobs": null
				}
				return jobs, version, append(skipped, "its job list is unreadable")
			}
			for n := 1; dec.More(); n++ {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return jobs, version, append(skipped, fmt.Sprintf("the file is cut short after %d whole jobs", n-1))
				}
				j, why := parseJob(raw)
				if why == "" && seen[j.ID] {
					why = "its ID is used twice"
				}
				if why != "" {
					skipped = append(skipped, fmt.Sprintf("job %d: %s", n, why))
					continue
				}
				seen[j.ID] = true
				jobs = append(jobs, j)
			}
			if _, err := dec.Token(); err != nil {
				return jobs, version, append(skipped, "the file is cut short")
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return jobs, version, append(skipped, "the file is cut short")
			}
		}
	}
	return jobs, version, skipped
}

// parseJob decodes one job and checks what the app relies on; the reason
// is empty when the job is usable.
func parseJob(raw json.RawMessage) (*Job, string) {
	var j *Job
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, "it is unreadable"
	}
	switch {
	case j == nil:
		return nil, "it is empty"
	case j.ID == "":
		return nil, "it has no ID"
	case !jobID.MatchString(j.ID):
		return nil, "its ID is not one the app writes"
	case !statuses[j.Status]:
		return nil, fmt.Sprintf("unknown state %q", j.Status)
	case j.Framing != nil && !framings[j.Framing.Kind]:
		return nil, fmt.Sprintf("unknown framing %q", j.Framing.Kind)
	}
	for _, set := range []map[string]Input{j.Inputs, j.Originals} {
		for field, in := range set {
			if !imageFields[field] {
				return nil, fmt.Sprintf("unknown image %q", field)
			}
			if !blobName.MatchString(in.Blob) {
				return nil, fmt.Sprintf("the %s image has a bad storage name", field)
			}
		}
	}
	for _, b := range []string{j.ResultBlob, j.CompositeBlob} {
		if b != "" && !blobName.MatchString(b) {
			return nil, "its result has a bad storage name"
		}
	}
	if j.Inputs == nil {
		j.Inputs = map[string]Input{}
	}
	return j, ""
}

// setAside copies the queue file's bytes to the first free name of
// queue.json.damaged, queue.json.damaged.2, ...: an earlier copy is never
// overwritten.
func (s *Store) setAside(data []byte) (string, error) {
	base := filepath.Join(s.dir, queueFile+".damaged")
	for i := 1; i < 1000; i++ {
		path := base
		if i > 1 {
			path = base + "." + strconv.Itoa(i)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("keeping a copy of the damaged queue: %w", err)
		}
		_, werr := f.Write(data)
		serr := f.Sync()
		if cerr := f.Close(); werr == nil && serr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = serr
		}
		if werr != nil {
			return "", fmt.Errorf("keeping a copy of the damaged queue: %w", werr)
		}
		return path, nil
	}
	return "", errors.New("keeping a copy of the damaged queue: too many copies already")
}
