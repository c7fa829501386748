// Package app is Zen Inpaint Studio's user interface: the window, its
// panels, settings, the job queue and its persistence.
package app

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"

	"github.com/zeninpaint/studio/assets"
	"github.com/zeninpaint/studio/engine"
)

// ID is the app's identifier, also the keyring's service name.
const ID = "com.fotographer.zeninpaint.studio"

// Config is how the studio starts.
type Config struct {
	DataDir        string // the job queue and its images
	OutputDir      string // where results go; "" means the setting (default ~/Pictures/Zen Inpaint)
	EngineURL      string // the local engine's base URL
	ServerURL      string // when set, jobs go to this server instead (sync and async base), e.g. a test server
	KeyringService string // the keyring entry's service name
	Logger         *slog.Logger
	Do             func(func()) // runs UI updates from other goroutines; fyne.Do when nil
}

// Run parses args, starts the local engine and shows the window until the
// user quits.
func Run(args []string) error {
	fs := flag.NewFlagSet("zen-inpaint-studio", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: zen-inpaint-studio [flags] [image files to open]")
		fs.PrintDefaults()
	}
	dataDir := fs.String("data", "", "folder for the job queue (default: the app's storage folder)")
	server := fs.String("server", "", "send jobs to this Zen-Inpaint-compatible server (sync and async base URL)")
	verbose := fs.Bool("v", false, "log requests to standard error (never the API key)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(logger) // libraries' technical detail (imagefile's decode errors) reaches the -v log

	a := fyneapp.NewWithID(ID)
	// The bold face loads on another core while this goroutine loads the
	// regular one, with the first text it measures: each face is parsed
	// once (Fyne's font cache parses again a face asked for while it is
	// being parsed).
	go fyne.MeasureText("Zen Inpaint", theme.TextSize(), fyne.TextStyle{Bold: true})
	a.SetIcon(assets.Icon)
	if *dataDir == "" {
		*dataDir = filepath.Join(a.Storage().RootURI().Path(), "jobs")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := engine.Start(ctx, engine.Options{Logger: logger})
	if err != nil {
		return err
	}
	w := a.NewWindow("Zen Inpaint Studio")
	w.Resize(lastWindowSize(a.Preferences())) // before the content: it is laid out once, at its size
	s, err := newStudio(a, w, Config{DataDir: *dataDir, EngineURL: base, ServerURL: *server,
		KeyringService: ID, Logger: logger})
	if err != nil {
		return fmt.Errorf("starting: %w", err)
	}
	s.restoreWindow()
	s.OpenPaths(fs.Args())
	w.SetMaster()
	w.SetCloseIntercept(func() {
		s.rememberWindow()
		s.Close()
		w.Close()
	})
	reportFirstFrame(a)
	w.ShowAndRun()
	return nil
}

// reportFirstFrame writes the time of the window's first frame (Unix
// nanoseconds and a newline) to the file ZEN_FIRST_FRAME_FILE names, for
// the start-up benchmark: Fyne calls OnStarted once ShowAndRun has
// painted the window's first frame.
func reportFirstFrame(a fyne.App) {
	if path := os.Getenv("ZEN_FIRST_FRAME_FILE"); path != "" {
		a.Lifecycle().SetOnStarted(func() {
			_ = os.WriteFile(path, fmt.Appendf(nil, "%d\n", time.Now().UnixNano()), 0o600)
		})
	}
}

// lastWindowSize is the window's size when it was last closed (Fyne does
// not expose the position), never larger than the screen: a 1366×768
// laptop gets a window that fits, with Generate in view.
func lastWindowSize(p fyne.Preferences) fyne.Size {
	size := fyne.NewSize(float32(p.FloatWithFallback("window_width", 1400)), float32(p.FloatWithFallback("window_height", 880)))
	if screen, ok := screenSize(); ok {
		size = fitToScreen(size, screen)
	}
	return size
}

// restoreWindow wires focus tracking for notifications, and the menu.
func (s *Studio) restoreWindow() {
	s.frame.focused = true
	s.desk.app.Lifecycle().SetOnEnteredForeground(func() { s.frame.focused = true })
	s.desk.app.Lifecycle().SetOnExitedForeground(func() { s.frame.focused = false })
	s.installMenu()
}

func (s *Studio) rememberWindow() {
	size := s.win.Canvas().Size()
	s.desk.app.Preferences().SetFloat("window_width", float64(size.Width))
	s.desk.app.Preferences().SetFloat("window_height", float64(size.Height))
	s.desk.app.Preferences().SetFloat("jobs_split", s.frame.split.Offset)
}

// installMenu puts the main menu on the window; each item gives the
// keyboard back to the canvas once it has acted.
func (s *Studio) installMenu() {
	menu := s.mainMenu()
	for _, m := range menu.Items {
		s.keys.menu(m.Items)
	}
	s.win.SetMainMenu(menu)
}

// mainMenu is File, Edit and View with the shortcuts shown.
func (s *Studio) mainMenu() *fyne.MainMenu {
	mod := fyne.KeyModifierShortcutDefault
	item := func(label string, key fyne.KeyName, m fyne.KeyModifier, fn func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, fn)
		if key != "" {
			it.Shortcut = &desktop.CustomShortcut{KeyName: key, Modifier: m}
		}
		return it
	}
	settings := item("Settings…", fyne.KeyComma, mod, s.ShowSettings)
	// Quit remembers the window and stops the runs, as closing the window
	// does (Fyne's own Quit item would skip both).
	quit := item("Quit", fyne.KeyQ, mod, func() { s.rememberWindow(); s.Close(); s.win.Close() })
	quit.IsQuit = true
	return fyne.NewMainMenu(
		fyne.NewMenu("File",
			item("Open image…", fyne.KeyO, mod, func() { s.chooseFile(s.doc.MainRole()) }),
			item("Save result…", fyne.KeyS, mod, s.saveLatestResult),
			item("Save mask…", fyne.KeyS, mod|fyne.KeyModifierShift, s.saveMask),
			fyne.NewMenuItemSeparator(),
			item("Generate", fyne.KeyReturn, mod, s.Generate),
			fyne.NewMenuItemSeparator(),
			settings,
			fyne.NewMenuItemSeparator(),
			quit,
		),
		fyne.NewMenu("Edit",
			fyne.NewMenuItem("Undo (Ctrl/Cmd+Z)", s.editor.Undo),
			fyne.NewMenuItem("Redo (Ctrl/Cmd+Shift+Z)", s.editor.Redo),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Copy the picture shown (Ctrl/Cmd+C)", s.copyShown),
			fyne.NewMenuItem("Paste a picture (Ctrl/Cmd+V)", s.paste),
			fyne.NewMenuItemSeparator(),
			item("Invert mask", fyne.KeyI, mod, s.editor.Invert),
			fyne.NewMenuItem("Clear mask", s.editor.ClearMask),
			fyne.NewMenuItem("Fill mask", s.editor.FillMask),
			fyne.NewMenuItemSeparator(),
			fyne.NewMenuItem("Expand the picture…", s.showExpand),
			fyne.NewMenuItem("Cut out the subject from its backdrop", s.cutOutCurrentSubject),
		),
		s.toolsMenu(),
		fyne.NewMenu("View",
			fyne.NewMenuItem("Fit (Ctrl/Cmd+0)", s.editor.ZoomFit),
			fyne.NewMenuItem("100 % (Ctrl/Cmd+1)", s.editor.ZoomActual),
		),
	)
}

// addShortcuts registers the window's shortcuts (menus show them too).
func (s *Studio) addShortcuts() {
	mod := fyne.KeyModifierShortcutDefault
	add := func(key fyne.KeyName, m fyne.KeyModifier, fn func()) {
		s.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: key, Modifier: m}, func(fyne.Shortcut) { fn() })
	}
	add(fyne.KeyReturn, mod, s.Generate)
	add(fyne.KeyEnter, mod, s.Generate)
	add(fyne.KeyO, mod, func() { s.chooseFile(s.doc.MainRole()) })
	add(fyne.KeyS, mod, s.saveLatestResult)
	add(fyne.KeyS, mod|fyne.KeyModifierShift, s.saveMask)
	add(fyne.KeyComma, mod, s.ShowSettings)
	// Copy and paste of pictures; a text field being typed in keeps its own.
	s.win.Canvas().AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) { s.copyShown() })
	s.win.Canvas().AddShortcut(&fyne.ShortcutPaste{}, func(fyne.Shortcut) { s.paste() })
}

// onCanvasShortcut takes the shortcuts the mask editor has no use for
// while it has the keyboard: copy and paste of pictures.
func (s *Studio) onCanvasShortcut(sc fyne.Shortcut) {
	switch sc.(type) {
	case *fyne.ShortcutCopy:
		s.copyShown()
	case *fyne.ShortcutPaste:
		s.paste()
	}
}

// saveLatestResult saves the newest finished job's result.
func (s *Studio) saveLatestResult() {
	for _, j := range s.queue.all() {
		if j.ResultBlob != "" {
			s.saveResultAs(j)
			return
		}
	}
	s.setStatus("No result to save yet.")
}

// saveMask saves the painted mask as an 8-bit grayscale PNG.
func (s *Studio) saveMask() {
	data, err := s.editor.MaskPNG()
	if err != nil {
		s.setStatus(err.Error())
		return
	}
	s.saveBytes("mask.png", data)
}
