package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/app/document"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// TestWorkspaceSurvivesACrash: paint, type a prompt and a seed, then the
// app dies without closing (no save on the way out, as with kill -9); the
// next start has the inputs, the mask, the prompts, the seed and the mode.
func TestWorkspaceSurvivesACrash(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	a := newTestStudioIn(t, "", nil, data)
	a.load("canvas", a.file("room.jpg", clienttest.JPEG(clienttest.Photo(200, 150))))
	a.load(fieldSubject, a.file("vase.png", clienttest.PNG(cutout)))
	a.paint()
	a.request.prompt.SetText("a blue vase, morning light")
	a.request.negative.SetText("text, watermark")
	a.request.seed.SetText("777")
	mask := a.editor.Mask().Gray()
	// Wait for the save a moment after the last change, then "crash".
	saved := filepath.Join(a.workspaceDir(), "workspace.json")
	a.pumpUntil("the workspace to be saved", func() bool {
		a.saver.saves.Wait()
		data, err := os.ReadFile(saved)
		return err == nil && strings.Contains(string(data), "morning light") && strings.Contains(string(data), `"777"`)
	})
	a.cancel() // the process is gone: nothing more is written

	b := newTestStudioIn(t, "", nil, data)
	b.pumpUntil("the workspace's inputs", func() bool { return b.doc.Input(fieldBackground) != nil })
	if b.doc.Input(fieldBackground) == nil || b.doc.Input(fieldBackground).Name != "room.jpg" || b.doc.Input(fieldSubject) == nil {
		t.Fatalf("inputs after the restart: %v", b.doc.Inputs())
	}
	got := b.editor.Mask().Gray()
	if got.Rect != mask.Rect || string(got.Pix) != string(mask.Pix) {
		t.Error("the painted mask did not come back")
	}
	if b.request.prompt.Text != "a blue vase, morning light" || b.request.negative.Text != "text, watermark" || b.request.seed.Text != "777" || !b.request.seedLock.Checked {
		t.Errorf("prompt %q, negative %q, seed %q locked %v", b.request.prompt.Text, b.request.negative.Text, b.request.seed.Text, b.request.seedLock.Checked)
	}
	if b.doc.Mode() != client.ModeInpaint || b.request.generate.Disabled() {
		t.Errorf("mode %s, Generate disabled: %s", b.doc.Mode(), b.request.reason.Text)
	}
}

// TestAStartNeverSavesOverTheWorkspaceItRestores: from the start until the
// saved workspace is back (a 24 MP photo takes a while to read), no save is
// scheduled, so an empty start is never written over it; after, a change
// is saved as ever.
func TestAStartNeverSavesOverTheWorkspaceItRestores(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	a := newTestStudioIn(t, "", nil, data)
	a.load("canvas", a.file("room.jpg", clienttest.JPEG(clienttest.Photo(200, 150))))
	a.request.prompt.SetText("a blue vase")
	saved := filepath.Join(a.workspaceDir(), "workspace.json")
	a.pumpUntil("the workspace to be saved", func() bool {
		a.saver.saves.Wait()
		data, err := os.ReadFile(saved)
		return err == nil && strings.Contains(string(data), "a blue vase")
	})
	a.cancel()

	// The next start, before the read workspace is put back.
	ui := &uiQueue{}
	w := test.NewTempWindow(t, nil)
	b, err := newStudio(test.NewTempApp(t), w, Config{DataDir: data, OutputDir: t.TempDir(), EngineURL: "http://127.0.0.1:1",
		KeyringService: ID + ".test." + t.Name(), Do: ui.do})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(); ui.pump() })
	if b.saver.timer != nil || !b.saver.restoring {
		t.Fatal("a save is scheduled before the saved workspace is back: it could write an empty one over it")
	}
	clienttest.Until(t, "the workspace to be back", ui.pump, func() bool { return b.doc.Input(fieldBackground) != nil })
	if b.saver.restoring || b.request.prompt.Text != "a blue vase" {
		t.Fatalf("restoring %v, prompt %q", b.saver.restoring, b.request.prompt.Text)
	}
	if data, _ := os.ReadFile(saved); !strings.Contains(string(data), "a blue vase") || !strings.Contains(string(data), "room.jpg") {
		t.Fatalf("the saved workspace changed during the start: %s", data)
	}
	b.request.prompt.SetText("a red vase")
	if b.saver.timer == nil {
		t.Error("a change after the restore is not saved")
	}
}

