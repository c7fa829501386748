package jobs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zeninpaint/studio/client"
)

// queueVersion is the version of the queue file this app writes. Version
// 2 names images by the app's roles (client.Role); version 1 named them by
// their fields on the wire, and loads the same.
const queueVersion = 2

// ErrQueueDamaged is wrapped by the error Load returns when part or all of
// the saved queue could not be read; what could be read is still returned.
var ErrQueueDamaged = errors.New("the saved job queue was partly unreadable")

// LoadReport says what Load could not use: the jobs set aside and why, and
// where the original file was kept.
type LoadReport struct {
	Kept    int      // jobs loaded
	Skipped []string // one plain reason per job or part set aside
	Notes   []string // what was changed to load a job (texts cut to their limits)
	Newer   int      // the file's version when a newer app wrote it, else 0
	Copy    string   // the file the original queue was copied or moved to
	CopyErr error    // why no copy could be kept, for the log
	// Unreadable, when set, is why queue.json could not be read at all; it
	// is left where it is, and the queue is saved beside it.
	Unreadable error
	Merged     int // jobs read from the queue saved beside an unreadable one
}

// troubled reports whether there is anything to tell.
func (r *LoadReport) troubled() bool {
	return r.Unreadable != nil || len(r.Skipped) > 0 || len(r.Notes) > 0 || r.Newer > 0 || r.CopyErr != nil
}

// holdReason is why stored pictures must be kept whatever the loaded jobs
// say, or "".
func (r *LoadReport) holdReason() string {
	switch {
	case r.Unreadable != nil:
		return "the saved queue could not be read"
	case r.CopyErr != nil && len(r.Skipped) > 0:
		return "jobs were set aside and no copy of them could be kept"
	}
	return ""
}

// Error is the message for the user: what happened, what was kept, and
// what to do.
func (r *LoadReport) Error() string {
	var b strings.Builder
	switch {
	case r.Unreadable != nil:
		fmt.Fprintf(&b, "The saved job queue (%s) could not be read: %s. It is left as it is and no stored picture is deleted; "+
			"jobs you add now are kept beside it.", queueFile, unreadableReason(r.Unreadable))
		if r.Kept > 0 {
			fmt.Fprintf(&b, " %d jobs saved since were loaded.", r.Kept)
		}
		b.WriteString(" To get its jobs back, make the file readable again (or move it away) and restart the app.")
		return b.String()
	case r.Newer > 0:
		fmt.Fprintf(&b, "The job queue was saved by a newer version of the app (queue version %d); "+
			"%d jobs were loaded", r.Newer, r.Kept)
	default:
		fmt.Fprintf(&b, "Part of the saved job queue could not be read; %d jobs were loaded", r.Kept)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(&b, " and %d set aside (%s)", len(r.Skipped), strings.Join(firstFew(r.Skipped), "; "))
	}
	b.WriteString(".")
	if len(r.Notes) > 0 {
		fmt.Fprintf(&b, " Changed to load them: %s.", strings.Join(firstFew(r.Notes), "; "))
	}
	if r.Copy != "" {
		fmt.Fprintf(&b, " The original file is kept as %s, with its pictures.", filepath.Base(r.Copy))
	} else if r.CopyErr != nil {
		b.WriteString(" No copy of the original file could be kept, so no stored picture is deleted.")
	}
	return b.String()
}

// firstFew is at most five reasons, and how many more there are.
func firstFew(reasons []string) []string {
	if len(reasons) <= 5 {
		return reasons
	}
	return append(slices.Clip(reasons[:5]), fmt.Sprintf("%d more", len(reasons)-5))
}

// unreadableReason is an error reading the queue file in plain words.
func unreadableReason(err error) string {
	switch {
	case errors.Is(err, errIsFolder):
		return "it is a folder, not a file"
	case errors.Is(err, errTooLarge):
		return "it is too large to be a job queue and could not be moved aside"
	case errors.Is(err, fs.ErrPermission):
		return "the app is not allowed to read it"
	}
	return "the disk did not give it back"
}

// Unwrap makes the report match ErrQueueDamaged.
func (r *LoadReport) Unwrap() error { return ErrQueueDamaged }

var (
	statuses = map[Status]bool{Queued: true, Sending: true, Waiting: true, Processing: true, Done: true,
		Failed: true, Cancelled: true, Interrupted: true, Finishing: true}
	framings = map[string]bool{PasteInpaint: true, PasteSubject: true, PasteUpsize: true}
	blobName = regexp.MustCompile(`^[0-9a-f]{64}$`)
	jobID    = regexp.MustCompile(`^[0-9A-Za-z_-]{1,64}$`) // it goes into result file names
)

