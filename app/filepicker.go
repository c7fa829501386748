package app

// File choosers: the desktop's own (the XDG desktop portal on Linux, the
// system's dialogs on Windows and macOS), with Fyne's dialog as the
// fallback when the desktop's is not there.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver"
	"fyne.io/fyne/v2/storage"
)

// errNoSystemPicker says the desktop's file chooser is not there (no portal
// on the bus, or none answered in time): Fyne's dialog is shown instead.
var errNoSystemPicker = errors.New("the desktop's file chooser is not available")

// errPickerBusy says a chooser of the desktop's is already open.
var errPickerBusy = errors.New("a file chooser is already open")

// Preference keys of the folders the choosers start in. "open_dir" is the
// key the Open dialog has always used: a file URI.
const (
	openDirKey = "open_dir"
	saveDirKey = "save_dir"
)

// fileFilter is a named set of file name extensions offered by a chooser.
type fileFilter struct {
	Name       string
	Extensions []string // lower case, with the dot: ".png"
}

// imageExtensions are the files Open offers: what readFiles decodes.
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif"}

// openFilters and saveFilters are what Open and Save as offer; the first is
// chosen at first. Save writes PNG or JPEG (see encodeForName).
var (
	openFilters = []fileFilter{{Name: "Images", Extensions: imageExtensions}}
	saveFilters = []fileFilter{
		{Name: "PNG image", Extensions: []string{".png"}},
		{Name: "JPEG image", Extensions: []string{".jpg", ".jpeg"}},
	}
)

// pickOptions describe one chooser.
type pickOptions struct {
	Title   string
	Parent  string       // the window, for the portal ("x11:1a2b3c"), or ""
	Folder  string       // the folder to start in (a path), or ""
	Name    string       // Save: the suggested file name
	Filters []fileFilter // Open and Save: the first is chosen at first
}

// filePicker shows the desktop's file choosers. Each call blocks until the
// designer chooses; it returns the chosen path, "" with no error when they
// cancel, and an error wrapping errNoSystemPicker when the desktop's
// chooser is not there. ctx ends a chooser that is still open where the
// system allows.
type filePicker interface {
	Open(ctx context.Context, o pickOptions) (string, error)
	Save(ctx context.Context, o pickOptions) (string, error)
	Folder(ctx context.Context, o pickOptions) (string, error)
}

// systemPicker is this platform's chooser; nil means Fyne's dialog only.
var systemPicker = newSystemPicker()

// pickers are the window's file choosers: the desktop's, else Fyne's
// dialogs, starting where the last file was opened or saved.
type pickers struct {
	win       fyne.Window
	ctx       context.Context // ends a chooser still open when the window closes
	prefs     fyne.Preferences
	outputDir func() string
	system    filePicker // the desktop's (a test's); nil: Fyne's dialogs only
	do        func(func())
	log       *slog.Logger
	say       func(string)
	showError func(error)
	// showDialog shows Fyne's dialogs so that Esc closes them.
	showDialog func(dialog.Dialog, func())
}

// open asks for an image to open, starting in the folder the last one
// came from, and remembers the chosen file's folder.
func (s *pickers) open(done func(fyne.URI)) {
	o := pickOptions{Title: "Open an image", Parent: s.windowHandle(),
		Folder: s.lastFolder(openDirKey), Filters: openFilters}
	chosen := func(u fyne.URI) {
		s.rememberFolder(openDirKey, u)
		done(u)
	}
	s.pick(filePicker.Open, o, func() { s.fyneOpen(o, chosen) }, func(path string) {
		chosen(storage.NewFileURI(path))
	})
}

// save asks where to save a file called name, starting in the folder
// the last one was saved to (the output folder at first), and remembers
// the chosen folder. done gets the file to write, created empty.
func (s *pickers) save(name string, done func(fyne.URIWriteCloser)) {
	folder := s.lastFolder(saveDirKey)
	if folder == "" {
		folder = s.outputDir()
	}
	o := pickOptions{Title: "Save as", Parent: s.windowHandle(), Folder: existingFolder(folder), Name: name, Filters: saveFilters}
	chosen := func(w fyne.URIWriteCloser) {
		s.rememberFolder(saveDirKey, w.URI())
		done(w)
	}
	s.pick(filePicker.Save, o, func() { s.fyneSave(o, chosen) }, func(path string) {
		w, err := storage.Writer(storage.NewFileURI(path))
		if err != nil {
			s.showError(fmt.Errorf("could not save to %s: %w", path, err))
			return
		}
		chosen(w)
	})
}

