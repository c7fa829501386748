package app

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	zcanvas "github.com/zeninpaint/studio/canvas"
)

func TestOutputDirForEachOS(t *testing.T) {
	cases := []struct {
		goos, home, userDirs, want string
	}{
		{"linux", "/home/ana", "", "/home/ana/Pictures/Zen Inpaint"},
		{"linux", "/home/ana", "# written by xdg-user-dirs-update\nXDG_DESKTOP_DIR=\"$HOME/Schreibtisch\"\nXDG_PICTURES_DIR=\"$HOME/Bilder\"\n", "/home/ana/Bilder/Zen Inpaint"},
		{"linux", "/home/ana", "XDG_PICTURES_DIR=\"/media/photos/Ana\"", "/media/photos/Ana/Zen Inpaint"},
		{"linux", "/home/ana", "XDG_PICTURES_DIR=\"$HOME/\"", "/home/ana/Pictures/Zen Inpaint"}, // "disabled" means home: keep Pictures
		{"darwin", "/Users/ana", "XDG_PICTURES_DIR=\"$HOME/Bilder\"", "/Users/ana/Pictures/Zen Inpaint"},
		{"windows", "C:/Users/Ana María", "", "C:/Users/Ana María/Pictures/Zen Inpaint"},
	}
	for _, tc := range cases {
		if got := outputDirFor(tc.goos, tc.home, tc.userDirs); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.goos, tc.userDirs, got, tc.want)
		}
	}
}

// Every shortcut uses the platform's modifier: Ctrl, or Cmd on macOS.
func TestShortcutsUseThePlatformModifier(t *testing.T) {
	ts := newTestStudio(t, "")
	var all []fyne.Shortcut
	all = append(all, zcanvas.NewEditor().Shortcuts()...)
	for _, menu := range ts.mainMenu().Items {
		for _, item := range menu.Items {
			if item.Shortcut != nil {
				all = append(all, item.Shortcut)
			}
		}
	}
	if len(all) < 8 {
		t.Fatalf("only %d shortcuts found", len(all))
	}
	for _, s := range all {
		ks, ok := s.(fyne.KeyboardShortcut)
		if !ok {
			t.Errorf("%s is not a keyboard shortcut", s.ShortcutName())
			continue
		}
		if ks.Mod()&fyne.KeyModifierShortcutDefault == 0 {
			t.Errorf("%s uses modifier %v, not the platform's", s.ShortcutName(), ks.Mod())
		}
		if cs, ok := s.(*desktop.CustomShortcut); ok && cs.Modifier&(fyne.KeyModifierControl|fyne.KeyModifierSuper) == fyne.KeyModifierControl|fyne.KeyModifierSuper {
			t.Errorf("%s uses both Ctrl and Cmd", s.ShortcutName())
		}
	}
}
