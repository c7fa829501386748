package jobs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// TestVersion1QueueLoadsWhole: a queue file written by the release before
// roles (version 1, images by their wire names) loads with every job and
// every image, by role, with no report; saved again it is version 2 and
// names no wire field.
func TestVersion1QueueLoadsWhole(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "queue-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := OpenStore(t.TempDir())
	if err := os.WriteFile(filepath.Join(s.Dir(), queueFile), v1, 0o600); err != nil {
		t.Fatal(err)
	}
	jobs, err := s.Load()
	if err != nil {
		t.Fatalf("a version-1 queue reported %v", err)
	}
	want := map[string][]client.Role{
		"inpaint1": {client.RoleBackground, client.RoleMask, client.RoleSubject},
		"scene1":   {client.RoleDepth},
		"scene2":   {client.RolePreview},
		"bg1":      {client.RoleSubject},
	}
	if len(jobs) != len(want) {
		t.Fatalf("%d jobs loaded, want %d", len(jobs), len(want))
	}
	for _, j := range jobs {
		for _, role := range want[j.ID] {
			if in, ok := j.Inputs[role]; !ok || in.Blob == "" || in.Width == 0 {
				t.Errorf("job %s: no %s image after loading", j.ID, role)
			}
		}
		if len(j.Inputs) != len(want[j.ID]) {
			t.Errorf("job %s: images %v", j.ID, j.Inputs)
		}
	}
	if jobs[0].Originals[client.RoleBackground].Blob == "" || jobs[1].Ticket != "t-1" || jobs[1].Billing != Charged {
		t.Errorf("the inpaint job's originals or the scene job's ticket were lost: %+v %+v", jobs[0], jobs[1])
	}
	if err := s.Save(jobs); err != nil {
		t.Fatal(err)
	}
	saved, _ := os.ReadFile(filepath.Join(s.Dir(), queueFile))
	if !strings.Contains(string(saved), `"version": 2`) || strings.Contains(string(saved), client.RoleDepth.Wire()) {
		t.Errorf("saved again it is not version 2 by role:\n%s", saved)
	}
	again, err := s.Load()
	if err != nil || len(again) != len(jobs) || again[1].Inputs[client.RoleDepth].Blob != jobs[1].Inputs[client.RoleDepth].Blob {
		t.Errorf("reloaded %d jobs (%v)", len(again), err)
	}
}
