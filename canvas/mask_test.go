package canvas

import (
	"bytes"
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/zeninpaint/studio/client/clienttest"
)

func paint(m *Mask, b Brush, pts ...[2]float64) bool {
	m.BeginStroke(b, pts[0][0], pts[0][1])
	for _, p := range pts[1:] {
		m.StrokeTo(p[0], p[1])
	}
	return m.EndStroke()
}

func count(g *image.Gray, pred func(v uint8) bool) int {
	n := 0
	for _, v := range g.Pix {
		if pred(v) {
			n++
		}
	}
	return n
}

func TestHardDabIsBinaryDisc(t *testing.T) {
	m := NewMask(100, 100)
	paint(m, Brush{Size: 40, Hardness: 1}, [2]float64{50, 50})
	g := m.Gray()
	if soft := count(g, func(v uint8) bool { return v != 0 && v != 255 }); soft != 0 {
		t.Errorf("%d soft pixels at hardness 100 %%", soft)
	}
	area := count(g, func(v uint8) bool { return v == 255 })
	if want := math.Pi * 20 * 20; math.Abs(float64(area)-want) > want*0.03 {
		t.Errorf("disc area %d, want about %.0f", area, want)
	}
	if g.GrayAt(50, 50).Y != 255 || g.GrayAt(50, 29).Y != 0 || g.GrayAt(50, 31).Y != 255 {
		t.Error("the disc is not centred where it was painted")
	}
}

func TestSoftDabFallsOff(t *testing.T) {
	m := NewMask(100, 100)
	paint(m, Brush{Size: 60, Hardness: 0}, [2]float64{50, 50})
	prev := 256
	for x := 50; x < 80; x += 3 {
		v := int(m.At(x, 50))
		if v > prev {
			t.Fatalf("value rises from %d to %d at x=%d", prev, v, x)
		}
		prev = v
	}
	if m.At(50, 50) < 250 || m.At(78, 50) > 20 || m.At(65, 50) < 60 || m.At(65, 50) > 200 {
		t.Errorf("falloff center %d, mid %d, edge %d", m.At(50, 50), m.At(65, 50), m.At(78, 50))
	}
}

func TestFastStrokeHasNoGaps(t *testing.T) {
	m := NewMask(400, 100)
	// Two far-apart pointer events, as a fast mouse gives.
	paint(m, Brush{Size: 6, Hardness: 1}, [2]float64{10, 50}, [2]float64{390, 50}, [2]float64{390, 90})
	for x := 10; x < 390; x++ {
		if m.At(x, 50) != 255 {
			t.Fatalf("gap at x=%d", x)
		}
	}
	for y := 50; y < 90; y++ {
		if m.At(390, y) != 255 {
			t.Fatalf("gap at y=%d on the second segment", y)
		}
	}
}

func TestStrokeIsClippedToTheImage(t *testing.T) {
	m := NewMask(50, 40)
	paint(m, Brush{Size: 30, Hardness: 1}, [2]float64{-5, -5}, [2]float64{60, 45})
	if m.At(0, 0) != 255 || m.At(49, 39) != 255 {
		t.Error("corners were not painted")
	}
	if g := m.Gray(); g.Rect != image.Rect(0, 0, 50, 40) {
		t.Errorf("mask grew to %v", g.Rect)
	}
}

func TestEraserClears(t *testing.T) {
	m := NewMask(100, 100)
	paint(m, Brush{Size: 50, Hardness: 1}, [2]float64{50, 50})
	paint(m, Brush{Size: 20, Hardness: 1, Erase: true}, [2]float64{50, 50})
	if m.At(50, 50) != 0 || m.At(50, 30) != 255 {
		t.Errorf("after erasing the middle: centre %d, ring %d", m.At(50, 50), m.At(50, 30))
	}
	if paint(NewMask(10, 10), Brush{Size: 5, Erase: true}, [2]float64{5, 5}) {
		t.Error("erasing an empty mask counted as a change")
	}
}

