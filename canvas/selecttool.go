package canvas

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// SelectionMode returns the mode a selection uses: that of the selection
// being drawn, else Alt held (subtract), else Shift held (add), else the
// mode set with SetSelectionMode.
func (e *Editor) SelectionMode() SelectionMode {
	if m, ok := e.tb.handler.Drawing(); ok {
		return m
	}
	switch {
	case e.altHeld:
		return SelectSubtract
	case e.shiftHeld:
		return SelectAdd
	}
	return e.selMode
}

// SetSelectionMode sets the mode of selections made without Shift or Alt
// (a bar's Replace / Add / Subtract buttons).
func (e *Editor) SetSelectionMode(m SelectionMode) {
	e.selMode = m
	e.announceMode()
}

// SelectionFeather returns the feather of new selections, in image pixels.
func (e *Editor) SelectionFeather() int { return e.feather }

// SetSelectionFeather sets how many image pixels new selections' edges are
// softened by (0, the default, gives hard edges; at most
// MaxSelectionFeather). It applies to the selection tools only; the Feather
// operation still softens the whole mask.
func (e *Editor) SetSelectionFeather(px int) { e.feather = min(max(px, 0), MaxSelectionFeather) }

// SelectionInProgress reports whether a selection is being drawn (its
// outline is on screen).
func (e *Editor) SelectionInProgress() bool {
	_, ok := e.tb.handler.Drawing()
	return ok
}

// CancelSelection drops the selection being drawn, and an object selection
// being computed, leaving the mask as it was (what Esc does).
func (e *Editor) CancelSelection() {
	e.job.stop()
	e.tb.handler.Cancel(e.host())
}

// CloseSelection finishes the polygon being drawn, as Enter or a double
// click does; it does nothing for the other tools.
func (e *Editor) CloseSelection() { e.tb.handler.Key(e.host(), fyne.KeyReturn) }

func (e *Editor) announceMode() {
	if m := e.SelectionMode(); m != e.lastMode {
		e.lastMode = m
		if e.OnSelectionModeChanged != nil {
			e.OnSelectionModeChanged(m)
		}
	}
}

// modeFor is the mode a selection started with these modifiers uses.
func (e *Editor) modeFor(mod fyne.KeyModifier) SelectionMode { return modeWith(mod, e.selMode) }

// modeWith is the mode a selection uses with these modifiers held: Alt
// subtracts, Shift adds, otherwise the chosen mode.
func modeWith(mod fyne.KeyModifier, chosen SelectionMode) SelectionMode {
	switch {
	case mod&fyne.KeyModifierAlt != 0:
		return SelectSubtract
	case mod&fyne.KeyModifierShift != 0:
		return SelectAdd
	}
	return chosen
}

// imagePt is ImagePoint as a Point.
func (e *Editor) imagePt(pos fyne.Position) Point {
	x, y := e.ImagePoint(pos)
	return Point{x, y}
}

// unitsBetween is the on-screen distance between two image points in Fyne
// units.
func (e *Editor) unitsBetween(a, b Point) float64 {
	return math.Hypot(a.X-b.X, a.Y-b.Y) * e.view.Zoom / e.scale
}

// currentModifiers asks the driver which modifier keys are down.
func (e *Editor) currentModifiers() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// outline returns the selection's outline in device pixels, as a polyline
// (closed when closed is true).
func (e *Editor) outline() (pts [][2]float64, closed bool) {
	img, closed := e.tb.handler.Outline(e.host())
	for _, p := range img {
		x, y := e.view.ToDevice(p.X, p.Y)
		pts = append(pts, [2]float64{x, y})
	}
	return pts, closed
}

// drawOutline draws the selection's outline over img, dashed black and
// white so it shows on any picture, and returns the rectangle it covers.
func (e *Editor) drawOutline(img *image.RGBA) image.Rectangle {
	pts, closed := e.outline()
	if len(pts) == 0 {
		return image.Rectangle{}
	}
	if closed {
		pts = append(pts, pts[0])
	}
	var box image.Rectangle
	walked := 0
	for i := 1; i < len(pts); i++ {
		box = box.Union(drawDashed(img, pts[i-1], pts[i], &walked))
	}
	if len(pts) == 1 {
		box = drawDashed(img, pts[0], pts[0], &walked)
	}
	return box
}

// drawDashed draws the segment a–b, one device pixel wide, in dashes of 4
// pixels that continue from walked, and returns the rectangle it covers.
func drawDashed(img *image.RGBA, a, b [2]float64, walked *int) image.Rectangle {
	r := img.Rect
	// Clip the segment to the image (plus a pixel) so that a segment far off
	// screen at a high zoom costs nothing.
	t0, t1 := 0.0, 1.0
	dx, dy := b[0]-a[0], b[1]-a[1]
	for _, c := range [4][2]float64{{-dx, a[0] - float64(r.Min.X-1)}, {dx, float64(r.Max.X+1) - a[0]}, {-dy, a[1] - float64(r.Min.Y-1)}, {dy, float64(r.Max.Y+1) - a[1]}} {
		p, q := c[0], c[1]
		switch {
		case p == 0 && q < 0:
			return image.Rectangle{}
		case p < 0:
			t0 = max(t0, q/p)
		case p > 0:
			t1 = min(t1, q/p)
		}
	}
	if t0 > t1 {
		return image.Rectangle{}
	}
	x0, y0 := a[0]+t0*dx, a[1]+t0*dy
	steps := int(math.Ceil(max(math.Abs(dx), math.Abs(dy)) * (t1 - t0)))
	var box image.Rectangle
	for i := 0; i <= steps; i++ {
		f := 0.0
		if steps > 0 {
			f = float64(i) / float64(steps) * (t1 - t0)
		}
		x, y := int(math.Floor(x0+f*dx)), int(math.Floor(y0+f*dy))
		if !image.Pt(x, y).In(r) {
			continue
		}
		v := uint8(0)
		if (*walked/4)%2 == 1 {
			v = 255
		}
		*walked++
		o := img.PixOffset(x, y)
		img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = v, v, v, 255
		box = box.Union(image.Rect(x, y, x+1, y+1))
	}
	return box
}
