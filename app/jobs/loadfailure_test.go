package jobs

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// storeWithBlobs is a store holding a 4-job queue whose jobs name six
// stored pictures, and the queue file's bytes.
func storeWithBlobs(t *testing.T) (*Store, []byte, []string) {
	t.Helper()
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var blobs []string
	var jobs []*Job
	for i := range 4 {
		in, _ := s.PutBlob(fmt.Appendf(nil, "input %d", i))
		blobs = append(blobs, in)
		j := &Job{ID: fmt.Sprintf("job%d", i), Mode: "inpaint", Status: Done, Inputs: map[client.Role]Input{"background": {Blob: in, Name: "room.jpg"}}}
		if i < 2 {
			out, _ := s.PutBlob(fmt.Appendf(nil, "result %d", i))
			blobs = append(blobs, out)
			j.ResultBlob = out
		}
		jobs = append(jobs, j)
	}
	if err := s.Save(jobs); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(s.Dir(), queueFile))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(blobs)
	return s, data, blobs
}

// startAndQuit runs a manager over the store's folder as the app does: it
// loads (and tidies), then closes, which saves.
func startAndQuit(t *testing.T, dir string) ([]Job, error) {
	t.Helper()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewManager(Options{Store: s, OutputDir: t.TempDir})
	jobs := m.Jobs()
	m.Close()
	return jobs, err
}

// TestUnreadableQueueKeepsEverything: a queue file that cannot be read is
// left as it is, and no stored picture is deleted, at start or on quit.
func TestUnreadableQueueKeepsEverything(t *testing.T) {
	cases := []struct {
		name  string
		spoil func(t *testing.T, path string) // makes queue.json unreadable
		words string
	}{
		{"a folder of that name", func(t *testing.T, path string) {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "it is a folder"},
		{"a link that loops", func(t *testing.T, path string) {
			_ = os.Remove(path)
			if err := os.Symlink(filepath.Base(path), path); err != nil {
				t.Fatal(err)
			}
		}, "the disk did not give it back"},
	}
	if os.Geteuid() != 0 { // root reads any file
		cases = append(cases, struct {
			name  string
			spoil func(t *testing.T, path string)
			words string
		}{"no permission", func(t *testing.T, path string) {
			if err := os.Chmod(path, 0); err != nil {
				t.Fatal(err)
			}
		}, "not allowed to read it"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _, blobs := storeWithBlobs(t)
			path := filepath.Join(s.Dir(), queueFile)
			tc.spoil(t, path)
			before, _ := os.Lstat(path)
			_, err := startAndQuit(t, s.Dir())
			var report *LoadReport
			if !errors.As(err, &report) || report.Unreadable == nil {
				t.Fatalf("error %v, want a report of an unreadable queue", err)
			}
			msg := err.Error()
			for _, want := range []string{tc.words, "no stored picture is deleted", "restart"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q does not say %q", msg, want)
				}
			}
			if strings.Contains(msg, s.Dir()) || strings.Contains(msg, "open ") {
				t.Errorf("message %q shows Go's error text", msg)
			}
			if got := blobFolder(t, s); !slices.Equal(got, blobs) {
				t.Errorf("blobs %v after start and quit, want all %d kept", got, len(blobs))
			}
			after, err := os.Lstat(path)
			if err != nil || after.Mode() != before.Mode() || after.ModTime() != before.ModTime() {
				t.Errorf("the unreadable queue was touched: %v", err)
			}
		})
	}
}

