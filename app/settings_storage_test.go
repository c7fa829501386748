package app

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

// How long finished jobs stay round-trips through the preferences and is
// shown by its label; sizes read as people say them.
func TestKeepFinishedAndStorageText(t *testing.T) {
	a := test.NewTempApp(t)
	s := newSettings(a.Preferences(), Config{})
	if got := s.KeepFinished(); got != 30*24*time.Hour {
		t.Errorf("default %v, want 30 days", got)
	}
	for _, c := range keepChoices {
		s.SetKeepFinished(c.days)
		if got := keepLabel(s.KeepFinished()); got != c.label {
			t.Errorf("%d days reads back as %q, want %q", c.days, got, c.label)
		}
	}
	for _, tc := range []struct {
		bytes int64
		want  string
	}{{0, "0 bytes"}, {2048, "2 KB"}, {278 << 20, "278.0 MB"}, {3 << 30, "3.0 GB"}} {
		if got := storageText(tc.bytes, "/data"); got != tc.want+" in /data" {
			t.Errorf("%d bytes: %q", tc.bytes, got)
		}
	}
}
