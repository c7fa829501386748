package canvas

import (
	"image"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// selGesture is a selection being drawn, in image coordinates.
type selGesture struct {
	tool  Tool
	mode  SelectionMode
	pts   []Point // the lasso's path, the polygon's corners, or the marquee's two corners
	hover Point   // the polygon's rubber band ends here (the pointer)
}

// closeDistance is how near the first corner (in Fyne units) a click
// closes a polygon.
const closeDistance = 6

// SelectionMode returns the mode a selection uses: that of the selection
// being drawn, else Alt held (subtract), else Shift held (add), else the
// mode set with SetSelectionMode.
func (e *Editor) SelectionMode() SelectionMode {
	switch {
	case e.sel != nil:
		return e.sel.mode
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
func (e *Editor) SelectionInProgress() bool { return e.sel != nil }

// CancelSelection drops the selection being drawn, leaving the mask as it
// was (what Esc does).
func (e *Editor) CancelSelection() {
	if e.sel == nil {
		return
	}
	e.sel = nil
	e.requestFrame()
	e.announceMode()
}

// CloseSelection finishes the polygon being drawn, as Enter or a double
// click does; it does nothing for the other tools.
func (e *Editor) CloseSelection() {
	if e.sel != nil && e.sel.tool == ToolPolygon {
		e.finishSelection()
	}
}

func (e *Editor) announceMode() {
	if m := e.SelectionMode(); m != e.lastMode {
		e.lastMode = m
		if e.OnSelectionModeChanged != nil {
			e.OnSelectionModeChanged(m)
		}
	}
}

// modeFor is the mode a selection started with these modifiers uses.
func (e *Editor) modeFor(mod fyne.KeyModifier) SelectionMode {
	switch {
	case mod&fyne.KeyModifierAlt != 0:
		return SelectSubtract
	case mod&fyne.KeyModifierShift != 0:
		return SelectAdd
	}
	return e.selMode
}

// imagePt is ImagePoint as a Point.
func (e *Editor) imagePt(pos fyne.Position) Point {
	x, y := e.ImagePoint(pos)
	return Point{x, y}
}

// selectDown handles a primary press with a selection tool.
func (e *Editor) selectDown(pos fyne.Position, mod fyne.KeyModifier) {
	e.selPress = true
	p := e.imagePt(pos)
	if g := e.sel; g != nil && g.tool == ToolPolygon {
		first, last := g.pts[0], g.pts[len(g.pts)-1]
		switch {
		case len(g.pts) >= 3 && e.unitsBetween(p, first) <= closeDistance:
			e.finishSelection()
		case e.unitsBetween(p, last) > 0.5: // the second press of a double click adds nothing
			g.pts = append(g.pts, p)
			g.hover = p
			e.requestFrame()
		}
		return
	}
	e.sel = &selGesture{tool: e.tool, mode: e.modeFor(mod), pts: []Point{p}, hover: p}
	if e.tool == ToolRect || e.tool == ToolEllipse {
		e.sel.pts = append(e.sel.pts, p)
	}
	e.announceMode()
	e.requestFrame()
}

// unitsBetween is the on-screen distance between two image points in Fyne
// units.
func (e *Editor) unitsBetween(a, b Point) float64 {
	return math.Hypot(a.X-b.X, a.Y-b.Y) * e.view.Zoom / e.scale
}

// selectDrag follows the pointer during a drag with a selection tool.
func (e *Editor) selectDrag(ev *fyne.DragEvent) {
	if e.sel == nil {
		if e.selPress {
			return // cancelled or closed during this press: wait for the next
		}
		// A drag that began without MouseDown (e.g. on touch screens).
		from := fyne.NewPos(ev.Position.X-ev.Dragged.DX, ev.Position.Y-ev.Dragged.DY)
		e.selectDown(from, e.currentModifiers())
	}
	g := e.sel
	p := e.imagePt(ev.Position)
	switch g.tool {
	case ToolLasso:
		if e.unitsBetween(p, g.pts[len(g.pts)-1]) >= 1 {
			g.pts = append(g.pts, p)
		}
	case ToolPolygon:
		g.hover = p
	default:
		g.pts[1] = p
	}
	e.requestFrame()
}

// selectUp ends a lasso or marquee drag (a polygon goes on until it is
// closed).
func (e *Editor) selectUp() {
	e.selPress = false
	if e.sel != nil && e.sel.tool != ToolPolygon {
		e.finishSelection()
	}
}

// selectHover moves the polygon's rubber band with the pointer.
func (e *Editor) selectHover(pos fyne.Position) {
	if e.sel != nil && e.sel.tool == ToolPolygon {
		e.sel.hover = e.imagePt(pos)
		e.requestFrame()
	}
}

// finishSelection writes the selection into the mask (one undo step). A
// lasso of fewer than three points or a marquee without area (a click)
// changes nothing.
func (e *Editor) finishSelection() {
	g := e.sel
	e.sel = nil
	e.requestFrame()
	e.announceMode()
	changed := false
	switch g.tool {
	case ToolLasso, ToolPolygon:
		if len(g.pts) >= 3 {
			changed = e.mask.SelectPolygon(g.pts, g.mode, e.feather)
		}
	case ToolRect, ToolEllipse:
		a, b := g.pts[0], g.pts[1]
		if math.Abs(a.X-b.X) < 0.5 || math.Abs(a.Y-b.Y) < 0.5 {
			return
		}
		if g.tool == ToolRect {
			changed = e.mask.SelectRect(a, b, g.mode, e.feather)
		} else {
			changed = e.mask.SelectEllipse(a, b, g.mode, e.feather)
		}
	}
	e.afterOp(changed)
}

// currentModifiers asks the driver which modifier keys are down.
func (e *Editor) currentModifiers() fyne.KeyModifier {
	if d, ok := fyne.CurrentApp().Driver().(desktop.Driver); ok {
		return d.CurrentKeyModifiers()
	}
	return 0
}

// selectKey handles the keys of the selection tools; it reports whether
// the key was theirs.
func (e *Editor) selectKey(name fyne.KeyName) bool {
	switch name {
	case fyne.KeyEscape:
		e.CancelSelection()
	case fyne.KeyReturn, fyne.KeyEnter:
		e.CloseSelection()
	case fyne.KeyBackspace, fyne.KeyDelete:
		if g := e.sel; g != nil && g.tool == ToolPolygon && len(g.pts) > 1 {
			g.pts = g.pts[:len(g.pts)-1]
			e.requestFrame()
		}
	default:
		return false
	}
	return true
}

// pickGroup handles L and M: the plain letter picks the group's current
// tool, the capital (Shift) switches to the group's other tool.
func (e *Editor) pickGroup(current, a, b Tool, cycle bool) {
	t := current
	if cycle && e.tool.IsSelection() && (e.tool == a || e.tool == b) {
		t = a + b - e.tool
	}
	e.SetTool(t)
}

// outline returns the selection's outline in device pixels, as a polyline
// (closed when closed is true).
func (e *Editor) outline() (pts [][2]float64, closed bool) {
	g := e.sel
	if g == nil {
		return nil, false
	}
	dev := func(p Point) [2]float64 {
		x, y := e.view.ToDevice(p.X, p.Y)
		return [2]float64{x, y}
	}
	switch g.tool {
	case ToolRect:
		a, b := g.pts[0], g.pts[1]
		return [][2]float64{dev(a), dev(Point{b.X, a.Y}), dev(b), dev(Point{a.X, b.Y})}, true
	case ToolEllipse:
		a, b := dev(g.pts[0]), dev(g.pts[1])
		cx, cy, rx, ry := (a[0]+b[0])/2, (a[1]+b[1])/2, math.Abs(b[0]-a[0])/2, math.Abs(b[1]-a[1])/2
		n := int(min(max((rx+ry)*math.Pi/3, 16), 1024))
		for i := range n {
			t := float64(i) * 2 * math.Pi / float64(n)
			pts = append(pts, [2]float64{cx + rx*math.Cos(t), cy + ry*math.Sin(t)})
		}
		return pts, true
	}
	for _, p := range g.pts {
		pts = append(pts, dev(p))
	}
	if g.tool == ToolPolygon {
		pts = append(pts, dev(g.hover))
	}
	return pts, false
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
