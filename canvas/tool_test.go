package canvas

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
)

// fakeHost is a ToolHost without a widget: a mask, a picture and counters
// of what the tool told it.
type fakeHost struct {
	mask      *Mask
	img       *image.NRGBA
	brush     Brush
	feather   int
	mode      SelectionMode
	committed int // Committed(true) calls
	stroked   int
	picked    Tool
	hold      bool                                                       // Run keeps the job for runHeld
	held      []func(ctx context.Context, progress func(float64)) func() // the jobs kept
}

// runHeld runs the jobs Run kept, as the editor's goroutine and Fyne's
// would.
func (f *fakeHost) runHeld() {
	for _, work := range f.held {
		if apply := work(context.Background(), func(float64) {}); apply != nil {
			apply()
		}
	}
	f.held = nil
}

func newFakeHost(w, h int) *fakeHost {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	return &fakeHost{mask: NewMask(w, h), img: img, brush: Brush{Size: 10, Hardness: 1}}
}

func (f *fakeHost) Mask() *Mask                                { return f.mask }
func (f *fakeHost) Image() *image.NRGBA                        { return f.img }
func (f *fakeHost) Brush() Brush                               { return f.brush }
func (f *fakeHost) SelectionFeather() int                      { return f.feather }
func (f *fakeHost) ModeFor(mod fyne.KeyModifier) SelectionMode { return modeWith(mod, f.mode) }
func (f *fakeHost) UnitsBetween(a, b Point) float64            { return math.Hypot(a.X-b.X, a.Y-b.Y) }
func (f *fakeHost) DevicePerImage() float64                    { return 1 }
func (f *fakeHost) Invalidate(image.Rectangle)                 {}
func (f *fakeHost) RedrawOutline()                             {}
func (f *fakeHost) Committed(changed bool) {
	if changed {
		f.committed++
	}
}
func (f *fakeHost) Stroked()        { f.stroked++ }
func (f *fakeHost) ModeChanged()    {}
func (f *fakeHost) PickTool(t Tool) { f.picked = t }

// Run runs the job at once, on the test's goroutine, or keeps it when
// hold is set.
func (f *fakeHost) Run(work func(ctx context.Context, progress func(float64)) func()) {
	if f.hold {
		f.held = append(f.held, work)
		return
	}
	if apply := work(context.Background(), func(float64) {}); apply != nil {
		apply()
	}
}

// handlerOf makes a fresh handler of tool t.
func handlerOf(t *testing.T, tool Tool) ToolHandler {
	t.Helper()
	s, ok := specOf(tool)
	if !ok {
		t.Fatalf("%q is not registered", tool)
	}
	return s.New()
}

func TestRegistry(t *testing.T) {
	seen := map[Tool]bool{}
	for _, s := range registry {
		if seen[s.Tool] {
			t.Errorf("%q registered twice", s.Tool)
		}
		seen[s.Tool] = true
		if s.Name == "" || s.Key == "" || s.Tip == "" || s.Letter == 0 || s.New == nil {
			t.Errorf("%q: incomplete spec %+v", s.Tool, s)
		}
		if s.Tool.String() != s.Name || s.Tool.Key() != s.Key || s.Tool.Tip() != s.Tip {
			t.Errorf("%q: the Tool's methods disagree with its spec", s.Tool)
		}
	}
	want := []Tool{ToolBrush, ToolEraser, ToolLasso, ToolPolygon, ToolRect, ToolEllipse, ToolObject}
	if got := Tools(); len(got) != len(want) {
		t.Errorf("Tools() = %v, want %v", got, want)
	} else {
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("Tools()[%d] = %v, want %v", i, got[i], want[i])
			}
		}
	}
	for _, tc := range []struct {
		tool Tool
		sel  bool
		look ToolCursor
	}{
		{ToolBrush, false, CursorBrush}, {ToolEraser, false, CursorEraser},
		{ToolLasso, true, CursorCrosshair}, {ToolPolygon, true, CursorCrosshair},
		{ToolRect, true, CursorCrosshair}, {ToolEllipse, true, CursorCrosshair},
		{ToolObject, true, CursorCrosshair},
	} {
		if tc.tool.IsSelection() != tc.sel {
			t.Errorf("%v.IsSelection() = %v", tc.tool, !tc.sel)
		}
		if got := handlerOf(t, tc.tool).Cursor(); got != tc.look {
			t.Errorf("%v's cursor is %v, want %v", tc.tool, got, tc.look)
		}
	}
}

