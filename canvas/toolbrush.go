package canvas

import "fyne.io/fyne/v2"

// ToolBrush paints where the picture may change.
const ToolBrush Tool = "brush"

var brushSpec = ToolSpec{
	Tool: ToolBrush, Name: "Brush", Letter: 'b', Key: "B",
	Tip: "Brush (B): paint where the picture may change. [ and ] change the size.",
	New: func() ToolHandler { return &brushTool{paintTool{swap: ToolEraser}} },
}

// brushTool paints a stroke of round dabs.
type brushTool struct{ paintTool }

// paintTool is what the brush and the eraser share: a stroke of round dabs
// along the pointer, one undo step; with erase set it takes paint away.
type paintTool struct {
	erase bool
	swap  Tool // the tool X swaps to
}

func (t *paintTool) Press(h ToolHost, p Point, _ fyne.KeyModifier) {
	b := h.Brush()
	b.Erase = t.erase
	h.Invalidate(h.Mask().BeginStroke(b, p.X, p.Y))
}

func (t *paintTool) Drag(h ToolHost, p Point) {
	if !h.Mask().InStroke() {
		t.Press(h, p, 0)
	}
	h.Invalidate(h.Mask().StrokeTo(p.X, p.Y))
}

func (t *paintTool) Release(h ToolHost) {
	if m := h.Mask(); m.InStroke() && m.EndStroke() {
		h.Stroked()
	}
}

func (t *paintTool) Hover(ToolHost, Point)            {}
func (t *paintTool) Key(ToolHost, fyne.KeyName) bool  { return false }
func (t *paintTool) Cancel(ToolHost)                  {}
func (t *paintTool) Drawing() (SelectionMode, bool)   { return 0, false }
func (t *paintTool) Outline(ToolHost) ([]Point, bool) { return nil, false }
func (t *paintTool) Options() ToolOptions             { return OptBrush }

func (t *paintTool) Cursor() ToolCursor {
	if t.erase {
		return CursorEraser
	}
	return CursorBrush
}

// Rune swaps brush and eraser on X.
func (t *paintTool) Rune(h ToolHost, r rune) bool {
	if r != 'x' && r != 'X' {
		return false
	}
	h.PickTool(t.swap)
	return true
}
