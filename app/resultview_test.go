package app

import (
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// overlayPixels counts the pixels of a capture that the default magenta
// overlay tints (red and blue well above green).
func overlayPixels(img image.Image) int {
	n := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if int(c.R)-int(c.G) > 60 && int(c.B)-int(c.G) > 30 {
				n++
			}
		}
	}
	return n
}

// TestBackslashShowsEachModesResult: in every mode \ shows the newest
// result of that mode's picture in place of it, with no mask overlay and
// a badge that says so, and \ again the original; another mode's results
// are never shown.
func TestBackslashShowsEachModesResult(t *testing.T) {
	ts := newTestStudio(t, "")
	c := ts.win.Canvas()
	// Inpaint, painted: the overlay is on screen until the result is shown.
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(160, 120))))
	bare := overlayPixels(c.Capture())
	ts.paint()
	ts.Generate()
	ts.waitJobs(1)
	painted := overlayPixels(c.Capture()) - bare
	if painted < 100 {
		t.Fatalf("only %d overlay pixels after painting", painted)
	}
	ts.pump()
	if ts.saver.timer != nil { // the job's own changes are saved: start afresh
		ts.saver.timer.Stop()
		ts.saver.timer = nil
	}
	test.TypeOnCanvas(c, "\\")
	ts.pumpUntil("the inpaint result", func() bool { return ts.frame.result.shown != nil })
	if ts.saver.timer != nil {
		t.Error("showing a result schedules a save of the workspace, which does not keep it")
	}
	if n := overlayPixels(c.Capture()) - bare; n > painted/10 {
		t.Errorf("%d overlay pixels with the result shown (%d painted): the mask hides the result", n, painted)
	}
	if ts.doc.Shown(client.ModeInpaint) != ts.frame.result.shown.ID {
		t.Errorf("the document says the canvas shows %q", ts.doc.Shown(client.ModeInpaint))
	}
	if !ts.frame.result.content.Visible() || !strings.Contains(ts.frame.result.badge.Text, "Result") {
		t.Errorf("badge %q visible=%v", ts.frame.result.badge.Text, ts.frame.result.content.Visible())
	}
	test.TypeOnCanvas(c, "\\")
	if ts.frame.result.shown != nil || ts.editor.ShowingPicture() || ts.frame.result.content.Visible() || ts.doc.Shown(client.ModeInpaint) != "" {
		t.Fatal("\\ again did not show the original")
	}
	// Painting over a result shows the original first: the mask changed is
	// seen as it changes.
	test.TypeOnCanvas(c, "\\")
	ts.pumpUntil("the inpaint result again", func() bool { return ts.frame.result.shown != nil })
	ts.paint()
	if ts.frame.result.shown != nil || ts.editor.ShowingPicture() || !strings.Contains(ts.frame.status.Text, "Back to the original") {
		t.Errorf("painting over the result: shown %v, status %q", ts.frame.result.shown != nil, ts.frame.status.Text)
	}
	for _, m := range []struct {
		mode  client.Mode
		input []byte
	}{
		{client.ModeScene, clienttest.PNG(clienttest.Depth(160, 120))},
		{client.ModeBackground, clienttest.PNG(clienttest.Subject(160, 120))},
	} {
		ts.setMode(m.mode)
		c.Unfocus() // the keys reach the canvas
		test.TypeOnCanvas(c, "\\")
		ts.pump()
		if ts.frame.result.shown != nil {
			t.Fatalf("%s: \\ showed another mode's result", m.mode)
		}
		ts.load(onCanvas, ts.file(string(m.mode)+".png", m.input))
		original := ts.frame.preview.Image
		before := len(ts.queue.jobs)
		ts.Generate()
		ts.waitJobs(before + 1)
		c.Unfocus()
		test.TypeOnCanvas(c, "\\")
		ts.pumpUntil(string(m.mode)+" result", func() bool { return ts.frame.result.shown != nil })
		if ts.frame.result.shown.Mode != m.mode || ts.frame.preview.Image == original {
			t.Errorf("%s: showing %s's result, the preview changed: %v", m.mode, ts.frame.result.shown.Mode, ts.frame.preview.Image != original)
		}
		if ts.doc.Shown(m.mode) != ts.frame.result.shown.ID {
			t.Errorf("%s: the document says the canvas shows %q", m.mode, ts.doc.Shown(m.mode))
		}
		want := ts.resultOf(*ts.frame.result.shown)
		if got := ts.frame.preview.Image; got.Bounds().Size() != want.Bounds().Size() || got.At(80, 60) != color.Color(want.NRGBAAt(80, 60)) {
			t.Errorf("%s: the preview is not the result's pixels", m.mode)
		}
		test.TypeOnCanvas(c, "\\")
		if ts.frame.result.shown != nil || ts.frame.preview.Image != original || ts.doc.Shown(m.mode) != "" {
			t.Errorf("%s: \\ again did not show the original", m.mode)
		}
	}
}

// TestStagingCyclesVariationsAndKeepsOne: three variations of one press
// are stepped through with → and ←, the badge counting them, and Enter
// keeps the one shown as the background (one Ctrl+Z undoes it).
func TestStagingCyclesVariationsAndKeepsOne(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(160, 120))))
	ts.paint()
	ts.request.variations.SetSelected("3")
	ts.Generate()
	ts.waitJobs(3)
	c := ts.win.Canvas()
	test.TypeOnCanvas(c, "\\")
	ts.pumpUntil("a result", func() bool { return ts.frame.result.shown != nil })
	seen := map[string]bool{ts.frame.result.shown.ID: true}
	if !strings.Contains(ts.frame.result.badge.Text, "of 3") {
		t.Fatalf("badge %q does not count the variations", ts.frame.result.badge.Text)
	}
	key := func(name fyne.KeyName) { ts.editor.TypedKey(&fyne.KeyEvent{Name: name}) }
	for range 2 {
		prev := ts.frame.result.shown.ID
		key(fyne.KeyRight)
		ts.pumpUntil("the next variation", func() bool { return ts.frame.result.shown != nil && ts.frame.result.shown.ID != prev })
		seen[ts.frame.result.shown.ID] = true
	}
	if len(seen) != 3 {
		t.Errorf("→ showed %d of the 3 variations", len(seen))
	}
	key(fyne.KeyLeft)
	ts.pumpUntil("the previous variation", func() bool { return ts.frame.result.shown != nil })
	kept := *ts.frame.result.shown
	before := ts.doc.Input(fieldBackground)
	key(fyne.KeyReturn)
	ts.pumpUntil("the kept variation as the background", func() bool { return ts.doc.Input(fieldBackground) != before })
	got := ts.editor.Image()
	want := ts.resultOf(kept)
	if got.Rect.Size() != want.Rect.Size() || got.NRGBAAt(80, 60) != want.NRGBAAt(80, 60) {
		t.Error("the background is not the variation that was shown")
	}
	ts.editor.Undo()
	ts.pump()
	if ts.doc.Input(fieldBackground) != before {
		t.Error("Ctrl+Z did not bring the original background back")
	}
}
