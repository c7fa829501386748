package app

import (
	"image"
	"math"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client/clienttest"
)

// TestExpandOnTheLocalEngine: a 3:2 photo expanded to 4:5 around its
// centre; the result has the new shape, the original's pixels (inside the
// overlap band) are unchanged in place, and Ctrl+Z brings the photo back.
func TestExpandOnTheLocalEngine(t *testing.T) {
	ts := newTestStudio(t, "")
	photo := clienttest.Photo(150, 100)
	ts.load("canvas", ts.file("shot.png", clienttest.PNG(photo)))
	ts.load(fieldSubject, ts.file("vase.png", clienttest.PNG(cutout)))
	target, err := expandTarget(image.Pt(150, 100), expandShapes[1].name, "")
	if err != nil || target != image.Pt(150, 188) {
		t.Fatalf("4:5 of 150×100 = %v (%v)", target, err)
	}
	ts.expand(target, framing.Anchor{X: 0.5, Y: 0.5}, 8)
	ts.pumpUntil("the expanded picture", func() bool {
		bg := ts.doc.Input(fieldBackground)
		return bg != nil && bg.Info.Height == 188
	})
	if ts.doc.Input(fieldSubject) != nil || ts.editor.Mask().IsEmpty() || ts.request.generate.Disabled() {
		t.Fatalf("after Expand: subject %v, mask empty %v, reason %q", ts.doc.Input(fieldSubject), ts.editor.Mask().IsEmpty(), ts.request.reason.Text)
	}
	ts.Generate()
	j := ts.waitJobs(1)[0]
	if j.Status != jobs.Done {
		t.Fatalf("%s %q", j.Status, j.Error)
	}
	got := ts.resultOf(j)
	if got.Rect.Size() != target {
		t.Fatalf("result %v, want %v", got.Rect.Size(), target)
	}
	off := image.Pt(0, 44)
	for y := 8; y < 92; y++ { // inside the top and bottom overlap bands
		for x := range 150 {
			if got.NRGBAAt(x+off.X, y+off.Y) != photo.NRGBAAt(x, y) {
				t.Fatalf("original pixel (%d,%d) changed", x, y)
			}
		}
	}
	ts.editor.Undo() // one step: the background and the subject set aside
	if bg := ts.doc.Input(fieldBackground); bg.Name != "shot.png" {
		t.Errorf("Ctrl+Z gave background %q", bg.Name)
	}
	if ts.doc.Input(fieldSubject) == nil {
		t.Error("Ctrl+Z did not bring the subject back with the background")
	}
	ts.editor.Redo()
	if bg := ts.doc.Input(fieldBackground); !strings.Contains(bg.Name, "expanded") || ts.doc.Input(fieldSubject) != nil {
		t.Errorf("Ctrl+Shift+Z gave background %q, subject %v", bg.Name, ts.doc.Input(fieldSubject))
	}
}

// TestExpandIsBilledAsEstimated: Expand on a billing server: the request's
// sizes and its charge are what the estimate said.
func TestExpandIsBilledAsEstimated(t *testing.T) {
	led := newLedger(t)
	ts := newTestStudio(t, led.srv.URL)
	ts.load("canvas", ts.file("shot.jpg", clienttest.JPEG(clienttest.Photo(1800, 1200))))
	for _, res := range []string{resolutionEconomy, resolutionFull} {
		ts.request.resolution.SetSelected(res)
		ts.expand(image.Pt(1800, 2250), framing.Anchor{X: 0.5, Y: 1}, 16) // 4:5, over 2048 px tall
		ts.pumpUntil("the expanded picture", func() bool { return ts.doc.Input(fieldBackground).Info.Height == 2250 })
		plan, err := ts.plan()
		if err != nil {
			t.Fatal(err)
		}
		shown := shownCredits(t, ts.request.estimate.Text)
		before := len(led.all())
		ts.Generate()
		charges := waitCharges(t, ts, led, before+1)[before:]
		if math.Abs(charges[0].credits-shown) > 1e-9 {
			t.Errorf("%s: shown %.2f, billed %.2f", res, shown, charges[0].credits)
		}
		checkSizes(t, "expand "+res, plan, charges)
		ts.editor.Undo() // back to the 2400×1600 photo
		ts.waitJobs(len(ts.queue.jobs))
	}
}