func TestUndoRedoRoundTripsAndRecordsOnlyTouchedTiles(t *testing.T) {
	m := NewMask(2000, 1500) // 8×6 tiles
	empty := m.Gray().Pix
	paint(m, Brush{Size: 30, Hardness: 0.5}, [2]float64{100, 100}, [2]float64{300, 120})
	afterFirst := bytes.Clone(m.Gray().Pix)
	paint(m, Brush{Size: 10, Hardness: 1, Erase: true}, [2]float64{100, 100}, [2]float64{200, 110})
	afterSecond := bytes.Clone(m.Gray().Pix)

	if got := len(m.hist.undo[0].changes); got > 4 {
		t.Errorf("the first stroke recorded %d tiles, want the ≤ 4 it touched", got)
	}
	if m.AllocatedTiles() > 4 {
		t.Errorf("%d tiles allocated for a small stroke", m.AllocatedTiles())
	}
	steps := []struct {
		op   func() bool
		want []byte
	}{
		{m.Undo, afterFirst}, {m.Undo, empty}, {m.Redo, afterFirst}, {m.Redo, afterSecond}, {m.Undo, afterFirst},
	}
	for i, s := range steps {
		if !s.op() {
			t.Fatalf("step %d did nothing", i)
		}
		if !bytes.Equal(m.Gray().Pix, s.want) {
			t.Fatalf("step %d: mask differs", i)
		}
	}
	paint(m, Brush{Size: 5}, [2]float64{900, 900})
	if m.CanRedo() {
		t.Error("a new stroke kept the redo steps")
	}
}