// TestJobsAddedBesideAnUnreadableQueueComeBack: while queue.json cannot be
// read, new jobs are saved beside it; once it can be read again, both sets
// of jobs load, as one queue.
func TestJobsAddedBesideAnUnreadableQueueComeBack(t *testing.T) {
	s, data, blobs := storeWithBlobs(t)
	path := filepath.Join(s.Dir(), queueFile)
	aside := path + ".held"
	if err := os.Rename(path, aside); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path, 0o700); err != nil { // unreadable
		t.Fatal(err)
	}
	s2, _ := OpenStore(s.Dir())
	if _, err := s2.Load(); err == nil {
		t.Fatal("no report")
	}
	extra, _ := s2.PutBlob([]byte("added while unreadable"))
	if err := s2.Save([]*Job{{ID: "new1", Mode: "inpaint", Status: Done, ResultBlob: extra}}); err != nil {
		t.Fatal(err)
	}
	if n, _ := s2.Prune(nil); n != 0 || len(blobFolder(t, s2)) != len(blobs)+1 {
		t.Fatalf("pruned %d bytes while the queue was unreadable", n)
	}
	// The designer fixes the file and starts again.
	_ = os.Remove(path)
	if err := os.Rename(aside, path); err != nil {
		t.Fatal(err)
	}
	jobs, err := startAndQuit(t, s.Dir())
	if err != nil {
		t.Fatalf("after the fix: %v", err)
	}
	var ids []string
	for _, j := range jobs {
		ids = append(ids, j.ID)
	}
	if strings.Join(ids, ",") != "job0,job1,job2,job3,new1" {
		t.Errorf("jobs %v after the fix", ids)
	}
	if _, err := os.Stat(filepath.Join(s.Dir(), nextFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the queue saved beside is still there: %v", err)
	}
	if saved, _ := os.ReadFile(path); bytes.Equal(saved, data) || !bytes.Contains(saved, []byte("new1")) {
		t.Error("queue.json does not hold both sets of jobs")
	}
}

// TestHostileQueueFiles: huge files, long texts and bad values load what
// can be loaded, keep the original and every picture, and count right.
func TestHostileQueueFiles(t *testing.T) {
	job := func(id, extra string) string {
		return `{"id":"` + id + `","mode":"inpaint","status":"done","inputs":{"background":{"blob":"` + goodBlob + `","name":"a.jpg"}}` + extra + `}`
	}
	queue := func(version string, jobs ...string) string {
		return `{"version":` + version + `,"jobs":[` + strings.Join(jobs, ",") + `]}`
	}
	long := strings.Repeat("é", 50_000) // 100 KB
	cases := []struct {
		name  string
		file  string
		want  []string // IDs loaded
		words []string // in the message
	}{
		{"NaN in job 2 of 4", queue("1", job("a1", ""), job("a2", `,"progress":NaN`), job("a3", ""), job("a4", "")),
			[]string{"a1", "a3", "a4"}, []string{"3 jobs were loaded and 1 set aside", "job 2: it holds a value that is not a number"}},
		{"-Infinity in job 1", queue("1", job("b1", `,"progress":-Infinity`), job("b2", ""), job("b3", ""), job("b4", "")),
			[]string{"b2", "b3", "b4"}, []string{"3 jobs were loaded and 1 set aside", "job 1:"}},
		{"a string version", queue(`"1"`, job("c1", ""), job("c2", ""), job("c3", ""), job("c4", ""), job("c5", ""), job("c6", "")),
			[]string{"c1", "c2", "c3", "c4", "c5", "c6"}, nil},
		{"a version that is no number", queue(`"one"`, job("d1", ""), job("d2", "")),
			[]string{"d1", "d2"}, []string{"2 jobs were loaded", "version was not a number"}},
		{"a wrong type", queue("1", job("e1", `,"seed":"many"`), job("e2", "")),
			[]string{"e2"}, []string{"job 1: its \"seed\" holds the wrong kind of value"}},
		{"a 100 KB input name", strings.Replace(queue("1", job("f1", ""), job("f2", "")), `"a.jpg"`, `"`+long+`"`, 1),
			[]string{"f1", "f2"}, []string{"2 jobs were loaded", "shortened"}},
		{"a 100 KB prompt", queue("1", job("g1", `,"prompt":"`+long+`"`)),
			[]string{"g1"}, []string{"shortened"}},
		{"a 1 MB job", queue("1", job("h1", `,"prompt":"`+strings.Repeat(long, 10)+`"`), job("h2", "")),
			[]string{"h2"}, []string{"job 1: it is too large"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := OpenStore(t.TempDir())
			blob, _ := s.PutBlob([]byte("kept"))
			path := filepath.Join(s.Dir(), queueFile)
			file := strings.ReplaceAll(tc.file, goodBlob, blob)
			if err := os.WriteFile(path, []byte(file), 0o600); err != nil {
				t.Fatal(err)
			}
			jobs, err := startAndQuit(t, s.Dir())
			var ids []string
			for _, j := range jobs {
				ids = append(ids, j.ID)
				if name := j.Inputs["background"].Name; len(name) > maxNameBytes {
					t.Errorf("a %d-byte name was loaded", len(name))
				}
				if len(j.Prompt) > maxTextBytes {
					t.Errorf("a %d-byte prompt was loaded", len(j.Prompt))
				}
			}
			if strings.Join(ids, ",") != strings.Join(tc.want, ",") {
				t.Errorf("loaded %v, want %v", ids, tc.want)
			}
			if tc.words == nil {
				if err != nil {
					t.Errorf("a sound queue reported %v", err)
				}
			} else {
				var report *LoadReport
				if !errors.As(err, &report) {
					t.Fatalf("error %v, want a report", err)
				}
				for _, w := range tc.words {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("message %q does not say %q", err, w)
					}
				}
				if kept, _ := os.ReadFile(report.Copy); string(kept) != file {
					t.Error("the original was not kept byte for byte")
				}
				if len(err.Error()) > 2000 {
					t.Errorf("the message is %d bytes long", len(err.Error()))
				}
			}
			if got := blobFolder(t, s); !slices.Equal(got, []string{blob}) {
				t.Errorf("blobs %v, want the one every job names", got)
			}
		})
	}
}

