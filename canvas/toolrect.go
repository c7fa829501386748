package canvas

import (
	"math"

	"fyne.io/fyne/v2"
)

// ToolRect selects a rectangle dragged from corner to corner.
const ToolRect Tool = "rect"

var rectSpec = ToolSpec{
	Tool: ToolRect, Name: "Rectangular marquee", Letter: 'm', Key: "M, Shift+M",
	Tip: "Rectangular marquee (M): drag a rectangle. Shift adds, Alt subtracts.",
	New: func() ToolHandler { return &rectTool{} },
}

// rectTool selects the rectangle its box spans.
type rectTool struct{ boxDrag }

func (t *rectTool) Release(h ToolHost) {
	if a, b, ok := t.finish(h); ok {
		h.Committed(h.Mask().SelectRect(a, b, t.mode, h.SelectionFeather()))
	}
}

func (t *rectTool) Outline(ToolHost) ([]Point, bool) {
	if !t.on {
		return nil, false
	}
	a, b := t.a, t.b
	return []Point{a, {b.X, a.Y}, b, {a.X, b.Y}}, true
}

// boxDrag is a box dragged from corner to corner, what the marquees and
// the object selection share.
type boxDrag struct {
	selection
	a, b Point
}

func (t *boxDrag) Press(h ToolHost, p Point, mod fyne.KeyModifier) {
	t.a, t.b = p, p
	t.begin(h, mod)
}

func (t *boxDrag) Drag(h ToolHost, p Point) {
	if t.on {
		t.b = p
		h.RedrawOutline()
	}
}

func (t *boxDrag) Key(ToolHost, fyne.KeyName) bool { return false }
func (t *boxDrag) Cancel(h ToolHost)               { t.end(h) }

// finish ends the drag and returns its corners; ok is false when there was
// none or it has no area (a click).
func (t *boxDrag) finish(h ToolHost) (a, b Point, ok bool) {
	if !t.end(h) {
		return a, b, false
	}
	a, b = t.a, t.b
	return a, b, math.Abs(a.X-b.X) >= 0.5 && math.Abs(a.Y-b.Y) >= 0.5
}
