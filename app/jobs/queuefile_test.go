package jobs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client"
)

const goodBlob = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// damagedQueues are queue files with one kind of damage each, and the IDs
// that must still load.
var damagedQueues = []struct {
	name    string
	file    string
	want    []string // IDs loaded
	damaged bool     // a report and a copy are expected
}{
	{"whole", `{"version":1,"jobs":[{"id":"aa1111","mode":"inpaint","status":"done"}]}`, []string{"aa1111"}, false},
	{"short ID", `{"version":1,"jobs":[{"id":"a","mode":"inpaint","status":"done"}]}`, []string{"a"}, false},
	{"null job", `{"version":1,"jobs":[null,{"id":"b2","mode":"inpaint","status":"failed"}]}`, []string{"b2"}, true},
	{"null jobs", `{"version":1,"jobs":null}`, nil, false},
	{"unknown image field", `{"version":1,"jobs":[{"id":"c3","mode":"inpaint","status":"queued","inputs":{"sky":{"blob":"` + goodBlob + `"}}},{"id":"d4","mode":"inpaint","status":"done"}]}`, []string{"d4"}, true},
	{"unknown JSON field", `{"version":1,"colour":"red","jobs":[{"id":"e5","mode":"inpaint","status":"done","mood":1}]}`, []string{"e5"}, false},
	{"newer version", `{"version":7,"jobs":[{"id":"f6","mode":"inpaint","status":"done"}]}`, []string{"f6"}, true},
	{"truncated", `{"version":1,"jobs":[{"id":"g7","mode":"inpaint","status":"done"},{"id":"h8","mo`, []string{"g7"}, true},
	{"truncated early", `{"jobs":[{"id":`, nil, true},
	{"not JSON", `hello`, nil, true},
	{"a list", `[1,2]`, nil, true},
	{"bad blob name", `{"jobs":[{"id":"i9","mode":"inpaint","status":"done","result_blob":"../../etc/passwd"}]}`, nil, true},
	{"path in ID", `{"jobs":[{"id":"../x","mode":"inpaint","status":"done"}]}`, nil, true},
	{"empty ID", `{"jobs":[{"id":"","mode":"inpaint","status":"done"}]}`, nil, true},
	{"duplicate ID", `{"jobs":[{"id":"j1","mode":"inpaint","status":"done"},{"id":"j1","mode":"inpaint","status":"done"}]}`, []string{"j1"}, true},
	{"unknown state", `{"jobs":[{"id":"k1","mode":"inpaint","status":"exploded"}]}`, nil, true},
	{"unknown mode", `{"jobs":[{"id":"k2","mode":"paint","status":"done"}]}`, []string{"k2"}, false}, // fails when run, in words
	{"unknown framing", `{"jobs":[{"id":"k3","mode":"inpaint","status":"done","framing":{"kind":"zoom"}}]}`, nil, true},
	{"wrong type", `{"jobs":[{"id":5,"mode":"inpaint","status":"done"},{"id":"k4","mode":"inpaint","status":"done"}]}`, []string{"k4"}, true},
}

func TestLoadDamagedQueues(t *testing.T) {
	for _, tc := range damagedQueues {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := OpenStore(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, queueFile), []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			jobs, err := s.Load()
			var got []string
			for _, j := range jobs {
				got = append(got, j.ID)
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") {
				t.Errorf("loaded %v, want %v", got, tc.want)
			}
			if !tc.damaged {
				if err != nil {
					t.Errorf("a sound queue reported %v", err)
				}
				return
			}
			var report *LoadReport
			if !errors.As(err, &report) || !errors.Is(err, ErrQueueDamaged) {
				t.Fatalf("error %v, want a load report", err)
			}
			kept, rerr := os.ReadFile(report.Copy)
			if rerr != nil || string(kept) != tc.file {
				t.Errorf("the original was not kept as it was: %v", rerr)
			}
			if msg := err.Error(); strings.Contains(msg, "invalid character") || strings.Contains(msg, "unexpected") {
				t.Errorf("the message shows parser text: %q", msg)
			}
		})
	}
}

// A second damaged queue is kept beside the first copy, never over it.
func TestDamagedCopiesAreNeverOverwritten(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	var copies []string
	for _, file := range []string{`{"jobs":[`, `{"jobs":[{"id":`, `nonsense`} {
		_ = os.WriteFile(filepath.Join(dir, queueFile), []byte(file), 0o600)
		_, err := s.Load()
		var report *LoadReport
		if !errors.As(err, &report) {
			t.Fatalf("%q: %v", file, err)
		}
		kept, _ := os.ReadFile(report.Copy)
		if string(kept) != file {
			t.Errorf("copy %s holds %q, want %q", report.Copy, kept, file)
		}
		copies = append(copies, report.Copy)
	}
	first, _ := os.ReadFile(copies[0])
	if string(first) != `{"jobs":[` || copies[0] == copies[1] || copies[1] == copies[2] {
		t.Errorf("copies %v: the first holds %q", copies, first)
	}
}

// A manager over a damaged queue starts, resumes what it loaded and never
// panics, whatever the file holds.
func TestManagerSurvivesDamagedQueues(t *testing.T) {
	for _, tc := range damagedQueues {
		dir := t.TempDir()
		s, _ := OpenStore(dir)
		_ = os.WriteFile(filepath.Join(dir, queueFile), []byte(tc.file), 0o600)
		m, _ := NewManager(Options{Store: s, Clients: nil, OutputDir: func() string { return t.TempDir() }})
		m.Close()
	}
}

// FuzzQueueFile: loading any queue file never panics, no stored picture
// the file may name is deleted by the start's tidy-up (every name in a
// file that did not load whole, the jobs' names in one that did), and what
// loads can be saved and loaded again unchanged in number.
func FuzzQueueFile(f *testing.F) {
	for _, tc := range damagedQueues {
		f.Add([]byte(tc.file))
	}
	f.Add([]byte(`{"version":"1","jobs":[{"id":"n1","status":"done","progress":NaN,"result_blob":"` + goodBlob + `"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		s, err := OpenStore(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, queueFile), data, 0o600); err != nil {
			t.Fatal(err)
		}
		named := blobRef.FindAll(data, 20)
		for _, name := range named {
			if err := os.WriteFile(filepath.Join(dir, "blobs", string(name)), name, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		m, loadErr := NewManager(Options{Store: s, OutputDir: t.TempDir})
		jobs := m.snapshot()
		m.Close()
		mustKeep := named
		if loadErr == nil {
			mustKeep = nil
			for name := range references(jobs) {
				if name != "" {
					mustKeep = append(mustKeep, []byte(name))
				}
			}
		}
		for _, name := range mustKeep {
			if _, err := os.Stat(filepath.Join(dir, "blobs", string(name))); err != nil {
				t.Fatalf("blob %s named by the file was removed (load: %v)", name, loadErr)
			}
		}
		for _, j := range jobs {
			_ = shortID(j.ID)
			_ = (Spec{Inputs: map[client.Role]InputData{}}).Request()
			for role := range j.Inputs {
				if (&client.Request{}).Image(role) == nil {
					t.Fatalf("image %q accepted but unknown", role)
				}
			}
		}
		if err := s.Save(jobs); err != nil {
			t.Fatal(err)
		}
		again, err := s.Load()
		if err != nil || len(again) != len(jobs) {
			t.Fatalf("reloaded %d jobs (%v), saved %d", len(again), err, len(jobs))
		}
	})
}
