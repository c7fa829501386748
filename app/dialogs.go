package app

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// openDialog is a dialog on screen and what Enter does in it (nil: close).
type openDialog struct {
	d     dialog.Dialog
	enter func()
}

// showDialog shows d and lets the keyboard answer it: Esc closes it
// (Cancel), Enter does enter (the default button), when no text field has
// the keyboard.
func (s *Studio) showDialog(d dialog.Dialog, enter func()) {
	od := &openDialog{d: d, enter: enter}
	s.dialogs = append(s.dialogs, od)
	d.SetOnClosed(func() {
		s.dialogs = slices.DeleteFunc(s.dialogs, func(o *openDialog) bool { return o == od })
	})
	d.Show()
}

// onWindowKey takes the keys typed while nothing has the keyboard: Esc and
// Enter answer the top dialog, otherwise they go to the canvas (Esc
// cancels a selection, Enter closes a polygon).
func (s *Studio) onWindowKey(ev *fyne.KeyEvent) {
	if n := len(s.dialogs); n > 0 {
		top := s.dialogs[n-1]
		switch ev.Name {
		case fyne.KeyEscape:
			top.d.Hide()
			return
		case fyne.KeyReturn, fyne.KeyEnter:
			if top.enter != nil {
				top.enter()
			} else {
				top.d.Hide()
			}
			return
		}
	}
	if s.result.key(ev.Name) {
		return
	}
	s.editor.TypedKey(ev)
}
