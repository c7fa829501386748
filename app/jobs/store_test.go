package jobs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

func TestStoreRoundTripAndDamage(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if jobs, err := s.Load(); err != nil || len(jobs) != 0 {
		t.Fatalf("empty store: %v, %v", jobs, err)
	}
	blob, err := s.PutBlob([]byte("image bytes"))
	if again, _ := s.PutBlob([]byte("image bytes")); err != nil || again != blob {
		t.Fatalf("PutBlob: %q %q %v", blob, again, err)
	}
	in := []*Job{{ID: "a", Status: Waiting, Ticket: "t", Inputs: map[client.Role]Input{"subject": {Blob: blob}}}, {ID: "b", Status: Done}}
	if err := s.Save(in); err != nil {
		t.Fatal(err)
	}
	out, err := s.Load()
	if err != nil || len(out) != 2 || out[0].Ticket != "t" || out[1].Status != Done {
		t.Fatalf("Load = %+v, %v", out, err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if _, err := s.Prune(out[1:]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(blob); err == nil {
		t.Error("Prune kept an unused blob")
	}
	_ = os.WriteFile(filepath.Join(dir, queueFile), []byte(`{"jobs":[{"id":`), 0o600)
	if _, err := s.Load(); err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Errorf("damaged queue: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, queueFile+".damaged")); err != nil {
		t.Errorf("the damaged file was not kept: %v", err)
	}
}

func TestPNGTextRoundTrip(t *testing.T) {
	values := map[string]string{"Prompt": "café au lait", "Negative prompt": "ぼかし", "Seed": "42"}
	keys := []string{"Prompt", "Negative prompt", "Seed", "Empty"}
	for name, src := range map[string][]byte{
		"png":  clienttest.PNG(clienttest.Photo(20, 10)),
		"jpeg": clienttest.JPEG(clienttest.Photo(20, 10)),
	} {
		out, err := WithPNGText(src, keys, values)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, info, err := imagefile.Decode(out, 0)
		if err != nil || info.Format != "png" || img.Bounds().Dx() != 20 {
			t.Fatalf("%s: the result does not decode as PNG: %v", name, err)
		}
		got := PNGText(out)
		for k, v := range values {
			if got[k] != v {
				t.Errorf("%s: %s = %q, want %q", name, k, got[k], v)
			}
		}
		if _, ok := got["Empty"]; ok {
			t.Errorf("%s: an empty value was written", name)
		}
	}
}
