package canvas

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// screenMap converts between image points and widget positions for a view
// and a canvas scale, written out independently of the editor's own
// mapping so that the test checks it.
type screenMap struct {
	v     View
	scale float64
}

func (s screenMap) pos(p Point) fyne.Position {
	return fyne.NewPos(float32((p.X-s.v.OriginX)*s.v.Zoom/s.scale), float32((p.Y-s.v.OriginY)*s.v.Zoom/s.scale))
}

func (s screenMap) point(pos fyne.Position) Point {
	return Point{s.v.OriginX + float64(pos.X)*s.scale/s.v.Zoom, s.v.OriginY + float64(pos.Y)*s.scale/s.v.Zoom}
}

func press(e *Editor, pos fyne.Position, mod fyne.KeyModifier) {
	e.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Button: desktop.MouseButtonPrimary, Modifier: mod})
}

func release(e *Editor, pos fyne.Position) {
	e.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Button: desktop.MouseButtonPrimary})
}

// dragSel drags with the primary button from one position to another,
// through a few points, as the desktop driver reports it.
func dragSel(e *Editor, from, to fyne.Position, mod fyne.KeyModifier) {
	press(e, from, mod)
	moveTo(e, from, to)
	e.DragEnd()
	release(e, to)
}

func moveTo(e *Editor, from, to fyne.Position) {
	const steps = 5
	prev := from
	for i := 1; i <= steps; i++ {
		p := fyne.NewPos(from.X+(to.X-from.X)*float32(i)/steps, from.Y+(to.Y-from.Y)*float32(i)/steps)
		e.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}, Dragged: fyne.NewDelta(p.X-prev.X, p.Y-prev.Y)})
		prev = p
	}
}

func typeKey(w fyne.Window, name fyne.KeyName) {
	w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: name})
}

// views are the zooms and pans the selection tests run at: the fit at
// canvas scale 1 and 2, zoomed in, and zoomed out with the image off-centre.
var testViews = []struct {
	name  string
	scale float32
	view  func(e *Editor) View
}{
	{"fit ×1", 1, func(e *Editor) View { return e.View() }},
	{"fit ×2", 2, func(e *Editor) View { return e.View() }},
	{"zoom 3.7 panned ×1", 1, func(*Editor) View { return View{Zoom: 3.7, OriginX: 41.3, OriginY: 22.9} }},
	{"zoom 0.83 panned ×2", 2, func(*Editor) View { return View{Zoom: 0.83, OriginX: -37.1, OriginY: 12.6} }},
}

// TestSelectionToolsMatchTheReference draws a star with the polygonal lasso
// and an ellipse with the elliptical marquee through the widget, at several
// zooms and pans, and compares every pixel of the mask with a point in
// polygon / ellipse equation reference computed from where the clicks land
// in the image.
func TestSelectionToolsMatchTheReference(t *testing.T) {
	for _, tv := range testViews {
		t.Run(tv.name, func(t *testing.T) {
			e, w := newTestEditor(t, tv.scale)
			e.setView(tv.view(e))
			sm := screenMap{e.View(), float64(tv.scale)}

			test.Type(e, "LL") // the lasso, then the polygonal lasso
			if e.Tool() != ToolPolygon {
				t.Fatalf("L L gave %v", e.Tool())
			}
			var corners []Point
			for _, p := range star(97.3, 71.9, 69.2) {
				pos := sm.pos(p)
				press(e, pos, 0)
				release(e, pos)
				corners = append(corners, sm.point(pos))
			}
			typeKey(w, fyne.KeyReturn)
			if e.SelectionInProgress() {
				t.Fatal("Enter did not close the polygon")
			}
			checkAgainst(t, e.Mask(), func(p Point) bool { return windingNumber(corners, p) != 0 })

			test.Type(e, "MM") // the rectangle, then the ellipse
			if e.Tool() != ToolEllipse {
				t.Fatalf("M M gave %v", e.Tool())
			}
			from, to := sm.pos(Point{160.7, 12.2}), sm.pos(Point{21.4, 131.3})
			dragSel(e, from, to, 0)
			a, b := sm.point(from), sm.point(to)
			checkAgainst(t, e.Mask(), func(p Point) bool { return inEllipse(a, b, p) })
			if e.Mask().UndoSteps() != 2 {
				t.Errorf("%d undo steps for two selections", e.Mask().UndoSteps())
			}
		})
	}
}