// Limits of what Load takes from a queue file: a hostile or damaged file
// must not hold the app (a job row shapes its texts) or fill its memory.
const (
	// MaxQueueBytes is the largest queue file Load reads: about 60,000
	// jobs. A larger one is moved aside unread.
	MaxQueueBytes = 64 << 20
	maxJobBytes   = 256 << 10 // one job's JSON
	maxNameBytes  = 255       // an input's file name, as file systems allow
	maxTextBytes  = 10_000    // a prompt
	maxErrorBytes = 2_000     // a job's error message
	maxTokenBytes = 1_024     // a ticket
	maxPathBytes  = 4_096     // a saved result's path
)

// parseQueue reads a queue file leniently: every job that is whole and
// makes sense is returned; the reasons for the others are in skipped, and
// what was changed to load a job (texts cut to their limits, a version
// that was not a number) in notes. A value JSON has no room for (NaN,
// Infinity) or of the wrong type sets aside only the job that holds it;
// a truncated file gives the jobs before the cut. It never panics.
func parseQueue(data []byte) (jobs []*Job, version int, skipped, notes []string) {
	version = 1 // a file without one is from the first release
	sc := &scanner{data: data}
	if sc.skipSpace(); sc.peek() != '{' {
		return nil, 0, []string{"the file is not a job queue"}, nil
	}
	sc.pos++
	var raws [][]byte // each job's JSON, read once the version is known
	// done reads the jobs, adding why (the file's own damage) last.
	done := func(why ...string) ([]*Job, int, []string, []string) {
		jobs, skippedJobs, changed := parseJobs(raws, version)
		skipped = append(append(skippedJobs, skipped...), why...)
		return jobs, version, skipped, append(notes, changed...)
	}
	cut := func() ([]*Job, int, []string, []string) {
		if len(raws) > 0 {
			return done(fmt.Sprintf("the file is cut short after %d whole jobs", len(raws)))
		}
		return done("the file is cut short")
	}
	for {
		sc.skipSpace()
		if sc.peek() == '}' {
			return done()
		}
		var key string
		if raw, ok := sc.value(); !ok || json.Unmarshal(raw, &key) != nil {
			return cut()
		}
		if sc.skipSpace(); sc.peek() != ':' {
			return cut()
		}
		sc.pos++
		switch key {
		case "version":
			raw, ok := sc.value()
			if !ok {
				return cut()
			}
			v, isNumber := parseVersion(raw)
			if !isNumber {
				notes = append(notes, "its version was not a number and was read as 1")
				v = 1
			}
			version = v
		case "jobs":
			if sc.skipSpace(); sc.peek() != '[' {
				raw, ok := sc.value()
				if !ok {
					return cut()
				}
				if string(raw) != "null" {
					skipped = append(skipped, "its job list is unreadable")
				}
				break
			}
			sc.pos++
			for {
				if sc.skipSpace(); sc.peek() == ']' {
					sc.pos++
					break
				}
				raw, ok := sc.value()
				if !ok {
					return cut()
				}
				raws = append(raws, raw)
				if sc.skipSpace(); sc.peek() == ',' {
					sc.pos++
				} else if sc.peek() != ']' {
					return cut()
				}
			}
		default:
			if _, ok := sc.value(); !ok {
				return cut()
			}
		}
		if sc.skipSpace(); sc.peek() == ',' {
			sc.pos++
		} else if sc.peek() != '}' {
			return cut()
		}
	}
}

// parseJobs reads each job of a file of the given version: the usable ones
// in order, and why the others were set aside and what was changed to load
// a job, by their place in the file.
func parseJobs(raws [][]byte, version int) (jobs []*Job, skipped, changed []string) {
	seen := map[string]bool{}
	for i, raw := range raws {
		j, why, change := parseJob(raw, version)
		if why == "" && seen[j.ID] {
			why = "its ID is used twice"
		}
		if why != "" {
			skipped = append(skipped, fmt.Sprintf("job %d: %s", i+1, why))
			continue
		}
		seen[j.ID] = true
		jobs = append(jobs, j)
		if change != "" {
			changed = append(changed, fmt.Sprintf("job %d: %s", i+1, change))
		}
	}
	return jobs, skipped, changed
}

