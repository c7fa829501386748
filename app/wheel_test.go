package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/client/clienttest"
)

// scrollTargetAt is what Fyne's desktop driver gives a turn of the wheel
// at pos: the last visible fyne.Scrollable met under pos walking the
// window's tree in drawing order (the deepest, topmost), within the clip
// of the scrolls around it.
func scrollTargetAt(root fyne.CanvasObject, pos fyne.Position) fyne.Scrollable {
	var found fyne.Scrollable
	var walk func(o fyne.CanvasObject, at fyne.Position, clipMin, clipMax fyne.Position)
	walk = func(o fyne.CanvasObject, at fyne.Position, clipMin, clipMax fyne.Position) {
		if o == nil || !o.Visible() {
			return
		}
		at = at.Add(o.Position())
		end := at.Add(o.Size())
		if _, ok := o.(*container.Scroll); ok {
			clipMin = fyne.NewPos(max(clipMin.X, at.X), max(clipMin.Y, at.Y))
			clipMax = fyne.NewPos(min(clipMax.X, end.X), min(clipMax.Y, end.Y))
		}
		inside := pos.X >= at.X && pos.Y >= at.Y && pos.X < end.X && pos.Y < end.Y &&
			pos.X >= clipMin.X && pos.Y >= clipMin.Y && pos.X < clipMax.X && pos.Y < clipMax.Y
		if !inside {
			return
		}
		if s, ok := o.(fyne.Scrollable); ok {
			found = s
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, ch := range c.Objects {
				walk(ch, at, clipMin, clipMax)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			if r := test.WidgetRenderer(w); r != nil {
				for _, ch := range r.Objects() {
					walk(ch, at, clipMin, clipMax)
				}
			}
		}
	}
	walk(root, fyne.Position{}, fyne.Position{}, fyne.NewPos(1e6, 1e6))
	return found
}

// TestTheWheelScrollsTheSidePanelAnywhere: at 1024×700, where the prompt
// and settings scroll, a turn of the wheel over the prompt, a field or a
// drop-down scrolls the panel; and a long prompt grows rather than
// scrolling inside itself.
func TestTheWheelScrollsTheSidePanelAnywhere(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.win.Resize(fyne.NewSize(1024, 700))
	ts.load(onCanvas, ts.file("room.jpg", clienttest.JPEG(clienttest.Photo(300, 200))))
	ts.load(fieldSubject, ts.file("bottle.png", clienttest.PNG(cutout)))
	ts.pump()
	g := ts.request
	if g.scroll.Content.MinSize().Height <= g.scroll.Size().Height {
		t.Fatalf("the panel does not scroll at 1024×700 (%v in %v): nothing to test", g.scroll.Content.MinSize(), g.scroll.Size())
	}
	d := fyne.CurrentApp().Driver()
	for _, o := range []fyne.CanvasObject{g.prompt, g.negative, g.seed, g.variations} {
		g.scroll.ScrollToTop()
		pos := d.AbsolutePositionForObject(o).Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2))
		target := scrollTargetAt(ts.win.Canvas().Content(), pos)
		if target == nil {
			t.Fatalf("nothing takes the wheel over the %T", o)
		}
		target.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{AbsolutePosition: pos}, Scrolled: fyne.NewDelta(0, -60)})
		if g.scroll.Offset.Y <= 0 {
			t.Errorf("the wheel over the %T went to a %T: the panel did not scroll", o, target)
		}
	}
	rows := g.prompt.MinSize().Height
	g.prompt.SetText(strings.Repeat("a ceramic vase on an oak table in soft morning light, ", 6))
	if g.prompt.MinSize().Height <= rows {
		t.Errorf("a six-line prompt kept the prompt at %.0f px", g.prompt.MinSize().Height)
	}
	// However long, the prompt shows all its text: it never scrolls inside
	// itself, where the wheel would not reach.
	for _, text := range []string{
		strings.Repeat("a ceramic vase on an oak table in soft morning light, ", 25),
		strings.Repeat("line\n", 30),
	} {
		g.prompt.SetText(text)
		ts.pump()
		need := widget.NewLabel(text)
		need.Wrapping = fyne.TextWrapWord
		need.Resize(fyne.NewSize(g.prompt.Size().Width-2*theme.Padding(), 1))
		if got, want := g.prompt.MinSize().Height, need.MinSize().Height; got < want {
			t.Errorf("a prompt of %d characters is %.0f px tall; its text needs %.0f", len(text), got, want)
		}
	}
}