func TestSelectionModesThroughTheWidget(t *testing.T) {
	e, w := newTestEditor(t, 1)
	sm := screenMap{e.View(), 1}
	var modes []SelectionMode
	e.OnSelectionModeChanged = func(m SelectionMode) { modes = append(modes, m) }
	changes := 0
	e.OnMaskChanged = func() { changes++ }
	test.Type(e, "m")
	rect := func(x0, y0, x1, y1 int) func(x, y int) bool {
		return func(x, y int) bool { return x >= x0 && x < x1 && y >= y0 && y < y1 }
	}
	a, b, c := rect(20, 20, 100, 80), rect(60, 40, 150, 120), rect(10, 100, 30, 140)
	cases := []struct {
		name string
		mod  fyne.KeyModifier
		r    [4]int
		want func(x, y int) bool
	}{
		{"a plain drag replaces", 0, [4]int{20, 20, 100, 80}, a},
		{"another plain drag replaces", 0, [4]int{60, 40, 150, 120}, b},
		{"Shift adds", fyne.KeyModifierShift, [4]int{20, 20, 100, 80}, func(x, y int) bool { return a(x, y) || b(x, y) }},
		{"Alt subtracts", fyne.KeyModifierAlt, [4]int{60, 40, 150, 120}, func(x, y int) bool { return a(x, y) && !b(x, y) }},
		{"Shift adds again", fyne.KeyModifierShift, [4]int{10, 100, 30, 140}, func(x, y int) bool { return a(x, y) && !b(x, y) || c(x, y) }},
	}
	for i, tc := range cases {
		// Corners on pixel edges: the selection is exactly those pixels.
		dragSel(e, sm.pos(Point{float64(tc.r[0]), float64(tc.r[1])}), sm.pos(Point{float64(tc.r[2]), float64(tc.r[3])}), tc.mod)
		for y := range 150 {
			for x := range 200 {
				if got := e.Mask().At(x, y) == 255; got != tc.want(x, y) {
					t.Fatalf("%s: (%d,%d) selected %v", tc.name, x, y, got)
				}
			}
		}
		if changes != i+1 || e.Mask().UndoSteps() != i+1 {
			t.Fatalf("%s: %d change events and %d undo steps after %d selections", tc.name, changes, e.Mask().UndoSteps(), i+1)
		}
	}
	before := bytes.Clone(e.Mask().Gray().Pix)
	e.TypedShortcut(&fyne.ShortcutUndo{})
	e.TypedShortcut(&fyne.ShortcutRedo{})
	if !bytes.Equal(e.Mask().Gray().Pix, before) {
		t.Error("undo then redo of a selection changed the mask")
	}
	// Held keys show in the mode before a drag.
	modes = nil
	e.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	shift := e.SelectionMode()
	e.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	e.KeyDown(&fyne.KeyEvent{Name: desktop.KeyAltRight})
	alt := e.SelectionMode()
	e.KeyUp(&fyne.KeyEvent{Name: desktop.KeyAltRight})
	e.SetSelectionMode(SelectAdd)
	want := []SelectionMode{SelectAdd, SelectReplace, SelectSubtract, SelectReplace, SelectAdd}
	if shift != SelectAdd || alt != SelectSubtract || !equalModes(modes, want) {
		t.Errorf("modes: Shift %v, Alt %v, events %v, want %v", shift, alt, modes, want)
	}
	// With Add chosen in a bar, a plain drag adds.
	dragSel(e, sm.pos(Point{150, 10}), sm.pos(Point{190, 30}), 0)
	if e.Mask().At(160, 20) != 255 || e.Mask().At(25, 25) != 255 {
		t.Error("a plain drag in Add mode did not add")
	}
	_ = w
}

