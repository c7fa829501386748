package app

import (
	"strings"
	"testing"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// TestUndoSaysWhatItUndid: every Ctrl+Z and Ctrl+Shift+Z says in the
// status line what it did, and a mode that does not show the mask never
// has it changed by them.
func TestUndoSaysWhatItUndid(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(320, 240))))
	ts.paint()
	ts.paint()
	ts.editor.Undo()
	if !strings.Contains(ts.frame.status.Text, "Undone: a step of the mask") {
		t.Errorf("undo in Inpaint says %q", ts.frame.status.Text)
	}
	painted := ts.editor.Mask().Gray()
	for _, mode := range []client.Mode{client.ModeBackground, client.ModeScene} {
		ts.setMode(mode)
		ts.editor.Undo()
		if got := ts.editor.Mask().Gray(); string(got.Pix) != string(painted.Pix) {
			t.Fatalf("Ctrl+Z in %s changed the Inpaint mask", mode.Title())
		}
		if !strings.Contains(ts.frame.status.Text, "Nothing to undo in "+mode.Title()) {
			t.Errorf("undo in %s says %q", mode.Title(), ts.frame.status.Text)
		}
		ts.editor.Redo()
		if !strings.Contains(ts.frame.status.Text, "Nothing to redo in "+mode.Title()) {
			t.Errorf("redo in %s says %q", mode.Title(), ts.frame.status.Text)
		}
	}
	ts.setMode(client.ModeInpaint)
	ts.editor.Redo()
	if !strings.Contains(ts.frame.status.Text, "Redone: a step of the mask") {
		t.Errorf("redo in Inpaint says %q", ts.frame.status.Text)
	}
	ts.editor.Redo()
	if ts.frame.status.Text != "Nothing to redo." {
		t.Errorf("a redo with nothing to redo says %q", ts.frame.status.Text)
	}
}

// TestUndoOfAnInputSaysWhereItIs: a replaced input comes back with Ctrl+Z
// and goes again with Ctrl+Shift+Z, from a mode that does not show it too,
// and the status line says which input and where.
func TestUndoOfAnInputSaysWhereItIs(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(320, 240))))
	ts.load(fieldBackground, ts.file("hall.png", clienttest.PNG(clienttest.Photo(300, 200))))
	if want := "Background: hall.png (Ctrl+Z brings back room.png)."; ts.frame.status.Text != want {
		t.Errorf("after a new background the status says %q, want %q", ts.frame.status.Text, want)
	}
	ts.setMode(client.ModeScene)
	ts.editor.Undo()
	if got := ts.doc.Input(fieldBackground).Name; got != "room.png" {
		t.Fatalf("Ctrl+Z gave the background %q", got)
	}
	if want := "Undone: the background is back (in Inpaint, not shown now)."; ts.frame.status.Text != want {
		t.Errorf("status %q, want %q", ts.frame.status.Text, want)
	}
	ts.editor.Redo()
	if got := ts.doc.Input(fieldBackground).Name; got != "hall.png" {
		t.Fatalf("Ctrl+Shift+Z gave the background %q", got)
	}
	if want := "Redone: the new background is back (in Inpaint, not shown now)."; ts.frame.status.Text != want {
		t.Errorf("status %q, want %q", ts.frame.status.Text, want)
	}
}

// TestNoRedoAfterPaintingOnAnotherBranch: the reviewer's steps. Paint,
// replace the subject, Ctrl+Z (the subject back), Ctrl+Z (a stroke), a new
// stroke, Ctrl+Shift+Z: nothing is redone, and the status line says so.
func TestNoRedoAfterPaintingOnAnotherBranch(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(320, 240))))
	ts.paint()
	ts.paint()
	ts.load(fieldSubject, ts.file("a.png", clienttest.PNG(clienttest.Subject(80, 80))))
	ts.load(fieldSubject, ts.file("b.png", clienttest.PNG(clienttest.Subject(80, 80))))
	ts.editor.Undo()
	if got := ts.doc.Input(fieldSubject).Name; got != "a.png" {
		t.Fatalf("Ctrl+Z gave the subject %q", got)
	}
	ts.editor.Undo() // a stroke
	ts.paint()
	ts.editor.Redo()
	if got := ts.doc.Input(fieldSubject).Name; got != "a.png" {
		t.Errorf("Ctrl+Shift+Z after a new stroke redid the subject: %q (status %q)", got, ts.frame.status.Text)
	}
}