// TestASaveAfterTypingKeepsTheMaskFile: a save after a typed word keeps the
// mask file written after the stroke (it does not copy the mask again); a
// mask changed writes a new one; and when the kept file has gone from the folder,
// the next save carries the mask itself, so a restart still has it.
func TestASaveAfterTypingKeepsTheMaskFile(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	a := newTestStudioIn(t, "", nil, data)
	a.load("canvas", a.file("room.jpg", clienttest.JPEG(clienttest.Photo(200, 150))))
	saved := func(what string, cond func(doc string) bool) string {
		t.Helper()
		var doc string
		a.pumpUntil(what, func() bool {
			a.saver.saves.Wait()
			b, err := os.ReadFile(filepath.Join(a.workspaceDir(), "workspace.json"))
			doc = string(b)
			return err == nil && cond(doc)
		})
		return doc
	}
	maskOf := func(doc string) string {
		var d struct{ Mask string }
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatal(err)
		}
		return d.Mask
	}
	a.paint()
	first := maskOf(saved("the stroke saved", func(doc string) bool { return maskOf(doc) != "" }))
	a.pumpUntil("the saved mask remembered", func() bool { return a.saver.mask.blob == first })

	a.request.prompt.SetText("typed after the stroke")
	doc := saved("the prompt saved", func(doc string) bool { return strings.Contains(doc, "typed after") })
	if maskOf(doc) != first {
		t.Fatalf("after typing the workspace names mask %q, want the stroke's %q", maskOf(doc), first)
	}

	a.editor.Invert()
	second := maskOf(saved("the inverted mask saved", func(doc string) bool { return maskOf(doc) != first }))
	a.pumpUntil("the inverted mask remembered", func() bool { return a.saver.mask.blob == second })

	if err := os.Remove(filepath.Join(a.workspaceDir(), second)); err != nil {
		t.Fatal(err)
	}
	a.request.prompt.SetText("typed after the file went")
	saved("the mask written again", func(doc string) bool {
		_, err := os.Stat(filepath.Join(a.workspaceDir(), second))
		return strings.Contains(doc, "the file went") && maskOf(doc) == second && err == nil
	})
	want := a.editor.Mask().Gray()
	a.cancel() // as kill -9

	b := newTestStudioIn(t, "", nil, data)
	b.pumpUntil("the workspace's background", func() bool { return b.doc.Input(fieldBackground) != nil })
	b.pumpUntil("the mask back", func() bool { return !b.editor.Mask().IsEmpty() })
	if got := b.editor.Mask().Gray(); string(got.Pix) != string(want.Pix) {
		t.Error("the mask after the restart is not the one painted")
	}
}

// saveMaskNow saves the workspace now, waits for the write, and returns
// the mask it holds (its PNG).
func (ts *testStudio) saveMaskNow() []byte {
	ts.t.Helper()
	ts.saveWorkspace()
	ts.saver.saves.Wait()
	ts.pump()
	s, err := document.Read(ts.workspaceDir())
	if err != nil || s == nil {
		ts.t.Fatalf("reading the workspace: %v", err)
	}
	return s.Mask
}

// TestASaveDuringAStrokeIsNotKept: a save that runs while a stroke is being
// drawn (its timer fires between two drags) copies the half-drawn mask; the
// stroke is then released and undone, and the next save must write the
// mask as it is, not keep that copy (the history is back at the position
// it had when the copy was made).
func TestASaveDuringAStrokeIsNotKept(t *testing.T) {
	a := newTestStudioIn(t, "", nil, filepath.Join(t.TempDir(), "data"))
	a.load("canvas", a.file("room.jpg", clienttest.JPEG(clienttest.Photo(200, 150))))
	a.paint()
	first := a.saveMaskNow()
	e := a.editor
	from := fyne.NewPos(e.Size().Width*0.2, e.Size().Height*0.7)
	e.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	e.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: from.AddXY(60, 0)}, Dragged: fyne.NewDelta(60, 0)})
	if !e.Mask().InStroke() {
		t.Fatal("the stroke is not being drawn")
	}
	if half := a.saveMaskNow(); bytes.Equal(half, first) {
		t.Fatal("the save during the stroke wrote the mask before it")
	}
	e.DragEnd()
	e.Undo()
	if got := a.saveMaskNow(); !bytes.Equal(got, first) {
		t.Error("after the stroke was undone the workspace keeps the half-drawn mask")
	}
}

// TestUndoingEveryKeptStepIsSavedAsItIs: once the oldest steps are
// dropped, undoing all the kept ones leaves a painted mask, and a second
// round does too, with another mask: a save there writes the mask as it
// is, not the first round's (the two are at different positions).
func TestUndoingEveryKeptStepIsSavedAsItIs(t *testing.T) {
	a := newTestStudioIn(t, "", nil, filepath.Join(t.TempDir(), "data"))
	a.load("canvas", a.file("room.jpg", clienttest.JPEG(clienttest.Photo(200, 150))))
	m := a.editor.Mask()
	m.SetUndoLimit(2)
	strokesFrom := func(y float64) {
		for i := range 3 {
			m.BeginStroke(zcanvas.Brush{Size: 10, Hardness: 1}, 20+float64(i)*50, y)
			m.StrokeTo(40+float64(i)*50, y)
			m.EndStroke()
		}
		for m.Undo() {
		}
		if m.CanUndo() || m.IsEmpty() {
			t.Fatalf("can undo %v, empty %v: not the case tested (every kept step undone, a painted mask)", m.CanUndo(), m.IsEmpty())
		}
	}
	strokesFrom(30)
	first := a.saveMaskNow()
	strokesFrom(100)
	if bytes.Equal(a.saveMaskNow(), first) {
		t.Error("the workspace keeps the first round's mask")
	}
}