func equalModes(a, b []SelectionMode) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSelectionKeys(t *testing.T) {
	e, w := newTestEditor(t, 1)
	var events []Tool
	e.OnToolChanged = func(tool Tool, _ Brush) { events = append(events, tool) }
	cases := []struct {
		keys string
		want Tool
	}{
		{"l", ToolLasso}, {"L", ToolPolygon}, {"L", ToolLasso}, {"L", ToolPolygon},
		{"l", ToolPolygon}, // L goes back to the lasso group's last tool
		{"m", ToolRect}, {"M", ToolEllipse}, {"M", ToolRect}, {"M", ToolEllipse},
		{"L", ToolPolygon}, // Shift+L from another group picks that group's tool
		{"m", ToolEllipse}, {"e", ToolEraser}, {"x", ToolBrush}, {"b", ToolBrush},
	}
	for _, tc := range cases {
		test.Type(e, tc.keys)
		if e.Tool() != tc.want {
			t.Fatalf("after %q: %v, want %v", tc.keys, e.Tool(), tc.want)
		}
		if got := events[len(events)-1]; got != tc.want {
			t.Fatalf("after %q: OnToolChanged said %v", tc.keys, got)
		}
	}
	sm := screenMap{e.View(), 1}
	tri := []Point{{20, 20}, {150, 30}, {80, 120}}
	clicks := func() {
		for _, p := range tri {
			press(e, sm.pos(p), 0)
			release(e, sm.pos(p))
		}
	}
	e.SetTool(ToolPolygon)
	steps := []struct {
		name   string
		finish func()
		want   bool // the triangle is in the mask afterwards
	}{
		{"Esc cancels", func() { typeKey(w, fyne.KeyEscape) }, false},
		{"Enter closes", func() { typeKey(w, fyne.KeyReturn) }, true},
		{"a double click closes", func() { press(e, sm.pos(tri[2]), 0); test.DoubleTap(e) }, true},
		{"a click on the first corner closes", func() { press(e, sm.pos(Point{21, 21}), 0) }, true},
		{"Backspace drops the last corner", func() { typeKey(w, fyne.KeyBackspace); typeKey(w, fyne.KeyReturn) }, false},
	}
	for _, s := range steps {
		e.ClearMask()
		clicks()
		if !e.SelectionInProgress() {
			t.Fatalf("%s: no polygon in progress after three clicks", s.name)
		}
		s.finish()
		if e.SelectionInProgress() {
			t.Errorf("%s: the polygon is still open", s.name)
		}
		if got := e.Mask().At(80, 50) == 255; got != s.want {
			t.Errorf("%s: the triangle's inside selected %v, want %v", s.name, got, s.want)
		}
	}
	// Esc during a marquee drag cancels it.
	test.Type(e, "m")
	e.ClearMask()
	press(e, sm.pos(Point{10, 10}), 0)
	moveTo(e, sm.pos(Point{10, 10}), sm.pos(Point{100, 100}))
	typeKey(w, fyne.KeyEscape)
	moveTo(e, sm.pos(Point{100, 100}), sm.pos(Point{150, 120})) // the button is still down
	e.DragEnd()
	release(e, sm.pos(Point{150, 120}))
	if !e.Mask().IsEmpty() || e.SelectionInProgress() {
		t.Error("Esc did not cancel the marquee (or the rest of the drag started another)")
	}
}

// TestSelectionOutlineIsDrawn checks that the outline of a marquee being
// dragged is on screen where the rectangle's edges are, at several views,
// and that it is gone once the selection is cancelled.
func TestSelectionOutlineIsDrawn(t *testing.T) {
	for _, tv := range testViews {
		t.Run(tv.name, func(t *testing.T) {
			e, w := newTestEditor(t, tv.scale)
			e.setView(tv.view(e))
			sm := screenMap{e.View(), float64(tv.scale)}
			test.Type(e, "m")
			plain := w.Canvas().Capture()
			a, b := Point{40.2, 30.7}, Point{150.3, 110.9}
			press(e, sm.pos(a), 0)
			moveTo(e, sm.pos(a), sm.pos(b))
			shot := w.Canvas().Capture()
			// Sample the top and left edges in device pixels.
			onLine, samples := 0, 0
			v := e.View()
			for i := 1; i < 20; i++ {
				f := float64(i) / 20
				for _, p := range []Point{{a.X + f*(b.X-a.X), a.Y}, {a.X, a.Y + f*(b.Y-a.Y)}} {
					dx, dy := v.ToDevice(p.X, p.Y)
					pt := image.Pt(int(dx), int(dy))
					if !pt.In(shot.Bounds().Inset(1)) {
						continue
					}
					samples++
					if isOutline(shot.At(pt.X, pt.Y)) {
						onLine++
					}
				}
			}
			if samples < 10 || onLine < samples*9/10 {
				t.Errorf("%d of %d samples of the edges show the outline", onLine, samples)
			}
			typeKey(w, fyne.KeyEscape)
			e.DragEnd()
			if after := w.Canvas().Capture(); !sameImage(after, plain) {
				t.Error("the outline stayed on screen after Esc")
			}
		})
	}
}

func isOutline(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r == g && g == b && (r == 0 || r == 0xffff)
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}
