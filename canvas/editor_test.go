package canvas

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/client/clienttest"
)

// newTestEditor shows a 200×150 photo in a 400×300 editor at the given
// canvas scale, and draws one frame so the editor knows its device size.
func newTestEditor(t *testing.T, scale float32) (*Editor, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	e := NewEditor()
	w := test.NewTempWindow(t, e)
	w.SetPadded(false)
	w.Canvas().(test.WindowlessCanvas).SetScale(scale)
	w.Resize(fyne.NewSize(400, 300))
	e.SetImage(clienttest.Photo(200, 150))
	w.Canvas().Capture()
	return e, w
}

// drag sends what the desktop driver sends for a primary-button drag from
// one point to another: MouseDown, Dragged events along the way with the
// current position, DragEnd, MouseUp.
func drag(e *Editor, from fyne.Position, dx, dy float32) {
	e.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	const steps = 4
	for i := 1; i <= steps; i++ {
		pos := fyne.NewPos(from.X+dx*float32(i)/steps, from.Y+dy*float32(i)/steps)
		e.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: pos}, Dragged: fyne.NewDelta(dx/steps, dy/steps)})
	}
	e.DragEnd()
	e.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(from.X+dx, from.Y+dy)}, Button: desktop.MouseButtonPrimary})
}

func exportedMask(t *testing.T, e *Editor) *image.Gray {
	t.Helper()
	data, err := e.MaskPNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := img.(*image.Gray)
	if !ok {
		t.Fatalf("exported mask is %T, want 8-bit grayscale", img)
	}
	return g
}

func TestDragPaintsAndEraserClears(t *testing.T) {
	for _, scale := range []float32{1, 2} {
		e, _ := newTestEditor(t, scale)
		if got := e.Zoom(); math.Abs(got-2*float64(scale)) > 1e-9 {
			t.Fatalf("scale %v: fit zoom %v, want %v", scale, got, 2*scale)
		}
		changes := 0
		e.OnMaskChanged = func() { changes++ }
		e.SetBrush(Brush{Size: 10, Hardness: 1})
		// 100 units right from (50,50): image (25,25) to (75,25).
		drag(e, fyne.NewPos(50, 50), 100, 0)
		g := exportedMask(t, e)
		if g.Rect != image.Rect(0, 0, 200, 150) {
			t.Fatalf("mask size %v, want the image's", g.Rect)
		}
		for x := 25; x < 75; x++ {
			if g.GrayAt(x, 25).Y != 255 {
				t.Fatalf("scale %v: (%d,25) not painted", scale, x)
			}
		}
		if g.GrayAt(25, 40).Y != 0 || g.GrayAt(90, 25).Y != 0 {
			t.Errorf("scale %v: paint outside the stroke", scale)
		}
		if soft := count(g, func(v uint8) bool { return v != 0 && v != 255 }); soft != 0 {
			t.Errorf("%d grey pixels at hardness 100 %%", soft)
		}
		if changes != 1 {
			t.Errorf("%d change events for one stroke", changes)
		}
		e.TypedRune('e')
		drag(e, fyne.NewPos(50, 50), 100, 0)
		if g := exportedMask(t, e); count(g, func(v uint8) bool { return v != 0 }) != 0 {
			t.Errorf("scale %v: the eraser left paint", scale)
		}
	}
}

func TestShortcutsUndoRedoToIdenticalBytes(t *testing.T) {
	e, _ := newTestEditor(t, 1)
	empty, _ := e.MaskPNG()
	drag(e, fyne.NewPos(100, 100), 60, 30)
	painted, _ := e.MaskPNG()
	mod := fyne.KeyModifierShortcutDefault
	steps := []struct {
		s    fyne.Shortcut
		want []byte
	}{
		{&fyne.ShortcutUndo{}, empty},
		{&fyne.ShortcutRedo{}, painted},
		{&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod}, empty},
		{&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod | fyne.KeyModifierShift}, painted},
	}
	for i, s := range steps {
		if cs, ok := s.s.(*desktop.CustomShortcut); ok && cs.Modifier == mod {
			s.s = &fyne.ShortcutUndo{} // what the driver sends for Ctrl+Z
		}
		e.TypedShortcut(s.s)
		got, _ := e.MaskPNG()
		if !bytes.Equal(got, s.want) {
			t.Fatalf("step %d (%s): mask bytes differ", i, s.s.ShortcutName())
		}
	}
}

