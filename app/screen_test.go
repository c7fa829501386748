package app

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestFitToScreen(t *testing.T) {
	cases := []struct{ want, screen, got fyne.Size }{
		{fyne.NewSize(1400, 880), fyne.NewSize(1920, 1080), fyne.NewSize(1400, 880)},
		{fyne.NewSize(1400, 880), fyne.NewSize(1366, 768), fyne.NewSize(1366, 720)},
		{fyne.NewSize(1400, 880), fyne.NewSize(1024, 700), fyne.NewSize(1024, 652)},
		{fyne.NewSize(900, 600), fyne.NewSize(1024, 700), fyne.NewSize(900, 600)}, // a smaller saved size stays
		{fyne.NewSize(1400, 880), fyne.NewSize(0, 0), fyne.NewSize(1400, 880)},    // unknown screen
	}
	for _, c := range cases {
		if got := fitToScreen(c.want, c.screen); got != c.got {
			t.Errorf("fitToScreen(%v, %v) = %v, want %v", c.want, c.screen, got, c.got)
		}
	}
}
