package jobs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client"
)

// blobFolder lists the blob names in the store.
func blobFolder(t *testing.T, s *Store) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(s.Dir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	slices.Sort(names)
	return names
}

func sorted(names ...string) []string {
	slices.Sort(names)
	return slices.Compact(names)
}

// After Remove, Clear finished and the start-up tidy, the blob folder holds
// exactly the blobs the remaining jobs name.
func TestStoreKeepsOnlyReferencedBlobs(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	put := func(data string) string {
		name, err := s.PutBlob([]byte(data))
		if err != nil {
			t.Fatal(err)
		}
		return name
	}
	shared, orphan := put("shared background"), put("left by an old version")
	a1, a2, b1, c1, c2, d1 := put("a in"), put("a out"), put("b in"), put("c in"), put("c composite"), put("d in")
	old := time.Now().Add(-48 * time.Hour)
	queue := []*Job{
		{ID: "aaaaaa", Status: Done, Finished: time.Now(), Inputs: map[client.Role]Input{"background": {Blob: shared}, "mask": {Blob: a1}}, ResultBlob: a2},
		{ID: "bbbbbb", Status: Failed, Finished: time.Now(), Inputs: map[client.Role]Input{"background": {Blob: shared}, "mask": {Blob: b1}}},
		{ID: "cccccc", Status: Done, Finished: old, Originals: map[client.Role]Input{"subject": {Blob: c1}}, CompositeBlob: c2},
		{ID: "dddddd", Status: Queued, Inputs: map[client.Role]Input{"subject": {Blob: d1}}},
	}
	if err := s.Save(queue); err != nil {
		t.Fatal(err)
	}
	// A new start: a fresh Store (nothing put in this run), finished jobs
	// kept for a day.
	s, _ = OpenStore(s.Dir())
	m, err := NewManager(Options{Store: s, KeepFinished: func() time.Duration { return 24 * time.Hour },
		OutputDir: func() string { return t.TempDir() }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got, want := blobFolder(t, s), sorted(shared, a1, a2, b1, d1); !slices.Equal(got, want) {
		t.Errorf("after start: %d blobs, want %d (the orphan %v and the expired job's should go)", len(got), len(want), slices.Contains(got, orphan))
	}
	if err := m.Remove("aaaaaa"); err != nil {
		t.Fatal(err)
	}
	if got, want := blobFolder(t, s), sorted(shared, b1, d1); !slices.Equal(got, want) {
		t.Errorf("after Remove: %v, want %v", got, want)
	}
	if n, err := m.ClearFinished(); err != nil || n != 1 {
		t.Fatalf("ClearFinished = %d, %v", n, err)
	}
	if got, want := blobFolder(t, s), sorted(d1); !slices.Equal(got, want) {
		t.Errorf("after Clear finished: %v, want %v", got, want)
	}
	if used, err := m.DiskUsage(); err != nil || used <= 0 {
		t.Errorf("DiskUsage = %d, %v", used, err)
	}
}

// A blob put for a job not yet saved survives a prune, and one named by a
// set-aside damaged queue stays for inspection.
func TestPruneSparesFreshAndSetAsideBlobs(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); err != nil { // no queue yet: pruning may start
		t.Fatal(err)
	}
	fresh, _ := s.PutBlob([]byte("being added"))
	if _, err := s.Prune(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(fresh); err != nil {
		t.Fatal("a blob put for a job being added was pruned")
	}
	if err := s.Save([]*Job{{ID: "eeeeee", Status: Done, ResultBlob: fresh}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Save(nil); err != nil { // the job was removed
		t.Fatal(err)
	}
	kept, _ := s.PutBlob([]byte("named by a damaged queue"))
	_ = os.WriteFile(filepath.Join(s.Dir(), queueFile), []byte(`{"jobs":[{"id":"x1","status":"done","result_blob":"`+kept+`"`), 0o600)
	if _, err := s.Load(); err == nil {
		t.Fatal("a cut queue loaded without a report")
	}
	s, _ = OpenStore(s.Dir())
	if _, err := s.Load(); err != nil { // the good jobs were saved in place of the cut file
		t.Fatal(err)
	}
	if _, err := s.Prune(nil); err != nil {
		t.Fatal(err)
	}
	if got := blobFolder(t, s); !slices.Equal(got, []string{kept}) {
		t.Errorf("blobs %v, want only the set-aside job's %s", got, kept)
	}
}
