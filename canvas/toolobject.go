package canvas

import (
	"context"
	"image"
	"math"

	"github.com/zeninpaint/studio/canvas/segment"
)

// ToolObject selects the object inside a dragged box (Photoshop's Object
// Selection): the box's object is segmented off Fyne's goroutine, then its
// mask combines with the mask by the selection's mode, as one undo step.
const ToolObject Tool = "object"

var objectSpec = ToolSpec{
	Tool: ToolObject, Name: "Object selection", Letter: 'w', Key: "W",
	Tip: "Object selection (W): drag a box around a thing to select it; a box inside the last one refines it. Shift adds, Alt subtracts.",
	New: func() ToolHandler { return &objectTool{} },
}

// minObjectBox is the smallest box side, in image pixels, that segments
// (a click selects nothing).
const minObjectBox = 4

// objectTool drags a box like the marquee and segments what it holds.
type objectTool struct {
	boxDrag
	// last is the box of the last selection applied and the position
	// in the mask's history after it: a box inside it, while the mask has not changed since,
	// refines that selection.
	last   image.Rectangle
	lastAt uint64
	// pending is the box being segmented, outlined until its result comes.
	pending image.Rectangle
}

func (t *objectTool) Release(h ToolHost) {
	a, b, ok := t.finish(h)
	img := h.Image()
	if !ok || img == nil {
		return
	}
	box := image.Rect(
		int(math.Floor(min(a.X, b.X))), int(math.Floor(min(a.Y, b.Y))),
		int(math.Ceil(max(a.X, b.X))), int(math.Ceil(max(a.Y, b.Y))),
	).Intersect(img.Rect)
	if box.Dx() < minObjectBox || box.Dy() < minObjectBox {
		return
	}
	mode, feather, m := t.mode, h.SelectionFeather(), h.Mask()
	var prior *image.Gray
	if refine := mode == SelectReplace && box.In(t.last) && box != t.last && m.Position() == t.lastAt; refine {
		prior = m.Gray()
	}
	t.pending = box
	h.RedrawOutline()
	h.Run(func(ctx context.Context, progress func(float64)) func() {
		sel, err := segment.Object(ctx, img, box, segment.Options{Prior: prior, Progress: progress})
		if err != nil {
			return func() { t.dropPending(h) } // the mask stays as it was
		}
		if prior != nil {
			// Refining: the new box's result replaces the last selection
			// inside the box only.
			for y := box.Min.Y; y < box.Max.Y; y++ {
				copy(prior.Pix[prior.PixOffset(box.Min.X, y):][:box.Dx()], sel.Pix[sel.PixOffset(box.Min.X, y):])
			}
			sel = prior
		}
		return func() {
			t.dropPending(h)
			h.Committed(m.SelectGray(sel, mode, feather))
			if prior == nil {
				t.last = box
			}
			t.lastAt = m.Position()
		}
	})
}

// Cancel drops the box being drawn and the one being segmented (the
// editor stops its job).
func (t *objectTool) Cancel(h ToolHost) {
	t.end(h)
	t.dropPending(h)
}

func (t *objectTool) dropPending(h ToolHost) {
	if !t.pending.Empty() {
		t.pending = image.Rectangle{}
		h.RedrawOutline()
	}
}

// Outline is the box being drawn, or else the box being segmented.
func (t *objectTool) Outline(ToolHost) ([]Point, bool) {
	a, b := t.a, t.b
	switch {
	case t.on:
	case !t.pending.Empty():
		a, b = Point{float64(t.pending.Min.X), float64(t.pending.Min.Y)}, Point{float64(t.pending.Max.X), float64(t.pending.Max.Y)}
	default:
		return nil, false
	}
	return []Point{a, {b.X, a.Y}, b, {a.X, b.Y}}, true
}