// parseVersion reads a version written as a number, or as a number in a
// string.
func parseVersion(raw []byte) (int, bool) {
	var v int
	if json.Unmarshal(raw, &v) == nil {
		return v, true
	}
	var text string
	if json.Unmarshal(raw, &text) == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(text)); err == nil {
			return n, true
		}
	}
	return 0, false
}

// scanner walks JSON text without judging the values it steps over, so
// that one bad value spoils only the job that holds it.
type scanner struct {
	data []byte
	pos  int
}

func (sc *scanner) skipSpace() {
	for sc.pos < len(sc.data) {
		switch sc.data[sc.pos] {
		case ' ', '\t', '\n', '\r':
			sc.pos++
		default:
			return
		}
	}
}

// peek is the next byte, or 0 at the end.
func (sc *scanner) peek() byte {
	if sc.pos < len(sc.data) {
		return sc.data[sc.pos]
	}
	return 0
}

// value steps over the next value and returns its bytes: an object or an
// array up to its matching bracket, a string, or a bare word (a number,
// true, null, NaN…). ok is false when the text ends first or no value
// starts here.
func (sc *scanner) value() (raw []byte, ok bool) {
	sc.skipSpace()
	start := sc.pos
	depth, inString := 0, false
	for ; sc.pos < len(sc.data); sc.pos++ {
		c := sc.data[sc.pos]
		switch {
		case inString:
			if c == '\\' {
				sc.pos++
			} else if c == '"' {
				inString = false
				if depth == 0 {
					sc.pos++
					return sc.data[start:sc.pos], true
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 {
				return sc.data[start:sc.pos], sc.pos > start
			}
			depth--
			if depth == 0 {
				sc.pos++
				return sc.data[start:sc.pos], true
			}
		case depth == 0 && (c == ',' || c == ':' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return sc.data[start:sc.pos], sc.pos > start
		}
	}
	return nil, false
}

// parseJob decodes one job and checks what the app relies on; why is
// empty when the job is usable, and changed says what was cut to load it.
func parseJob(raw []byte, version int) (j *Job, why, changed string) {
	if len(raw) > maxJobBytes {
		return nil, fmt.Sprintf("it is too large (%d KB)", len(raw)>>10), ""
	}
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, unreadableJob(raw, err), ""
	}
	switch {
	case j == nil:
		return nil, "it is empty", ""
	case j.ID == "":
		return nil, "it has no ID", ""
	case !jobID.MatchString(j.ID):
		return nil, "its ID is not one the app writes", ""
	case !statuses[j.Status]:
		return nil, fmt.Sprintf("unknown state %q", clip(string(j.Status), 40)), ""
	case j.Framing != nil && !framings[j.Framing.Kind]:
		return nil, fmt.Sprintf("unknown framing %q", clip(j.Framing.Kind, 40)), ""
	case math.IsNaN(j.Credits) || math.IsInf(j.Credits, 0) || j.Credits < 0:
		return nil, "its price is not a number", ""
	case len(j.Ticket) > maxTokenBytes:
		return nil, "its ticket is too long to be one the server gave", ""
	case len(j.ResultPath) > maxPathBytes:
		return nil, "its saved result's path is too long", ""
	}
	if version < 2 { // images by their wire names: by role since
		j.Inputs, j.Originals = rolesOfWire(j.Inputs), rolesOfWire(j.Originals)
	}
	for _, set := range []map[client.Role]Input{j.Inputs, j.Originals} {
		for role, in := range set {
			if !role.Valid() {
				return nil, fmt.Sprintf("unknown image %q", clip(string(role), 40)), ""
			}
			if !blobName.MatchString(in.Blob) {
				return nil, fmt.Sprintf("the %s image has a bad storage name", role.Title()), ""
			}
		}
	}
	for _, b := range []string{j.ResultBlob, j.CompositeBlob} {
		if b != "" && !blobName.MatchString(b) {
			return nil, "its result has a bad storage name", ""
		}
	}
	if j.Inputs == nil {
		j.Inputs = map[client.Role]Input{}
	}
	if cutTexts(j) {
		changed = "texts longer than the app writes were shortened"
	}
	return j, "", changed
}

// rolesOfWire renames a version-1 job's images from their wire names to
// their roles; a name that is no wire field stays as it is (and is
// refused as unknown).
func rolesOfWire(set map[client.Role]Input) map[client.Role]Input {
	if set == nil {
		return nil
	}
	out := make(map[client.Role]Input, len(set))
	for name, in := range set {
		if role := client.RoleOfWire(string(name)); role != "" {
			name = role
		}
		out[name] = in
	}
	return out
}

// unreadableJob says in words why a job's JSON did not decode.
func unreadableJob(raw []byte, err error) string {
	var syntax *json.SyntaxError
	var kind *json.UnmarshalTypeError
	switch {
	case errors.As(err, &kind) && kind.Field != "":
		return fmt.Sprintf("its %q holds the wrong kind of value", clip(kind.Field, 40))
	case errors.As(err, &kind):
		return "it is not a job"
	case errors.As(err, &syntax) && syntax.Offset > 0 && syntax.Offset <= int64(len(raw)):
		rest := bytes.TrimLeft(raw[syntax.Offset-1:], "-+")
		if bytes.HasPrefix(rest, []byte("NaN")) || bytes.HasPrefix(rest, []byte("Inf")) {
			return "it holds a value that is not a number (NaN or Infinity)"
		}
	}
	return "it is unreadable"
}

// cutTexts shortens a job's names, prompts and message to the app's
// limits; it reports whether any was cut.
func cutTexts(j *Job) bool {
	changed := false
	cut := func(s *string, limit int) {
		if len(*s) > limit {
			*s, changed = clip(*s, limit), true
		}
	}
	cut(&j.Prompt, maxTextBytes)
	cut(&j.NegativePrompt, maxTextBytes)
	cut(&j.Error, maxErrorBytes)
	cut(&j.Press, maxTokenBytes)
	for _, set := range []map[client.Role]Input{j.Inputs, j.Originals} {
		for role, in := range set {
			if len(in.Name) > maxNameBytes {
				in.Name, changed = clip(in.Name, maxNameBytes), true
				set[role] = in
			}
		}
	}
	return changed
}

// clip cuts s to at most limit bytes on a character boundary, marking the
// cut with an ellipsis.
func clip(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	end := limit - len("…")
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + "…"
}

// maxDamagedCopies is how many set-aside queue files are kept: the oldest
// is dropped when there are more, never the newest.
const maxDamagedCopies = 3

// setAside writes the queue file's bytes to a new copy
// (queue.json.damaged, queue.json.damaged.2, …, numbered after the newest):
// an earlier copy is never overwritten, and only the newest few are kept.
func (s *Store) setAside(data []byte) (string, error) {
	path, err := s.nextCopy()
	if err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
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
		_ = os.Remove(path)
		return "", fmt.Errorf("keeping a copy of the damaged queue: %w", werr)
	}
	s.dropOldCopies()
	return path, nil
}

// moveAside renames a queue file to a new copy's name, without reading it.
func (s *Store) moveAside(path string) (string, error) {
	to, err := s.nextCopy()
	if err != nil {
		return "", err
	}
	if err := os.Rename(path, to); err != nil {
		return "", fmt.Errorf("moving the queue file aside: %w", err)
	}
	s.dropOldCopies()
	return to, nil
}

// copies lists the set-aside queue files by number, oldest first.
func (s *Store) copies() (numbers []int, paths map[int]string) {
	base := filepath.Join(s.dir, queueFile+".damaged")
	found, _ := filepath.Glob(base + "*")
	paths = map[int]string{}
	for _, p := range found {
		n := 1
		if rest := strings.TrimPrefix(p, base); rest != "" {
			v, err := strconv.Atoi(strings.TrimPrefix(rest, "."))
			if err != nil || !strings.HasPrefix(rest, ".") || v < 2 {
				continue // not one of ours
			}
			n = v
		}
		paths[n] = p
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	return numbers, paths
}

// nextCopy is the name for a new copy, numbered after the newest.
func (s *Store) nextCopy() (string, error) {
	numbers, _ := s.copies()
	next := 1
	if len(numbers) > 0 {
		next = numbers[len(numbers)-1] + 1
	}
	path := filepath.Join(s.dir, queueFile+".damaged")
	if next > 1 {
		path += "." + strconv.Itoa(next)
	}
	if _, err := os.Lstat(path); err == nil {
		return "", errors.New("keeping a copy of the damaged queue: its name is taken")
	}
	return path, nil
}

// dropOldCopies removes the oldest copies beyond maxDamagedCopies.
func (s *Store) dropOldCopies() {
	numbers, paths := s.copies()
	for len(numbers) > maxDamagedCopies {
		_ = os.Remove(paths[numbers[0]])
		numbers = numbers[1:]
	}
}