func TestScrollZoomsAroundThePointer(t *testing.T) {
	e, _ := newTestEditor(t, 2)
	pos := fyne.NewPos(130, 70)
	x0, y0 := e.ImagePoint(pos)
	zooms := []float64{}
	e.OnViewChanged = func(z float64) { zooms = append(zooms, z) }
	e.Scrolled(&fyne.ScrollEvent{PointEvent: fyne.PointEvent{Position: pos}, Scrolled: fyne.NewDelta(0, 25)})
	x1, y1 := e.ImagePoint(pos)
	if math.Abs(x0-x1) > 1e-9 || math.Abs(y0-y1) > 1e-9 {
		t.Errorf("the point under the pointer moved from (%v,%v) to (%v,%v)", x0, y0, x1, y1)
	}
	if len(zooms) != 1 || math.Abs(zooms[0]-4*zoomPerNotch) > 1e-9 {
		t.Errorf("zoom events %v, want one at %v", zooms, 4*zoomPerNotch)
	}
	e.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: fyne.KeyModifierShortcutDefault})
	if e.Zoom() != 1 {
		t.Errorf("Ctrl+1 gave zoom %v", e.Zoom())
	}
	e.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: fyne.KeyModifierShortcutDefault})
	if e.Zoom() != 4 {
		t.Errorf("Ctrl+0 gave zoom %v, want the fit (4 at scale 2)", e.Zoom())
	}
}

func TestSpaceDragPans(t *testing.T) {
	e, _ := newTestEditor(t, 1)
	x0, _ := e.ImagePoint(fyne.NewPos(0, 0))
	e.KeyDown(&fyne.KeyEvent{Name: fyne.KeySpace})
	drag(e, fyne.NewPos(100, 100), 40, 0)
	e.KeyUp(&fyne.KeyEvent{Name: fyne.KeySpace})
	x1, _ := e.ImagePoint(fyne.NewPos(0, 0))
	if math.Abs((x0-x1)-20) > 1e-9 { // 40 units at zoom 2 = 20 image pixels
		t.Errorf("pan moved the view by %v image pixels, want 20", x0-x1)
	}
	if !e.Mask().IsEmpty() {
		t.Error("a pan painted")
	}
}

func TestKeysChangeToolAndSize(t *testing.T) {
	e, _ := newTestEditor(t, 1)
	var events int
	e.OnToolChanged = func(Tool, Brush) { events++ }
	start := e.Brush().Size
	cases := []struct {
		r        rune
		tool     Tool
		sizeSign int
	}{
		{'e', ToolEraser, 0}, {'b', ToolBrush, 0}, {'x', ToolEraser, 0}, {'x', ToolBrush, 0}, {']', ToolBrush, 1}, {'[', ToolBrush, 0},
	}
	for _, tc := range cases {
		e.TypedRune(tc.r)
		if e.Tool() != tc.tool {
			t.Errorf("after %q: tool %v, want %v", tc.r, e.Tool(), tc.tool)
		}
		if got := e.Brush().Size - start; (tc.sizeSign > 0) != (got > 0) {
			t.Errorf("after %q: size %v (started at %v)", tc.r, e.Brush().Size, start)
		}
	}
	if events != len(cases) {
		t.Errorf("%d tool events, want %d", events, len(cases))
	}
	for range 100 {
		e.TypedRune('[')
	}
	if e.Brush().Size != MinBrushSize {
		t.Errorf("size bottoms out at %v", e.Brush().Size)
	}
}

func TestMaskAloneAndImportWithoutImage(t *testing.T) {
	test.NewTempApp(t)
	e := NewEditor()
	if _, err := e.MaskPNG(); err != ErrNoImage {
		t.Errorf("export with no image: %v", err)
	}
	if _, err := e.ImportMask(image.NewGray(image.Rect(0, 0, 2, 2))); err != ErrNoImage {
		t.Errorf("import with no image: %v", err)
	}
}

func TestRendersOverlay(t *testing.T) {
	e, w := newTestEditor(t, 1)
	e.SetBrush(Brush{Size: 30, Hardness: 0.6})
	drag(e, fyne.NewPos(80, 120), 220, 40)
	e.ZoomAt(1.5, fyne.NewPos(200, 150))
	test.AssertRendersToImage(t, "editor_overlay.png", w.Canvas())
	e.SetOverlay(Overlay{Color: DefaultOverlay.Color, Opacity: 0.5, MaskAlone: true})
	test.AssertRendersToImage(t, "editor_mask_alone.png", w.Canvas())
}
