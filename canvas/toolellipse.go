package canvas

import "math"

// ToolEllipse selects the ellipse inscribed in a dragged box.
const ToolEllipse Tool = "ellipse"

var ellipseSpec = ToolSpec{
	Tool: ToolEllipse, Name: "Elliptical marquee", Letter: 'm', Key: "M, Shift+M",
	Tip: "Elliptical marquee (Shift+M): drag an ellipse. Shift adds, Alt subtracts.",
	New: func() ToolHandler { return &ellipseTool{} },
}

// ellipseTool selects the ellipse inscribed in its box.
type ellipseTool struct{ boxDrag }

func (t *ellipseTool) Release(h ToolHost) {
	if a, b, ok := t.finish(h); ok {
		h.Committed(h.Mask().SelectEllipse(a, b, t.mode, h.SelectionFeather()))
	}
}

// Outline is the ellipse as a polygon fine enough on screen.
func (t *ellipseTool) Outline(h ToolHost) ([]Point, bool) {
	if !t.on {
		return nil, false
	}
	cx, cy := (t.a.X+t.b.X)/2, (t.a.Y+t.b.Y)/2
	rx, ry := math.Abs(t.b.X-t.a.X)/2, math.Abs(t.b.Y-t.a.Y)/2
	z := h.DevicePerImage()
	n := int(min(max((rx+ry)*z*math.Pi/3, 16), 1024))
	pts := make([]Point, n)
	for i := range n {
		a := float64(i) * 2 * math.Pi / float64(n)
		pts[i] = Point{cx + rx*math.Cos(a), cy + ry*math.Sin(a)}
	}
	return pts, true
}
