package app

import "fmt"

// The object selection (W, and Mask ▸ Select subject) segments the
// picture aside; these show its progress and say when it is done.

// selectSubject selects the picture's main object, as a box drawn around
// it by the object tool would, with the current selection mode.
func (s *Studio) selectSubject() {
	if !s.editor.HasImage() {
		s.setStatus("Open a picture first: Select subject finds its main object.")
		return
	}
	s.editor.SelectSubject()
}

// selectionBusy follows a running object selection (on Fyne's goroutine):
// the loading bar and the share done while it runs, a word when it ends.
func (s *Studio) selectionBusy(busy bool, done float64) {
	s.showLoading(busy)
	if busy {
		s.setStatus(fmt.Sprintf("Finding the object… %.0f %% (Esc stops)", done*100))
		return
	}
	if done < 1 {
		s.setStatus("Stopped: the mask is as it was.")
		return
	}
	s.setStatus("Selection ready: Shift+drag adds, Alt+drag takes away, Ctrl+Z undoes it.")
}