// folder asks for a folder, starting in start.
func (s *pickers) folder(start string, done func(path string)) {
	o := pickOptions{Title: "Choose a folder", Parent: s.windowHandle(), Folder: existingFolder(start)}
	s.pick(filePicker.Folder, o, func() { s.fyneFolder(o, done) }, done)
}

// pick runs the desktop's chooser aside and hands its answer to done on
// Fyne's goroutine; when the desktop has none it runs fallback there.
func (s *pickers) pick(show func(filePicker, context.Context, pickOptions) (string, error), o pickOptions, fallback func(), done func(path string)) {
	if s.system == nil {
		fallback()
		return
	}
	ctx := s.ctx
	go func() {
		path, err := show(s.system, ctx, o)
		s.do(func() {
			switch {
			case ctx.Err() != nil: // the window is closing
			case errors.Is(err, errNoSystemPicker):
				s.log.Info("using Fyne's file dialog", "reason", err)
				fallback()
			case errors.Is(err, errPickerBusy):
				s.say("A file chooser is already open.")
			case err != nil:
				s.showError(fmt.Errorf("the file chooser failed: %w", err))
			case path != "":
				done(path)
			}
		})
	}()
}

// lastFolder is the folder remembered under key, when it still exists.
func (s *pickers) lastFolder(key string) string {
	u, err := storage.ParseURI(s.prefs.String(key))
	if err != nil || u.Scheme() != "file" {
		return ""
	}
	if ok, err := storage.CanList(u); err != nil || !ok {
		return ""
	}
	return filepath.Clean(u.Path())
}

// existingFolder is dir, or the nearest folder above it that exists (the
// output folder is made by the first result saved); "" when none is.
func existingFolder(dir string) string {
	if dir == "" {
		return ""
	}
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// rememberFolder keeps the folder of a chosen file under key, as a file
// URI.
func (s *pickers) rememberFolder(key string, u fyne.URI) {
	if u.Scheme() == "file" {
		s.prefs.SetString(key, storage.NewFileURI(filepath.Dir(u.Path())).String())
	} else if dir, err := storage.Parent(u); err == nil {
		s.prefs.SetString(key, dir.String())
	}
}

// windowHandle names the window for the portal, so that its chooser is
// the window's modal dialog ("" when the window is not an X11 one).
func (s *pickers) windowHandle() string {
	nw, ok := s.win.(driver.NativeWindow)
	if !ok {
		return ""
	}
	handle := ""
	nw.RunNative(func(ctx any) {
		if x, ok := ctx.(driver.X11WindowContext); ok && x.WindowHandle != 0 {
			handle = fmt.Sprintf("x11:%x", x.WindowHandle)
		}
	})
	return handle
}

// fyneOpen is Fyne's Open dialog, as the app had before.
func (s *pickers) fyneOpen(o pickOptions, done func(fyne.URI)) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		done(r.URI())
	}, s.win)
	setFyneLocation(d, o.Folder)
	d.SetFilter(storage.NewExtensionFileFilter(bothCases(o.Filters)))
	s.showFileDialog(d)
}

// fyneSave is Fyne's Save dialog, as the app had before.
func (s *pickers) fyneSave(o pickOptions, done func(fyne.URIWriteCloser)) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		done(w)
	}, s.win)
	if o.Name != "" && o.Name != "." {
		d.SetFileName(o.Name)
	}
	setFyneLocation(d, o.Folder)
	s.showFileDialog(d)
}

// fyneFolder is Fyne's folder dialog, as the app had before.
func (s *pickers) fyneFolder(o pickOptions, done func(string)) {
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err == nil && u != nil {
			done(u.Path())
		}
	}, s.win)
	setFyneLocation(d, o.Folder)
	s.showFileDialog(d)
}

// setFyneLocation starts a Fyne dialog in folder, when it can be listed.
func setFyneLocation(d *dialog.FileDialog, folder string) {
	if folder == "" {
		return
	}
	if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
		d.SetLocation(l)
	}
}

// bothCases lists the filters' extensions in lower and upper case (Fyne's
// filter, like the portal's globs, tells case apart).
func bothCases(filters []fileFilter) []string {
	var out []string
	for _, f := range filters {
		for _, ext := range f.Extensions {
			out = append(out, strings.ToLower(ext), strings.ToUpper(ext))
		}
	}
	return out
}

// cleanPath is a chosen path made absolute and clean ("" stays "").
func cleanPath(path string) string {
	if path == "" {
		return ""
	}
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// showFileDialog shows one of Fyne's file dialogs so that Esc closes it
// (Enter is the dialog's own: it does not cancel). In the Save dialog the
// name field has the keyboard, and keeps Esc, until a click elsewhere.
func (s *pickers) showFileDialog(d *dialog.FileDialog) { s.showDialog(d, func() {}) }