// TestToolHandlers drives each tool's handler through a fake host and
// checks a pixel the gesture selects or paints and one it leaves.
func TestToolHandlers(t *testing.T) {
	type step func(h ToolHandler, f *fakeHost)
	press := func(x, y float64, mod fyne.KeyModifier) step {
		return func(h ToolHandler, f *fakeHost) { h.Press(f, Point{x, y}, mod) }
	}
	drag := func(x, y float64) step { return func(h ToolHandler, f *fakeHost) { h.Drag(f, Point{x, y}) } }
	hover := func(x, y float64) step { return func(h ToolHandler, f *fakeHost) { h.Hover(f, Point{x, y}) } }
	up := func(h ToolHandler, f *fakeHost) { h.Release(f) }
	key := func(k fyne.KeyName) step { return func(h ToolHandler, f *fakeHost) { h.Key(f, k) } }
	cancel := func(h ToolHandler, f *fakeHost) { h.Cancel(f) }
	fill := func(h ToolHandler, f *fakeHost) { f.mask.Fill() }
	click := func(x, y float64) []step { return []step{press(x, y, 0), up} }

	cases := []struct {
		name       string
		tool       Tool
		steps      []step
		in, out    image.Point // a pixel to check, and one that must end at 0
		wantIn     uint8
		wantCommit int
	}{
		{"brush paints a stroke", ToolBrush, []step{press(10, 10, 0), drag(40, 10), drag(60, 10), up},
			image.Pt(40, 10), image.Pt(40, 40), 255, 0},
		{"eraser takes paint away", ToolEraser, []step{fill, press(10, 10, 0), drag(60, 10), up},
			image.Pt(80, 80), image.Pt(40, 10), 255, 0},
		{"lasso selects its path's inside", ToolLasso, []step{press(10, 10, 0), drag(80, 10), drag(80, 80), up},
			image.Pt(60, 30), image.Pt(20, 70), 255, 1},
		{"lasso cancelled selects nothing", ToolLasso, []step{press(10, 10, 0), drag(80, 10), drag(80, 80), cancel, drag(10, 80), up},
			image.Pt(5, 5), image.Pt(60, 30), 0, 0},
		{"polygon closes on Enter", ToolPolygon, append(append(append(click(10, 10), click(80, 10)...), click(80, 80)...), hover(50, 90), key(fyne.KeyReturn)),
			image.Pt(60, 30), image.Pt(20, 70), 255, 1},
		{"polygon closes on its first corner", ToolPolygon, append(append(append(append(click(10, 10), click(80, 10)...), click(80, 80)...), click(10, 80)...), click(11, 11)...),
			image.Pt(20, 70), image.Pt(90, 90), 255, 1},
		{"polygon's Backspace drops a corner", ToolPolygon, append(append(append(append(click(10, 10), click(80, 10)...), click(80, 80)...), key(fyne.KeyBackspace)), key(fyne.KeyReturn)),
			image.Pt(5, 5), image.Pt(60, 30), 0, 0},
		{"rectangle", ToolRect, []step{press(20, 20, 0), drag(50, 40), drag(70, 60), up},
			image.Pt(22, 58), image.Pt(75, 30), 255, 1},
		{"rectangle: a click selects nothing", ToolRect, click(20, 20),
			image.Pt(5, 5), image.Pt(20, 20), 0, 0},
		{"rectangle with Alt subtracts", ToolRect, []step{fill, press(20, 20, fyne.KeyModifierAlt), drag(70, 60), up},
			image.Pt(80, 80), image.Pt(40, 40), 255, 1},
		{"ellipse", ToolEllipse, []step{press(20, 20, 0), drag(80, 80), up},
			image.Pt(50, 50), image.Pt(22, 22), 255, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeHost(100, 100)
			h := handlerOf(t, tc.tool)
			for _, s := range tc.steps {
				s(h, f)
			}
			if got := f.mask.At(tc.in.X, tc.in.Y); got != tc.wantIn {
				t.Errorf("mask at %v = %d, want %d", tc.in, got, tc.wantIn)
			}
			if got := f.mask.At(tc.out.X, tc.out.Y); got != 0 {
				t.Errorf("mask at %v = %d, want 0", tc.out, got)
			}
			if f.committed != tc.wantCommit {
				t.Errorf("%d selections committed, want %d", f.committed, tc.wantCommit)
			}
			if _, drawing := h.Drawing(); drawing {
				t.Error("still drawing after the gesture")
			}
		})
	}
}