// TestHugeQueueFileIsMovedAsideUnread: a 200 MB file is not read; it is
// moved aside whole, once, and repeated damaged starts keep only the
// newest few copies.
func TestHugeQueueFileIsMovedAsideUnread(t *testing.T) {
	s, _, blobs := storeWithBlobs(t)
	path := filepath.Join(s.Dir(), queueFile)
	if err := os.Truncate(path, 200<<20); err != nil { // sparse: no 200 MB written
		t.Fatal(err)
	}
	jobs, err := startAndQuit(t, s.Dir())
	var report *LoadReport
	if !errors.As(err, &report) || len(jobs) != 0 || !strings.Contains(err.Error(), "too large to be a job queue (200 MB)") {
		t.Fatalf("jobs %d, error %v", len(jobs), err)
	}
	if info, err := os.Stat(report.Copy); err != nil || info.Size() != 200<<20 {
		t.Fatalf("the huge file was not kept whole: %v", err)
	}
	// Its pictures are kept, unread; the next start is clean.
	if got := blobFolder(t, s); !slices.Equal(got, blobs) {
		t.Errorf("blobs %v, want all %d kept", got, len(blobs))
	}
	if _, err := startAndQuit(t, s.Dir()); err != nil {
		t.Errorf("the start after: %v", err)
	}
	// Five more damaged starts: the newest three copies stay.
	var made []string
	for i := range 5 {
		_ = os.WriteFile(path, fmt.Appendf(nil, `{"jobs":[{"id":"x%d"`, i), 0o600)
		_, err := startAndQuit(t, s.Dir())
		if !errors.As(err, &report) {
			t.Fatalf("start %d: %v", i, err)
		}
		made = append(made, report.Copy)
	}
	left, _ := filepath.Glob(path + ".damaged*")
	slices.Sort(left)
	want := slices.Clone(made[2:])
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("copies left %v, want the newest three %v", left, want)
	}
	if newest, _ := os.ReadFile(made[4]); string(newest) != `{"jobs":[{"id":"x4"` {
		t.Errorf("the newest copy holds %q", newest)
	}
}