func TestOperations(t *testing.T) {
	dot := func() *Mask {
		m := NewMask(21, 21)
		paint(m, Brush{Size: 1, Hardness: 1}, [2]float64{10.5, 10.5})
		return m
	}
	cases := []struct {
		name  string
		op    func(m *Mask) bool
		check func(t *testing.T, m *Mask)
	}{
		{"invert", (*Mask).Invert, func(t *testing.T, m *Mask) {
			if m.At(10, 10) != 0 || m.At(0, 0) != 255 || m.At(20, 20) != 255 {
				t.Errorf("invert: %d %d", m.At(10, 10), m.At(0, 0))
			}
		}},
		{"grow 3 is a disc of radius 3", func(m *Mask) bool { return m.Grow(3) }, func(t *testing.T, m *Mask) {
			for y := 0; y < 21; y++ {
				for x := 0; x < 21; x++ {
					in := (x-10)*(x-10)+(y-10)*(y-10) <= 9
					if (m.At(x, y) == 255) != in {
						t.Fatalf("grow: (%d,%d) = %d", x, y, m.At(x, y))
					}
				}
			}
		}},
		{"grow then shrink", func(m *Mask) bool { m.Grow(5); return m.Shrink(3) }, func(t *testing.T, m *Mask) {
			if m.At(10, 12) != 255 || m.At(10, 13) != 0 || m.At(10, 8) != 255 || m.At(10, 7) != 0 {
				t.Errorf("shrink: column 10 = %d %d %d %d", m.At(10, 12), m.At(10, 13), m.At(10, 8), m.At(10, 7))
			}
		}},
		{"shrink past the size clears", func(m *Mask) bool { return m.Shrink(1) }, func(t *testing.T, m *Mask) {
			if !m.IsEmpty() {
				t.Error("a one-pixel dot survived shrink 1")
			}
		}},
		{"feather", func(m *Mask) bool { m.Grow(4); return m.Feather(4) }, func(t *testing.T, m *Mask) {
			c, edge, out := m.At(10, 10), m.At(10, 14), m.At(10, 19)
			if c < 200 || edge < 60 || edge > 200 || out > 30 || c <= edge || edge <= out {
				t.Errorf("feather: centre %d, edge %d, outside %d", c, edge, out)
			}
		}},
		{"fill", (*Mask).Fill, func(t *testing.T, m *Mask) {
			if count(m.Gray(), func(v uint8) bool { return v != 255 }) != 0 {
				t.Error("fill left holes")
			}
		}},
		{"clear", (*Mask).Clear, func(t *testing.T, m *Mask) {
			if !m.IsEmpty() || m.AllocatedTiles() != 0 {
				t.Error("clear left pixels or tiles")
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := dot()
			before := bytes.Clone(m.Gray().Pix)
			if !tc.op(m) {
				t.Fatal("reported no change")
			}
			tc.check(t, m)
			for m.Undo() {
			}
			if !m.IsEmpty() {
				t.Fatal("undo did not go back to the start")
			}
			m.Redo() // the dot
			if !bytes.Equal(m.Gray().Pix, before) {
				t.Error("undo did not restore the dot")
			}
		})
	}
}

func TestMaskFromAlpha(t *testing.T) {
	subject := clienttest.Subject(60, 40)
	for _, opaqueIsPaint := range []bool{false, true} {
		m := NewMask(60, 40)
		m.FromAlpha(subject, opaqueIsPaint)
		for y := 0; y < 40; y++ {
			for x := 0; x < 60; x++ {
				a := subject.NRGBAAt(x, y).A
				want := 255 - a
				if opaqueIsPaint {
					want = a
				}
				if got := m.At(x, y); got != want {
					t.Fatalf("opaqueIsPaint=%v (%d,%d): %d, want %d", opaqueIsPaint, x, y, got, want)
				}
			}
		}
	}
	// A subject of another size is scaled to the mask.
	m := NewMask(120, 80)
	m.FromAlpha(subject, true)
	if m.At(60, 40) != 255 || m.At(2, 2) != 0 {
		t.Errorf("scaled alpha: centre %d, corner %d", m.At(60, 40), m.At(2, 2))
	}
}

func TestImportResizes(t *testing.T) {
	m := NewMask(100, 50)
	src := clienttest.Mask(50, 25, image.Rect(25, 0, 50, 25))
	if !m.Import(src) {
		t.Error("Import of another size did not report a resize")
	}
	if m.At(10, 10) != 0 || m.At(90, 40) != 255 {
		t.Errorf("imported: left %d, right %d", m.At(10, 10), m.At(90, 40))
	}
	same := image.NewGray(image.Rect(0, 0, 100, 50))
	same.SetGray(3, 4, color.Gray{200})
	if m.Import(same) || m.At(3, 4) != 200 || m.At(90, 40) != 0 {
		t.Error("Import of the same size changed the values or reported a resize")
	}
}

func TestViewZoomKeepsThePointUnderTheCursor(t *testing.T) {
	v := FitView(6000, 4000, 1200, 800)
	if v.Zoom != 0.2 {
		t.Fatalf("fit zoom %v, want 0.2", v.Zoom)
	}
	for _, z := range []float64{0.05, 0.5, 1, 7, 100} {
		x0, y0 := v.ToImage(300, 200)
		nv := v.ZoomAt(z, 300, 200)
		x1, y1 := nv.ToImage(300, 200)
		if math.Abs(x0-x1) > 1e-9 || math.Abs(y0-y1) > 1e-9 {
			t.Errorf("zoom %v moved the point from (%v,%v) to (%v,%v)", z, x0, y0, x1, y1)
		}
		if nv.Zoom < MinZoom || nv.Zoom > MaxZoom {
			t.Errorf("zoom %v not clamped: %v", z, nv.Zoom)
		}
	}
	a := ActualView(6000, 4000, 1200, 800)
	if x, y := a.ToImage(600, 400); a.Zoom != 1 || x != 3000 || y != 2000 {
		t.Errorf("100%% view centre maps to (%v,%v)", x, y)
	}
}