func TestPaintToolsSwapOnX(t *testing.T) {
	for _, tc := range []struct{ from, to Tool }{{ToolBrush, ToolEraser}, {ToolEraser, ToolBrush}} {
		f := newFakeHost(10, 10)
		rh := handlerOf(t, tc.from).(runeHandler)
		if !rh.Rune(f, 'x') || f.picked != tc.to {
			t.Errorf("X with the %v picked %q, want %v", tc.from, f.picked, tc.to)
		}
		if rh.Rune(f, 'q') {
			t.Errorf("the %v took q", tc.from)
		}
	}
	f := newFakeHost(100, 100)
	h := handlerOf(t, ToolBrush)
	h.Press(f, Point{10, 10}, 0)
	h.Drag(f, Point{50, 50})
	h.Release(f)
	if f.stroked != 1 || h.Options() != OptBrush {
		t.Errorf("brush: %d strokes ended, options %v", f.stroked, h.Options())
	}
}

// objectScene is a red disc on a striped green backdrop.
func objectScene(w, h int, cx, cy, r float64) (*image.NRGBA, *image.Gray) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	truth := image.NewGray(img.Rect)
	for y := range h {
		for x := range w {
			c := color.NRGBA{40, uint8(120 + 40*math.Sin(float64(x+y)/3)), 60, 255}
			if math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy) < r {
				c = color.NRGBA{210, 50, uint8(60 + (x*7)%20), 255}
				truth.Pix[truth.PixOffset(x, y)] = 255
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img, truth
}

// maskIoU compares the mask with a truth.
func maskIoU(m *Mask, truth *image.Gray) float64 {
	inter, union := 0, 0
	for y := range truth.Rect.Dy() {
		for x := range truth.Rect.Dx() {
			a, b := m.At(x, y) >= 128, truth.GrayAt(x, y).Y >= 128
			if a && b {
				inter++
			}
			if a || b {
				union++
			}
		}
	}
	return float64(inter) / float64(max(union, 1))
}

func TestObjectToolHandler(t *testing.T) {
	f := newFakeHost(160, 120)
	var truth *image.Gray
	f.img, truth = objectScene(160, 120, 80, 60, 30)
	h := handlerOf(t, ToolObject)
	h.Press(f, Point{45, 25}, 0)
	h.Drag(f, Point{115, 95})
	if m, ok := h.Drawing(); !ok || m != SelectReplace {
		t.Fatalf("while dragging: Drawing() = %v, %v", m, ok)
	}
	h.Release(f)
	if pts, _ := h.Outline(f); pts != nil {
		t.Errorf("the box is still outlined after its result: %v", pts)
	}
	if got := maskIoU(f.mask, truth); got < 0.95 || f.committed != 1 {
		t.Fatalf("object selection: IoU %.3f, %d steps; want ≥ 0.95 in one step", got, f.committed)
	}
	// A click selects nothing.
	h.Press(f, Point{80, 60}, 0)
	h.Release(f)
	if f.committed != 1 {
		t.Error("a click made a selection")
	}
	// Alt subtracts the object.
	h.Press(f, Point{45, 25}, fyne.KeyModifierAlt)
	h.Drag(f, Point{115, 95})
	h.Release(f)
	if f.mask.At(80, 60) != 0 || f.committed != 2 {
		t.Errorf("Alt: centre %d after %d steps, want 0 after 2", f.mask.At(80, 60), f.committed)
	}
}

// TestObjectSelectionInTheEditor drags boxes with the object selection
// through the widget: the mask appears when the job ends, Shift adds, Alt
// subtracts, each is one undo step, and OnBusy frames each job.
func TestObjectSelectionInTheEditor(t *testing.T) {
	e, w := newTestEditor(t, 2)
	img, truth := objectScene(200, 150, 60, 75, 30)
	// A second disc on the right, for Add.
	img2, truth2 := objectScene(200, 150, 150, 75, 25)
	for y := range 150 {
		for x := 100; x < 200; x++ {
			img.SetNRGBA(x, y, img2.NRGBAAt(x, y))
			truth.SetGray(x, y, color.Gray{})
		}
		for x := range 100 {
			truth2.SetGray(x, y, color.Gray{})
		}
	}
	e.SetImage(img)
	w.Canvas().Capture()
	var busy []bool
	e.OnBusy = func(b bool, _ float64) { busy = append(busy, b) }
	e.TypedRune('w')
	if e.Tool() != ToolObject || e.Cursor() == nil {
		t.Fatalf("W picked %v", e.Tool())
	}
	sm := screenMap{e.View(), 2}
	box := func(x0, y0, x1, y1 float64, mod fyne.KeyModifier) {
		dragSel(e, sm.pos(Point{x0, y0}), sm.pos(Point{x1, y1}), mod)
		e.job.wait()
	}
	box(25, 40, 95, 110, 0)
	if got := maskIoU(e.Mask(), truth); got < 0.9 {
		t.Fatalf("the box's object: IoU %.3f, want ≥ 0.9", got)
	}
	if len(busy) < 2 || !busy[0] || busy[len(busy)-1] {
		t.Errorf("OnBusy saw %v, want busy first and idle last", busy)
	}
	if b, _ := e.Busy(); b {
		t.Error("still busy after the job")
	}
	box(120, 45, 180, 105, fyne.KeyModifierShift)
	union := image.NewGray(truth.Rect)
	for i := range union.Pix {
		union.Pix[i] = max(truth.Pix[i], truth2.Pix[i])
	}
	if got := maskIoU(e.Mask(), union); got < 0.9 {
		t.Errorf("Shift added: IoU with both discs %.3f, want ≥ 0.9", got)
	}
	box(25, 40, 95, 110, fyne.KeyModifierAlt)
	if got := maskIoU(e.Mask(), truth2); got < 0.9 {
		t.Errorf("Alt subtracted: IoU with the right disc %.3f, want ≥ 0.9", got)
	}
	e.Undo()
	if got := maskIoU(e.Mask(), union); got < 0.9 {
		t.Errorf("undo of the subtraction: IoU with both discs %.3f, want ≥ 0.9", got)
	}
	e.Undo()
	e.Undo()
	if !e.Mask().IsEmpty() {
		t.Error("three undos left paint")
	}
	e.SelectSubject()
	e.job.wait()
	if e.Mask().IsEmpty() {
		t.Error("Select subject selected nothing")
	}
}

// TestObjectToolRefines draws a box inside the last object selection's:
// the new result replaces the selection inside the box only, one step.
func TestObjectToolRefines(t *testing.T) {
	f := newFakeHost(160, 120)
	var truth *image.Gray
	f.img, truth = objectScene(160, 120, 80, 60, 30)
	h := handlerOf(t, ToolObject)
	h.Press(f, Point{45, 25}, 0)
	h.Drag(f, Point{115, 95})
	h.Release(f)
	// Paint a stray dot inside the first box but outside the second, as
	// if the first result had it: the refinement must keep it.
	steps := f.mask.UndoSteps()
	h.Press(f, Point{60, 30}, 0)
	h.Drag(f, Point{112, 92})
	h.Release(f)
	if f.committed != 2 || f.mask.UndoSteps() > steps+1 {
		t.Fatalf("the refinement took %d steps", f.mask.UndoSteps()-steps)
	}
	if got := maskIoU(f.mask, truth); got < 0.93 {
		t.Errorf("after the refinement: IoU %.3f, want ≥ 0.93", got)
	}
	// The part of the disc left of the inner box is kept from the first.
	if f.mask.At(52, 60) != 255 {
		t.Error("the refinement dropped the selection outside its box")
	}
}

// TestEscCancelsTheObjectSelection presses Esc while the job runs: the
// mask stays empty and the editor is idle.
func TestEscCancelsTheObjectSelection(t *testing.T) {
	e, w := newTestEditor(t, 1)
	img, _ := objectScene(200, 150, 100, 75, 40)
	e.SetImage(img)
	w.Canvas().Capture()
	e.SetTool(ToolObject)
	block := make(chan struct{})
	e.job.run(func(ctx context.Context, _ func(float64)) func() {
		<-block
		return func() { e.Mask().Fill() }
	})
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	close(block)
	if pts, _ := e.tb.handler.Outline(e.host()); pts != nil {
		t.Errorf("Esc left an outline: %v", pts)
	}
	e.job.wait()
	if b, _ := e.Busy(); b || !e.Mask().IsEmpty() {
		t.Errorf("after Esc: busy %v, mask empty %v", b, e.Mask().IsEmpty())
	}
}

// TestObjectToolOutlinesTheBoxWhileBusy keeps the box outlined while its
// object is segmented, until the result comes.
func TestObjectToolOutlinesTheBoxWhileBusy(t *testing.T) {
	f := newFakeHost(160, 120)
	f.img, _ = objectScene(160, 120, 80, 60, 30)
	f.hold = true
	h := handlerOf(t, ToolObject)
	h.Press(f, Point{45, 25}, 0)
	h.Drag(f, Point{115, 95})
	h.Release(f)
	if pts, closed := h.Outline(f); len(pts) != 4 || !closed || pts[0] != (Point{45, 25}) || pts[2] != (Point{115, 95}) {
		t.Errorf("while busy the outline is %v (closed %v), want the box", pts, closed)
	}
	if _, drawing := h.Drawing(); drawing {
		t.Error("a box being segmented counts as a selection being drawn")
	}
	f.runHeld()
	if pts, _ := h.Outline(f); pts != nil || f.mask.IsEmpty() {
		t.Errorf("after the result: outline %v, mask empty %v", pts, f.mask.IsEmpty())
	}
}
