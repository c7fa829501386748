package canvas

import "fyne.io/fyne/v2"

// ToolPolygon selects a polygon: a click per corner, straight sides.
const ToolPolygon Tool = "polygon"

var polygonSpec = ToolSpec{
	Tool: ToolPolygon, Name: "Polygonal lasso", Letter: 'l', Key: "L, Shift+L",
	Tip: "Polygonal lasso (Shift+L): click each corner; Enter or a double click closes, Esc cancels.",
	New: func() ToolHandler { return &polygonTool{} },
}

// closeDistance is how near the first corner (in Fyne units) a click
// closes a polygon.
const closeDistance = 6

// polygonTool adds a corner per click and a rubber band to the pointer;
// a click on the first corner, Enter or a double click closes it.
type polygonTool struct {
	selection
	pts   []Point
	hover Point // the rubber band ends here (the pointer)
}

func (t *polygonTool) Press(h ToolHost, p Point, mod fyne.KeyModifier) {
	if !t.on {
		t.pts, t.hover = []Point{p}, p
		t.begin(h, mod)
		return
	}
	first, last := t.pts[0], t.pts[len(t.pts)-1]
	switch {
	case len(t.pts) >= 3 && h.UnitsBetween(p, first) <= closeDistance:
		t.finish(h)
	case h.UnitsBetween(p, last) > 0.5: // the second press of a double click adds nothing
		t.pts = append(t.pts, p)
		t.hover = p
		h.RedrawOutline()
	}
}

func (t *polygonTool) Drag(h ToolHost, p Point) { t.Hover(h, p) }

// Release does nothing: the polygon goes on until it is closed.
func (t *polygonTool) Release(ToolHost) {}

func (t *polygonTool) Hover(h ToolHost, p Point) {
	if t.on {
		t.hover = p
		h.RedrawOutline()
	}
}

// Key closes the polygon on Enter and drops its last corner on Backspace
// or Delete.
func (t *polygonTool) Key(h ToolHost, k fyne.KeyName) bool {
	switch k {
	case fyne.KeyReturn, fyne.KeyEnter:
		if t.on {
			t.finish(h)
		}
	case fyne.KeyBackspace, fyne.KeyDelete:
		if t.on && len(t.pts) > 1 {
			t.pts = t.pts[:len(t.pts)-1]
			h.RedrawOutline()
		}
	default:
		return false
	}
	return true
}

func (t *polygonTool) Cancel(h ToolHost) { t.end(h) }

// finish selects the polygon's inside (fewer than three corners select
// nothing).
func (t *polygonTool) finish(h ToolHost) {
	if t.end(h) && len(t.pts) >= 3 {
		h.Committed(h.Mask().SelectPolygon(t.pts, t.mode, h.SelectionFeather()))
	}
}

func (t *polygonTool) Outline(ToolHost) ([]Point, bool) {
	if !t.on {
		return nil, false
	}
	return append(t.pts[:len(t.pts):len(t.pts)], t.hover), false
}
