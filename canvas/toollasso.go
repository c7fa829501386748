package canvas

import "fyne.io/fyne/v2"

// ToolLasso selects a freehand outline, closed when the button is released.
const ToolLasso Tool = "lasso"

var lassoSpec = ToolSpec{
	Tool: ToolLasso, Name: "Lasso", Letter: 'l', Key: "L, Shift+L",
	Tip: "Lasso (L): drag around an area. Shift adds, Alt subtracts.",
	New: func() ToolHandler { return &lassoTool{} },
}

// lassoTool follows the pointer's path while the button is held.
type lassoTool struct {
	selection
	pts []Point
}

func (t *lassoTool) Press(h ToolHost, p Point, mod fyne.KeyModifier) {
	t.pts = []Point{p}
	t.begin(h, mod)
}

func (t *lassoTool) Drag(h ToolHost, p Point) {
	if !t.on {
		return // cancelled during this press: wait for the next
	}
	if h.UnitsBetween(p, t.pts[len(t.pts)-1]) >= 1 {
		t.pts = append(t.pts, p)
	}
	h.RedrawOutline()
}

// Release selects the inside of the path (fewer than three points select
// nothing).
func (t *lassoTool) Release(h ToolHost) {
	if !t.end(h) {
		return
	}
	if len(t.pts) >= 3 {
		h.Committed(h.Mask().SelectPolygon(t.pts, t.mode, h.SelectionFeather()))
	}
}

func (t *lassoTool) Key(h ToolHost, k fyne.KeyName) bool { return false }
func (t *lassoTool) Cancel(h ToolHost)                   { t.end(h) }

func (t *lassoTool) Outline(ToolHost) ([]Point, bool) {
	if !t.on {
		return nil, false
	}
	return t.pts, false
}
