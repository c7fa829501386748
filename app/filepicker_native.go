//go:build windows || (darwin && !ios)

package app

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"

	"github.com/sqweek/dialog"
)

// newSystemPicker is the system's own file dialogs through
// github.com/sqweek/dialog: on Windows the common dialogs of comdlg32 and
// shell32 (no cgo), on macOS NSOpenPanel and NSSavePanel (cgo, as Fyne
// itself needs there).
func newSystemPicker() filePicker { return &nativePicker{} }

// nativePicker shows the system's dialogs, one at a time. The system's
// dialog cannot be closed from outside: ctx is not watched.
type nativePicker struct {
	busy atomic.Bool
}

// Open asks for a file to open.
func (p *nativePicker) Open(_ context.Context, o pickOptions) (string, error) {
	return p.run(func() (string, error) {
		return withFilters(dialog.File().Title(o.Title).SetStartDir(startDir(o.Folder)), o.Filters).Load()
	})
}

// Save asks where to save a file; the system asks before replacing one.
func (p *nativePicker) Save(_ context.Context, o pickOptions) (string, error) {
	return p.run(func() (string, error) {
		b := withFilters(dialog.File().Title(o.Title).SetStartDir(startDir(o.Folder)), o.Filters)
		if o.Name != "" && o.Name != "." {
			b = b.SetStartFile(o.Name)
		}
		return b.Save()
	})
}

// Folder asks for a folder.
func (p *nativePicker) Folder(_ context.Context, o pickOptions) (string, error) {
	return p.run(func() (string, error) {
		return dialog.Directory().Title(o.Title).SetStartDir(startDir(o.Folder)).Browse()
	})
}

// run shows one dialog (see runDialog for the thread it runs on): a
// cancelled one gives "".
func (p *nativePicker) run(show func() (string, error)) (string, error) {
	if !p.busy.CompareAndSwap(false, true) {
		return "", errPickerBusy
	}
	defer p.busy.Store(false)
	path, err := runDialog(show)
	if errors.Is(err, dialog.ErrCancelled) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return cleanPath(path), nil
}

// withFilters offers filters, extensions without their dot.
func withFilters(b *dialog.FileBuilder, filters []fileFilter) *dialog.FileBuilder {
	for _, f := range filters {
		exts := make([]string, len(f.Extensions))
		for i, ext := range f.Extensions {
			exts[i] = strings.TrimPrefix(ext, ".")
		}
		b = b.Filter(f.Name, exts...)
	}
	return b
}
