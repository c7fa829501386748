package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// showDialog shows d and lets the keyboard answer it (see keyRouter.show).
func (s *Studio) showDialog(d dialog.Dialog, enter func()) { s.keys.show(d, enter) }

// showError shows an error in a dialog that Esc and Enter close.
func (s *Studio) showError(err error) { s.showDialog(dialog.NewError(err, s.win), nil) }

// showInfo shows a message in a dialog that Esc and Enter close.
func (s *Studio) showInfo(title, message string) {
	s.showDialog(dialog.NewInformation(title, message, s.win), nil)
}

// escEntry is a text field in which Esc does what the window expects: in
// a dialog it closes the dialog, in the side panel it leaves the field for
// the canvas (Fyne's fields keep every key they are typed to themselves).
type escEntry struct {
	widget.Entry
	escape func()
}

func newEscEntry(escape func()) *escEntry {
	e := &escEntry{escape: escape}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey closes the dialog on Esc; the field takes every other key.
func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.escape != nil {
		e.escape()
		return
	}
	e.Entry.TypedKey(ev)
}
