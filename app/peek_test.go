package app

import (
	"image"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// pumpUntil pumps the UI until cond holds, bounded by the test's deadline.
func (ts *testStudio) pumpUntil(what string, cond func() bool) {
	ts.t.Helper()
	clienttest.Until(ts.t, what, ts.pump, cond)
}

// resultOf reads and decodes a finished job's final picture.
func (ts *testStudio) resultOf(j jobs.Job) *image.NRGBA {
	ts.t.Helper()
	data, err := ts.conn.manager.Result(j)
	if err != nil {
		ts.t.Fatal(err)
	}
	out, _, err := imagefile.Decode(data, 0)
	if err != nil {
		ts.t.Fatal(err)
	}
	return imagefile.ToNRGBA(out)
}

// TestResultOnTheCanvasAndBack: \ shows the newest result over the
// original at the same zoom, with the mask untouched, and \ again shows
// the original; Generate still sends the original.
func TestResultOnTheCanvasAndBack(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load("canvas", ts.file("room.png", clienttest.PNG(clienttest.Photo(160, 120))))
	ts.paint()
	ts.request.variations.SetSelected("2")
	ts.Generate()
	done := ts.waitJobs(2)
	original := ts.editor.Image()
	mask := ts.editor.Mask().Gray()
	view := ts.editor.View()
	c := ts.win.Canvas()
	test.TypeOnCanvas(c, "\\")
	ts.pumpUntil("the result on the canvas", ts.editor.ShowingPicture)
	if ts.editor.Image() != original || ts.editor.View() != view {
		t.Error("showing the result changed the image painted on or the view")
	}
	if got := ts.editor.Mask().Gray(); string(got.Pix) != string(mask.Pix) {
		t.Error("showing the result changed the mask")
	}
	if !strings.Contains(ts.frame.status.Text, "Showing the result") {
		t.Errorf("status %q", ts.frame.status.Text)
	}
	shown := c.Capture()
	test.TypeOnCanvas(c, "\\")
	if ts.editor.ShowingPicture() {
		t.Fatal("\\ again did not show the original")
	}
	if back := c.Capture(); equalPix(back, shown) {
		t.Error("the canvas looks the same with and without the result")
	}
	// The two variations of the press are offered side by side.
	if v := ts.variations(done[0]); len(v) != 2 {
		t.Errorf("variations of the press: %d, want 2", len(v))
	}
	// Compare shows the same pixels: the original and the result, one size.
	before, after, err := ts.compareImages(done[0])
	if err != nil || before.Rect != after.Rect || before.Rect.Empty() {
		t.Fatalf("compare: %v, %v vs %v", err, before.Rect, after.Rect)
	}
	if done[0].Framing == nil || done[0].Status != jobs.Done {
		t.Fatalf("job %+v", done[0])
	}
	box := done[0].Framing.Box
	if before.Rect.Dx() < box[2]-box[0] {
		t.Errorf("the compare area %v is smaller than the framed box %v", before.Rect, box)
	}
}

func equalPix(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
