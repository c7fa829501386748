package app

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/zeninpaint/studio/client/clienttest"
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

// Every shortcut answers the keys the system sends for the platform's
// modifier, Cmd (Super) on macOS and Ctrl elsewhere, and not the other
// one: the key events are dispatched on the window's canvas as the desktop
// driver does, and their effects observed.
func TestShortcutsUseThePlatformModifier(t *testing.T) {
	name := map[fyne.KeyModifier]string{fyne.KeyModifierControl: "Ctrl", fyne.KeyModifierSuper: "Cmd"}
	platform, other := fyne.KeyModifierControl, fyne.KeyModifierSuper
	if runtime.GOOS == "darwin" {
		platform, other = other, platform
	}
	if fyne.KeyModifierShortcutDefault != platform {
		t.Fatalf("Fyne's shortcut modifier on %s is %v, want %v (%s)", runtime.GOOS, fyne.KeyModifierShortcutDefault, platform, name[platform])
	}
	ts := newTestStudio(t, "")
	ts.load("canvas", ts.file("photo.png", clienttest.PNG(clienttest.Photo(3000, 2000))))
	ts.pump()
	press := func(key fyne.KeyName, mod fyne.KeyModifier) {
		ts.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: mod})
		ts.pump()
	}
	ts.editor.ZoomFit()
	fit := ts.editor.Zoom()
	if fit <= 0 || fit >= 1 {
		t.Fatalf("a 3000×2000 photo fits at zoom %v", fit)
	}
	// The editor's shortcuts, registered on the window: 100 % and Fit.
	press(fyne.Key1, other)
	if ts.editor.Zoom() != fit {
		t.Errorf("%s+1 zoomed: only %s+1 should", name[other], name[platform])
	}
	press(fyne.Key1, platform)
	if ts.editor.Zoom() != 1 {
		t.Errorf("%s+1 did not zoom to 100 %% (zoom %v)", name[platform], ts.editor.Zoom())
	}
	press(fyne.Key0, platform)
	if ts.editor.Zoom() != fit {
		t.Errorf("%s+0 did not fit (zoom %v, want %v)", name[platform], ts.editor.Zoom(), fit)
	}
	// The window's own: Settings.
	press(fyne.KeyComma, other)
	if top := ts.win.Canvas().Overlays().Top(); top != nil {
		t.Errorf("%s+, opened something", name[other])
		ts.win.Canvas().Overlays().Remove(top)
	}
	press(fyne.KeyComma, platform)
	if ts.win.Canvas().Overlays().Top() == nil {
		t.Errorf("%s+, did not open Settings", name[platform])
	}
	// The menus show the same keys.
	items := 0
	for _, menu := range ts.mainMenu().Items {
		for _, item := range menu.Items {
			ks, ok := item.Shortcut.(fyne.KeyboardShortcut)
			if item.Shortcut == nil {
				continue
			}
			items++
			if !ok || ks.Mod()&platform == 0 || ks.Mod()&other != 0 {
				t.Errorf("menu item %q shows %s, want %s and not %s", item.Label, item.Shortcut.ShortcutName(), name[platform], name[other])
			}
		}
	}
	if items < 4 {
		t.Errorf("only %d menu items show a shortcut", items)
	}
	// A modifier written out in the source would pass on one platform
	// only: the code names the platform's one, fyne.KeyModifierShortcutDefault.
	for _, dir := range []string{".", "../canvas"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, fixed := range []string{"KeyModifierControl", "KeyModifierSuper"} {
				if strings.Contains(string(src), fixed) {
					t.Errorf("%s uses fyne.%s: a shortcut there would not be Cmd on macOS / Ctrl elsewhere", f, fixed)
				}
			}
		}
	}
}
